import { throwIfAborted } from '../abort';
import { displayTool, parseGitAiNote, promptForLine, type GitAiNote } from './gitAiNote';
import { runGit } from './git';
import { detectAiCommit, type AiCommitEvidence } from './trailers';
import { wholeLines, type AiRange } from './types';

/** One line of `git blame --line-porcelain`. */
export interface BlameLine {
  sha: string;
  /** 1-based line in the blamed commit's version of the file. */
  origLine: number;
  /** 1-based line in the blamed contents. */
  finalLine: number;
  author: string;
  authorMail: string;
  authorTime: number;
  /** Path of the file in the blamed commit (differs after renames). */
  filename: string;
}

const UNCOMMITTED = /^0{40}$|^0{64}$/;

/** Parses `git blame --line-porcelain` output. */
export function parseLinePorcelain(out: string): BlameLine[] {
  const lines: BlameLine[] = [];
  let cur: Partial<BlameLine> | null = null;
  for (const raw of out.split('\n')) {
    if (cur === null) {
      const m = /^([0-9a-f]{40}|[0-9a-f]{64}) (\d+) (\d+)/.exec(raw);
      if (m) cur = { sha: m[1], origLine: Number(m[2]), finalLine: Number(m[3]), author: '', authorMail: '', authorTime: 0, filename: '' };
      continue;
    }
    if (raw.startsWith('\t')) {
      lines.push(cur as BlameLine);
      cur = null;
    } else if (raw.startsWith('author ')) cur.author = raw.slice(7);
    else if (raw.startsWith('author-mail ')) cur.authorMail = raw.slice(12).replace(/^<|>$/g, '');
    else if (raw.startsWith('author-time ')) cur.authorTime = Number(raw.slice(12));
    else if (raw.startsWith('filename ')) cur.filename = raw.slice(9);
  }
  return lines;
}

/** What one commit says about AI authorship; cached per commit (commits never change). */
interface CommitAi {
  trailer: AiCommitEvidence | null;
  note: GitAiNote | null;
  time: Date;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * AI line ranges of committed code from `git blame`, using two kinds of evidence per commit:
 * a git-ai authorship note in `refs/notes/ai` (source `record`, line-exact) and AI trailers or
 * assistant authors (source `git`, whole commit). Commit metadata is cached per commit.
 */
export class GitBlameProvenance {
  private readonly commits = new Map<string, CommitAi>();
  private safety?: Promise<string | undefined>;

  constructor(readonly repoRoot: string) {}

  /**
   * Why blame is refused in this repository, or undefined when it is safe. `git blame
   * --contents` runs the repository's clean filters (and diff drivers may run commands), so a
   * repository whose own config (local or worktree scope, including files it includes) defines
   * such commands is never blamed: the workspace may be untrusted and nothing from it may run.
   */
  unsafeReason(signal?: AbortSignal): Promise<string | undefined> {
    this.safety ??= runGit(this.repoRoot, ['config', '--show-scope', '--get-regexp', '^(filter\\..*\\.(clean|smudge|process)|diff\\..*\\.(textconv|command))$'], { signal }).then(
      (out) => {
        const own = out.split('\n').filter((l) => /^(local|worktree)\t/.test(l));
        return own.length ? `repository config defines commands git would run (${own.map((l) => l.split(/[\t ]/)[1]).join(', ')}); git blame skipped` : undefined;
      },
      () => undefined, // exit 1: no such keys
    );
    return this.safety;
  }

  /**
   * AI ranges of `relPath` (relative to the repo root). Pass `contents` to blame an editor
   * buffer instead of the file on disk (`git blame --contents -`). Lines not yet committed are
   * never attributed here. A file git does not track yields [] rather than an error.
   */
  async aiRanges(relPath: string, opts: { contents?: string; signal?: AbortSignal } = {}): Promise<AiRange[]> {
    if (await this.unsafeReason(opts.signal)) return [];
    const args = ['blame', '--line-porcelain', '--no-textconv'];
    if (opts.contents !== undefined) args.push('--contents', '-');
    args.push('--', relPath);
    let out: string;
    try {
      out = await runGit(this.repoRoot, args, { input: opts.contents, signal: opts.signal });
    } catch (e) {
      throwIfAborted(opts.signal);
      if ((e as { code?: string }).code === 'GIT_FAILED') return []; // untracked or not in HEAD
      throw e;
    }
    const blame = parseLinePorcelain(out);
    await this.loadCommits([...new Set(blame.map((b) => b.sha).filter((s) => !UNCOMMITTED.test(s)))], opts.signal);
    const ranges: AiRange[] = [];
    let open: { key: string; first: number; last: number; make: () => Omit<AiRange, 'range'> } | null = null;
    const flush = () => {
      if (open) ranges.push({ range: wholeLines(open.first, open.last), ...open.make() });
      open = null;
    };
    for (const b of blame) {
      const info = this.commits.get(b.sha);
      const attributed = info ? this.attribute(b, info) : null;
      const line = b.finalLine - 1;
      if (!attributed) {
        flush();
        continue;
      }
      if (open && open.key === attributed.key && open.last === line - 1) open.last = line;
      else {
        flush();
        open = { key: attributed.key, first: line, last: line, make: attributed.make };
      }
    }
    flush();
    return ranges;
  }

  private attribute(b: BlameLine, info: CommitAi): { key: string; make: () => Omit<AiRange, 'range'> } | null {
    const short = b.sha.slice(0, 7);
    if (info.note) {
      const prompt = promptForLine(info.note, b.filename, b.origLine);
      if (prompt) {
        const p = info.note.prompts.get(prompt);
        const tool = displayTool(p?.tool);
        return {
          key: `note:${b.sha}:${prompt}`,
          make: () => ({
            source: 'record',
            ...(tool ? { tool } : {}),
            at: info.time,
            evidence: `git-ai note on commit ${short} (prompt ${prompt}${p?.model ? `, model ${p.model}` : ''})`,
          }),
        };
      }
    }
    if (info.trailer) {
      const t = info.trailer;
      return {
        key: `trailer:${b.sha}`,
        make: () => ({ source: 'git', ...(t.tool ? { tool: t.tool } : {}), at: info.time, evidence: `commit ${short} has ${t.evidence}` }),
      };
    }
    return null;
  }

  private async loadCommits(shas: string[], signal?: AbortSignal): Promise<void> {
    const missing = shas.filter((s) => !this.commits.has(s));
    for (let i = 0; i < missing.length; i += 200) {
      const batch = missing.slice(i, i + 200);
      const out = await runGit(this.repoRoot, ['log', '--no-walk=unsorted', '--notes=ai', `--format=%H${FIELD}%an${FIELD}%ae${FIELD}%at${FIELD}%B${FIELD}%N${RECORD}`, ...batch], {
        signal,
      });
      for (const rec of out.split(RECORD)) {
        const [sha, name, email, time, body, note] = rec.replace(/^\n+/, '').split(FIELD);
        if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
        this.commits.set(sha, {
          trailer: detectAiCommit(body ?? '', { name, email }),
          note: note?.trim() ? parseGitAiNote(note) : null,
          time: new Date(Number(time) * 1000),
        });
      }
    }
  }
}
