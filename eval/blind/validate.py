#!/usr/bin/env python3
"""Validate eval/blind/assistant-style.jsonl: JSON per line, exact fields, unique ids, vuln/safe pairs."""
import collections, json, re, sys

PATH = sys.argv[1] if len(sys.argv) > 1 else "eval/blind/assistant-style.jsonl"
FIELDS = {"id", "language", "code", "cwe", "vulnerable", "source", "label_method",
          "ai_generated", "generator", "origin"}
LANGS = {"python", "javascript", "java", "go", "c", "cpp", "ruby"}
errors, ids, pairs = [], set(), collections.defaultdict(list)
rows = []
with open(PATH, encoding="utf-8") as fh:
    for n, line in enumerate(fh, 1):
        try:
            o = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON ({e})"); continue
        if set(o) != FIELDS:
            errors.append(f"line {n}: fields {sorted(set(o) ^ FIELDS)} missing/extra")
            continue
        if o["id"] in ids:
            errors.append(f"line {n}: duplicate id {o['id']}")
        ids.add(o["id"])
        if o["language"] not in LANGS:
            errors.append(f"line {n}: bad language {o['language']}")
        if not re.fullmatch(r"CWE-\d+", o["cwe"]):
            errors.append(f"line {n}: bad cwe {o['cwe']}")
        if not isinstance(o["vulnerable"], bool) or o["ai_generated"] is not True:
            errors.append(f"line {n}: bad vulnerable/ai_generated")
        if not o["generator"].startswith("LLM-written") or o["origin"] != "eval/blind":
            errors.append(f"line {n}: bad generator/origin")
        if not o["code"].strip():
            errors.append(f"line {n}: empty code")
        m = re.fullmatch(r"(.+)-(vuln|safe)", o["id"])
        if not m:
            errors.append(f"line {n}: id must end in -vuln/-safe"); continue
        if (m.group(2) == "vuln") != o["vulnerable"]:
            errors.append(f"line {n}: id suffix disagrees with vulnerable flag")
        pairs[m.group(1)].append(o)
        rows.append(o)
for key, items in pairs.items():
    flags = sorted(i["vulnerable"] for i in items)
    if flags != [False, True]:
        errors.append(f"pair {key}: expected one vulnerable and one safe, got {flags}")
        continue
    a, b = items
    if a["language"] != b["language"] or a["cwe"] != b["cwe"]:
        errors.append(f"pair {key}: language/cwe differ between variants")
    if a["code"] == b["code"]:
        errors.append(f"pair {key}: variants are identical")
    for i in items:
        if re.search(r"(?i)(#|//|/\*)\s*(vulnerable|insecure|unsafe|todo|fixme|cwe-)", i["code"]):
            errors.append(f"{i['id']}: comment announces the flaw")
if errors:
    print("\n".join(errors)); sys.exit(1)
print(f"OK: {len(rows)} lines, {len(pairs)} pairs")
print("per language (pairs):", dict(collections.Counter(r["language"] for r in rows if r["vulnerable"])))
print("per CWE (pairs):", dict(sorted(collections.Counter(r["cwe"] for r in rows if r["vulnerable"]).items(),
                                     key=lambda kv: int(kv[0][4:]))))
