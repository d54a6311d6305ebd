import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { throwIfAborted } from '../abort';
import { TrustLensError } from '../errors';
import { gitTopLevel, runGit } from '../provenance/git';
import { compileGitignore, matchGitignore } from './gitignore';

/** Folders never scanned: dependencies, VCS data, virtualenvs, caches. */
const ALWAYS_SKIP = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages', '.trustlens']);

export type FilesErrorCode = 'PATH_NOT_FOUND';

/** One file to scan: absolute path and its path relative to the scan root (forward slashes). */
export interface FileToScan {
  abs: string;
  rel: string;
}

function skippedDir(parts: string[]): boolean {
  return parts.some((p) => ALWAYS_SKIP.has(p));
}

async function isVenv(dir: string): Promise<boolean> {
  return fs.access(path.join(dir, 'pyvenv.cfg')).then(
    () => true,
    () => false,
  );
}

/** Files under `dir` not ignored by .gitignore, asking git when `dir` is in a work tree. */
async function listFolder(dir: string, signal?: AbortSignal): Promise<string[]> {
  if (await gitTopLevel(dir, signal)) {
    const out = await runGit(dir, ['ls-files', '-co', '--exclude-standard', '-z', '--', '.'], { signal });
    const files = out.split('\0').filter(Boolean);
    const keep: string[] = [];
    for (const f of files) if (!skippedDir(f.split('/').slice(0, -1))) keep.push(path.join(dir, f));
    return keep;
  }
  return walk(dir, [], signal);
}

/** Recursive walk honouring nested .gitignore files (patterns stacked by folder). */
async function walk(dir: string, stack: Array<{ base: string; patterns: ReturnType<typeof compileGitignore> }>, signal?: AbortSignal): Promise<string[]> {
  throwIfAborted(signal);
  const gi = await fs.readFile(path.join(dir, '.gitignore'), 'utf8').catch(() => undefined);
  const here = gi === undefined ? stack : [...stack, { base: dir, patterns: compileGitignore(gi) }];
  const ignored = (abs: string, isDir: boolean) => {
    let result = false;
    for (const { base, patterns } of here) {
      const m = matchGitignore(patterns, path.relative(base, abs).split(path.sep).join('/'), isDir);
      if (m !== undefined) result = m;
    }
    return result;
  };
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (ALWAYS_SKIP.has(e.name) || ignored(abs, true) || (await isVenv(abs))) continue;
      out.push(...(await walk(abs, here, signal)));
    } else if (e.isFile() && !ignored(abs, false)) out.push(abs);
  }
  return out;
}

/**
 * Expands the CLI's PATH arguments into files under `root` (for relative report paths).
 * Folders respect .gitignore (git's own rules inside a work tree) and skip dependency and
 * virtualenv folders; a file named explicitly is always included. `accept` filters by name.
 * A missing path throws TrustLensError `PATH_NOT_FOUND`.
 */
export async function collectFiles(
  inputs: readonly string[],
  opts: { cwd: string; root: string; accept: (file: string) => boolean; signal?: AbortSignal },
): Promise<FileToScan[]> {
  const seen = new Set<string>();
  const out: FileToScan[] = [];
  const add = (abs: string) => {
    if (seen.has(abs) || !opts.accept(abs)) return;
    seen.add(abs);
    out.push({ abs, rel: path.relative(opts.root, abs).split(path.sep).join('/') });
  };
  for (const input of inputs) {
    const abs = path.resolve(opts.cwd, input);
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st) throw new TrustLensError<FilesErrorCode>('PATH_NOT_FOUND', `no such file or folder: ${input}`);
    if (st.isDirectory()) for (const f of (await listFolder(abs, opts.signal)).sort()) add(f);
    else add(abs);
  }
  return out;
}
