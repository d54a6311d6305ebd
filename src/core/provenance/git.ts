import { spawn } from 'node:child_process';
import { CancellationError, TrustLensError } from '../errors';

/**
 * Options that keep git from running anything the repository configures: a workspace may be
 * untrusted, and `core.fsmonitor` or a textconv driver in its config would be executed.
 */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'diff.external=', '-c', 'core.pager=cat'];

export type GitErrorCode = 'GIT_NOT_FOUND' | 'GIT_FAILED';

/**
 * Runs git with an argv array (never a shell) in `cwd` and returns stdout. Non-zero exit throws
 * TrustLensError `GIT_FAILED` with git's stderr; a missing git binary throws `GIT_NOT_FOUND`.
 */
export function runGit(cwd: string, args: readonly string[], opts: { input?: string; signal?: AbortSignal } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancellationError());
    const child = spawn('git', [...SAFE_CONFIG, ...args], {
      cwd,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const onAbort = () => child.kill();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e.code === 'ENOENT' ? new TrustLensError<GitErrorCode>('GIT_NOT_FOUND', 'git is not installed or not on PATH', { cause: e }) : e);
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(new CancellationError());
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new TrustLensError<GitErrorCode>('GIT_FAILED', `git ${args[0]} failed (${code}): ${Buffer.concat(err).toString('utf8').trim().slice(0, 500)}`));
    });
    child.stdin.on('error', () => {}); // git may exit before reading stdin
    child.stdin.end(opts.input ?? '');
  });
}

/** The repository top-level for `dir`, or undefined when it is not inside a git work tree. */
export async function gitTopLevel(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await runGit(dir, ['rev-parse', '--show-toplevel'], { signal })).trim() || undefined;
  } catch (e) {
    if (e instanceof CancellationError) throw e;
    return undefined;
  }
}
