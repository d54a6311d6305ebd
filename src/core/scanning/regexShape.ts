/**
 * Structural ReDoS check for regex literals: does the pattern contain a group under an
 * unbounded quantifier whose iterations can split the same text in more than one way (the
 * exponential-backtracking shape of `(a+)+`, `(\w+\s?)*`, `([a-z0-9]+-?)+`)?
 *
 * A nested quantifier alone is not enough. `^[a-z0-9]+(?:-[a-z0-9]+)*$` is the idiomatic safe
 * slug pattern: every iteration must start with `-`, which the inner `[a-z0-9]+` cannot consume,
 * so the iterations are delimited and matching stays linear. The check therefore treats a
 * repeated group as safe when its body begins (or ends) with a mandatory single-character atom
 * whose characters no unbounded atom inside the body can match. Anything it cannot parse is
 * judged by the plain nested-quantifier shape, so it never reports less than that on odd input.
 */

/** Character set over ASCII code points 0-127, plus 128 standing for "any non-ASCII character". */
type CharSet = Set<number>;

interface Atom {
  /** Characters this atom can consume (for a group: the union over its body). */
  set: CharSet;
  min: number;
  max: number;
  /** Sub-atoms of a group, by top-level alternative. */
  alts?: Atom[][];
  /** Atomic group / possessive quantifier: no backtracking into it. */
  atomic?: boolean;
}

const ALL = (): CharSet => new Set(Array.from({ length: 129 }, (_, i) => i));
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const WORD = [...range(48, 57), ...range(65, 90), ...range(97, 122), 95];
const DIGIT = range(48, 57);
const SPACE = [9, 10, 11, 12, 13, 32, 128];

function complement(xs: Iterable<number>): CharSet {
  const out = ALL();
  for (const x of xs) out.delete(x);
  return out;
}

/** Set for a backslash escape letter (`w`, `d`, `s`, ... or a literal). */
function escapeSet(ch: string): CharSet {
  switch (ch) {
    case 'w':
      return new Set(WORD);
    case 'W':
      return complement(WORD);
    case 'd':
      return new Set(DIGIT);
    case 'D':
      return complement(DIGIT);
    case 's':
      return new Set(SPACE);
    case 'S':
      return complement(SPACE);
    case 'n':
      return new Set([10]);
    case 't':
      return new Set([9]);
    case 'r':
      return new Set([13]);
    default:
      return new Set([ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 128]);
  }
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Atom[][] {
    const alts = this.sequence();
    if (this.i < this.src.length) throw new Error('unbalanced');
    return alts;
  }

  /** Alternatives of a sequence, up to a closing `)` or the end. */
  private sequence(): Atom[][] {
    const alts: Atom[][] = [[]];
    while (this.i < this.src.length) {
      const ch = this.src[this.i];
      if (ch === ')') break;
      if (ch === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const atom = this.atom();
      if (atom) alts[alts.length - 1].push(this.quantified(atom));
    }
    return alts;
  }

  private atom(): Atom | undefined {
    const s = this.src;
    const ch = s[this.i++];
    if (ch === '^' || ch === '$') return undefined;
    if (ch === '\\') {
      const e = s[this.i++] ?? '';
      if ('bBAzZG'.includes(e)) return undefined; // anchors
      if (e === 'p' || e === 'P') {
        if (s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1 || s.length;
        else this.i++;
        return { set: ALL(), min: 1, max: 1 };
      }
      if (e === 'x') {
        this.i += 2;
        return { set: new Set([parseInt(s.slice(this.i - 2, this.i), 16) & 127]), min: 1, max: 1 };
      }
      if (e === 'u') {
        this.i += 4;
        return { set: new Set([128]), min: 1, max: 1 };
      }
      return { set: escapeSet(e), min: 1, max: 1 };
    }
    if (ch === '.') {
      const set = ALL();
      set.delete(10);
      return { set, min: 1, max: 1 };
    }
    if (ch === '[') return { set: this.charClass(), min: 1, max: 1 };
    if (ch === '(') {
      let atomic = false;
      let lookaround = false;
      if (s[this.i] === '?') {
        const m = /^\?(?:<[=!]|[=!]|>|:|<[A-Za-z_]\w*>|P<[A-Za-z_]\w*>|'[A-Za-z_]\w*'|[imsxu-]*:)/.exec(s.slice(this.i));
        if (!m) throw new Error('group');
        atomic = m[0] === '?>';
        lookaround = /^\?<?[=!]$/.test(m[0]);
        this.i += m[0].length;
      }
      const alts = this.sequence();
      if (s[this.i] !== ')') throw new Error('unbalanced');
      this.i++;
      if (lookaround) return undefined;
      const set: CharSet = new Set();
      for (const a of alts) for (const x of a) for (const c of x.set) set.add(c);
      const min = Math.min(...alts.map((a) => a.reduce((n, x) => n + x.min, 0)));
      return { set, min: Math.min(min, 1), max: 1, alts, atomic };
    }
    return { set: new Set([ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 128]), min: 1, max: 1 };
  }

  private charClass(): CharSet {
    const s = this.src;
    let negate = false;
    if (s[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const set: CharSet = new Set();
    let first = true;
    while (this.i < s.length && (s[this.i] !== ']' || first)) {
      first = false;
      let lo: CharSet;
      let loCode: number | undefined;
      if (s[this.i] === '\\') {
        lo = escapeSet(s[this.i + 1] ?? '');
        loCode = lo.size === 1 ? [...lo][0] : undefined;
        this.i += 2;
      } else if (s[this.i] === '[' && s[this.i + 1] === ':') {
        const end = s.indexOf(':]', this.i);
        if (end < 0) throw new Error('class');
        this.i = end + 2;
        lo = ALL();
      } else {
        const c = s.charCodeAt(this.i++);
        loCode = c < 128 ? c : 128;
        lo = new Set([loCode]);
      }
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && s[this.i + 1] !== undefined && loCode !== undefined) {
        this.i++;
        let hi: number;
        if (s[this.i] === '\\') {
          const h = escapeSet(s[this.i + 1] ?? '');
          hi = h.size === 1 ? [...h][0] : 127;
          this.i += 2;
        } else {
          const c = s.charCodeAt(this.i++);
          hi = c < 128 ? c : 128;
        }
        for (const c of range(Math.min(loCode, hi), Math.min(Math.max(loCode, hi), 128))) set.add(c);
        continue;
      }
      for (const c of lo) set.add(c);
    }
    if (s[this.i] !== ']') throw new Error('class');
    this.i++;
    return negate ? complement(set) : set;
  }

  private quantified(atom: Atom): Atom {
    const s = this.src;
    const q = /^(?:[*+?]|\{(\d*)(,?)(\d*)\})/.exec(s.slice(this.i));
    if (!q) return atom;
    this.i += q[0].length;
    let min = atom.min;
    let max = atom.max;
    if (q[0] === '*') [min, max] = [0, Infinity];
    else if (q[0] === '+') [min, max] = [atom.min, Infinity];
    else if (q[0] === '?') [min, max] = [0, atom.max];
    else {
      const lo = q[1] === '' ? 0 : Number(q[1]);
      const hi = q[2] === '' ? lo : q[3] === '' ? Infinity : Number(q[3]);
      [min, max] = [atom.min * lo, hi === Infinity ? Infinity : atom.max * hi];
    }
    let atomic = atom.atomic;
    if (s[this.i] === '+') {
      atomic = true; // possessive
      this.i++;
    } else if (s[this.i] === '?') this.i++; // lazy: same backtracking
    return { ...atom, min, max, atomic };
  }
}

function unboundedInside(alts: Atom[][]): Atom[] {
  const out: Atom[] = [];
  const visit = (xs: Atom[][]) => {
    for (const seq of xs)
      for (const a of seq) {
        if (a.max === Infinity) out.push(a);
        if (a.alts) visit(a.alts);
      }
  };
  visit(alts);
  return out;
}

const disjoint = (a: CharSet, b: CharSet): boolean => {
  for (const x of a) if (b.has(x)) return false;
  return true;
};

/**
 * A mandatory single-character atom at the start (dir -1) or end (dir 1) of every iteration that
 * the inner loops cannot eat; undefined when the loop has none.
 */
function delimiter(body: Atom[][], inner: Atom[]): { set: CharSet; dir: -1 | 1 } | undefined {
  if (body.length !== 1) return undefined; // alternation under a loop: judge conservatively
  const seq = body[0];
  const edge = (a: Atom | undefined) => !!a && !a.alts && a.min >= 1 && a.max === 1 && inner.every((x) => disjoint(x.set, a.set));
  if (edge(seq[0])) return { set: seq[0].set, dir: -1 };
  if (edge(seq[seq.length - 1])) return { set: seq[seq.length - 1].set, dir: 1 };
  return undefined;
}

const union = (xs: Atom[]): CharSet => {
  const out: CharSet = new Set();
  for (const x of xs) for (const c of x.set) out.add(c);
  return out;
};

/**
 * A delimited loop is still ambiguous when a neighbouring unbounded atom can eat whole
 * iterations too (`[\w.-]+\.[a-z]{2,}(?:\.[a-z]{2,})*`): scan away from the loop on the
 * delimiter's side until a mandatory atom no iteration can contain.
 */
function neighbourEats(seq: Atom[], k: number, delim: CharSet, inner: CharSet, dir: -1 | 1): boolean {
  const loopChars = new Set([...delim, ...inner]);
  for (let j = k + dir; j >= 0 && j < seq.length; j += dir) {
    const b = seq[j];
    if (b.max === Infinity && !disjoint(b.set, delim) && !disjoint(b.set, inner)) return true;
    if (b.min >= 1 && disjoint(b.set, loopChars)) return false;
  }
  return false;
}

function ambiguousLoop(alts: Atom[][]): boolean {
  for (const seq of alts)
    for (let k = 0; k < seq.length; k++) {
      const a = seq[k];
      if (!a.alts) continue;
      const inner = unboundedInside(a.alts);
      if (a.max === Infinity && !a.atomic && inner.length > 0) {
        const d = delimiter(a.alts, inner);
        if (!d || neighbourEats(seq, k, d.set, union(inner), d.dir)) return true;
      }
      if (ambiguousLoop(a.alts)) return true;
    }
  return false;
}

/** Nested quantifier: a group containing + or * that is itself quantified, e.g. (a+)+ or (\w+\s?)*. */
const NESTED_QUANT = /\((?:\?:)?(?:[^()\\]|\\.)*(?:[+*]|\{\d+,\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\})/;

/** True when the pattern has the exponential-backtracking shape (see the file comment). */
export function exponentialBacktracking(pattern: string): boolean {
  if (!/\)\??(?:[+*]|\{\d*,)/.test(pattern)) return false;
  // The text may still hold the string literal's own escaping ("^(\\d+)*$" in Java/C#/Go):
  // judge the unescaped pattern too.
  const unescaped = pattern.replace(/\\\\/g, '\\');
  return ambiguous(pattern) || (unescaped !== pattern && ambiguous(unescaped));
}

function ambiguous(pattern: string): boolean {
  try {
    return ambiguousLoop(new Parser(pattern).parse());
  } catch {
    return NESTED_QUANT.test(pattern);
  }
}
