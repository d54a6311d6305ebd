/**
 * Parser for git-ai authorship notes (Git AI Standard v3.0.0, stored in `refs/notes/ai`):
 *
 *     src/app.py                  <- file path (may be double-quoted when it has spaces)
 *       1612649c4bf0b88e 2,35-36  <- prompt/session id and 1-based line ranges in that commit
 *     ---
 *     {"schema_version":"authorship/3.0.0", "prompts": {"1612649c4bf0b88e": {"agent_id": {"tool":"claude","model":"…"}}}}
 *
 * Line numbers refer to the file as of the commit the note is attached to; `git blame` maps
 * them to today's lines.
 */

/** Attribution from one git-ai note. */
export interface GitAiNote {
  schemaVersion?: string;
  /** file path → list of { promptId, lines (1-based, inclusive pairs) } */
  files: Map<string, Array<{ promptId: string; ranges: Array<[number, number]> }>>;
  /** prompt id → assistant name and model, when the metadata names them */
  prompts: Map<string, { tool?: string; model?: string }>;
}

function parseRanges(spec: string): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (a < 1 || b < a) return null;
    out.push([a, b]);
  }
  return out;
}

function unquote(p: string): string {
  if (p.length >= 2 && p.startsWith('"') && p.endsWith('"')) {
    try {
      return JSON.parse(p) as string;
    } catch {
      return p.slice(1, -1);
    }
  }
  return p;
}

/** Parses a note; returns null when it is not a git-ai authorship note. Never throws. */
export function parseGitAiNote(text: string): GitAiNote | null {
  const norm = text.replace(/\r\n/g, '\n');
  const sep = norm.search(/^---\s*$/m);
  const head = sep >= 0 ? norm.slice(0, sep) : norm;
  const meta = sep >= 0 ? norm.slice(sep).replace(/^---\s*\n?/, '') : '';
  const files: GitAiNote['files'] = new Map();
  let current: string | undefined;
  for (const line of head.split('\n')) {
    if (!line.trim()) continue;
    if (/^\s/.test(line)) {
      const m = /^\s+(\S+)\s+(\S+)\s*$/.exec(line);
      const ranges = m ? parseRanges(m[2]) : null;
      if (!current || !m || !ranges) return null;
      files.get(current)!.push({ promptId: m[1], ranges });
    } else {
      current = unquote(line.trim());
      if (!files.has(current)) files.set(current, []);
    }
  }
  const prompts: GitAiNote['prompts'] = new Map();
  let schemaVersion: string | undefined;
  if (meta.trim()) {
    try {
      const json = JSON.parse(meta) as { schema_version?: unknown; prompts?: Record<string, { agent_id?: { tool?: unknown; model?: unknown } }> };
      if (typeof json.schema_version === 'string') schemaVersion = json.schema_version;
      for (const [id, p] of Object.entries(json.prompts ?? {})) {
        const tool = typeof p?.agent_id?.tool === 'string' ? p.agent_id.tool : undefined;
        const model = typeof p?.agent_id?.model === 'string' ? p.agent_id.model : undefined;
        prompts.set(id, { tool, model });
      }
    } catch {
      return null;
    }
  }
  if (![...files.values()].some((entries) => entries.length > 0) && !schemaVersion?.startsWith('authorship/')) return null;
  return { schemaVersion, files, prompts };
}

/** Display name for git-ai's tool ids ("claude" → "Claude", "github-copilot" → "Copilot"). */
export function displayTool(tool: string | undefined): string | undefined {
  if (!tool) return undefined;
  const t = tool.toLowerCase();
  if (t.includes('copilot')) return 'Copilot';
  if (t.includes('claude')) return 'Claude';
  if (t.includes('cursor')) return 'Cursor';
  if (t.includes('codex')) return 'Codex';
  if (t.includes('gemini')) return 'Gemini';
  return tool;
}

/** Prompt attributed to 1-based `line` of `file` in the note, if any. */
export function promptForLine(note: GitAiNote, file: string, line: number): string | undefined {
  for (const entry of note.files.get(file) ?? []) if (entry.ranges.some(([a, b]) => line >= a && line <= b)) return entry.promptId;
  return undefined;
}
