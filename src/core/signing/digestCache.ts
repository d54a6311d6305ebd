/**
 * Persistent digest cache for quick re-verification of unchanged models.
 *
 * An entry maps (absolute path, algorithm, byte range) to a digest and is valid only while the
 * file's identity (size, mtime ns, ctime ns, inode, device) is unchanged. Trade-off: this trusts
 * file-system metadata. Someone with write access to the model can change content and forge the
 * mtime (utimes); ctime is also checked, which only the kernel sets, but a privileged attacker
 * (clock change, raw device writes, or writing the cache file itself) can still defeat it. A full
 * verification never reads this cache and re-hashes every byte; the quick mode is a UX shortcut.
 *
 * The cache is a single JSON file in a caller-chosen directory (the VS Code extension passes its
 * globalStorage path; the CLI default is $XDG_CACHE_HOME/trustlens or ~/.cache/trustlens). A
 * missing, unreadable or corrupt file is treated as empty; saving is atomic (temp file + rename)
 * and best-effort, so concurrent processes can at worst lose each other's new entries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The stat fields that must all be unchanged for a cached digest to be reused. */
export interface FileIdentity {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

/** Extracts the identity of a file from a `stat(..., { bigint: true })` result. */
export function identityOf(s: fs.BigIntStats): FileIdentity {
  return { size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino, dev: s.dev };
}

/** True when two identities describe the same unchanged file. */
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;
}

/** `$XDG_CACHE_HOME/trustlens`, else `~/.cache/trustlens`. */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'trustlens');
}

/** File name of the cache inside its directory. */
export const DIGEST_CACHE_FILE = 'digest-cache-v1.json';
const FORMAT_VERSION = 1;
/** Upper bound on entries; the least recently used are dropped on save. */
export const MAX_CACHE_ENTRIES = 200_000;

/** [size, mtimeNs, ctimeNs, ino, dev, digest, lastUsedMs]; bigints as decimal strings. */
type StoredEntry = [string, string, string, string, string, string, number];

const DIGITS = /^\d+$/;
const HEX = /^[0-9a-f]+$/;

function validEntry(v: unknown): v is StoredEntry {
  return (
    Array.isArray(v) &&
    v.length === 7 &&
    v.slice(0, 5).every((x) => typeof x === 'string' && DIGITS.test(x)) &&
    typeof v[5] === 'string' &&
    HEX.test(v[5]) &&
    typeof v[6] === 'number'
  );
}

function keyOf(absPath: string, algorithm: string, start: number, end: number): string {
  return `${algorithm}\u0000${start}\u0000${end}\u0000${absPath}`;
}

/** A loaded digest cache. Obtain one with `openDigestCache`. */
export class DigestCache {
  private dirty = false;
  private loadedMtimeMs = -1;

  private constructor(
    /** Directory holding the cache file. */
    readonly dir: string,
    private entries: Map<string, StoredEntry>,
  ) {}

  /** Path of the JSON file. */
  get file(): string {
    return path.join(this.dir, DIGEST_CACHE_FILE);
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Loads the cache from `dir` (missing or corrupt file = empty cache; never throws for content). */
  static async load(dir: string): Promise<DigestCache> {
    const c = new DigestCache(dir, new Map());
    await c.reload();
    return c;
  }

  /** Re-reads the file if it changed on disk since the last load/save. */
  async reload(): Promise<void> {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(this.file);
    } catch {
      return; // no cache yet
    }
    if (st.mtimeMs === this.loadedMtimeMs) return;
    const fresh = new Map<string, StoredEntry>();
    const trusted = isPrivate(st) && isPrivate(await fs.promises.stat(this.dir).catch(() => undefined));
    try {
      if (!trusted) throw new Error('the cache file or its directory is writable by others');
      const parsed = JSON.parse(await fs.promises.readFile(this.file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && (parsed as { version?: unknown }).version === FORMAT_VERSION) {
        const entries = (parsed as { entries?: unknown }).entries;
        if (entries && typeof entries === 'object') {
          for (const [k, v] of Object.entries(entries as Record<string, unknown>)) if (validEntry(v)) fresh.set(k, v);
        }
      }
    } catch {
      // Corrupt, unreadable or not private: start empty; the next save overwrites it.
    }
    // Keep entries added in memory that were not saved yet.
    if (this.dirty) for (const [k, v] of this.entries) if (!fresh.has(k)) fresh.set(k, v);
    this.entries = fresh;
    this.loadedMtimeMs = st.mtimeMs;
  }

  /** The cached digest of [start, end) of `absPath` under `algorithm`, if the identity still matches. */
  get(absPath: string, id: FileIdentity, algorithm: string, start: number, end: number): string | undefined {
    const k = keyOf(absPath, algorithm, start, end);
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (e[0] !== String(id.size) || e[1] !== String(id.mtimeNs) || e[2] !== String(id.ctimeNs) || e[3] !== String(id.ino) || e[4] !== String(id.dev)) {
      this.entries.delete(k);
      this.dirty = true;
      return undefined;
    }
    e[6] = Date.now();
    return e[5];
  }

  /** Records a digest computed from a file whose identity was `id` before and after hashing. */
  set(absPath: string, id: FileIdentity, algorithm: string, start: number, end: number, digest: string): void {
    if (!HEX.test(digest)) return;
    this.entries.set(keyOf(absPath, algorithm, start, end), [String(id.size), String(id.mtimeNs), String(id.ctimeNs), String(id.ino), String(id.dev), digest, Date.now()]);
    this.dirty = true;
  }

  /** Drops every entry (in memory; call save() to persist). */
  clear(): void {
    this.entries.clear();
    this.dirty = true;
  }

  /** Writes the cache atomically if it changed. Best-effort: returns false instead of throwing on I/O errors. */
  async save(): Promise<boolean> {
    if (!this.dirty) return true;
    let list = [...this.entries];
    if (list.length > MAX_CACHE_ENTRIES) {
      list.sort((a, b) => b[1][6] - a[1][6]);
      list = list.slice(0, MAX_CACHE_ENTRIES);
      this.entries = new Map(list);
    }
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
      // 'wx': never follow a link planted at the temp name.
      await fs.promises.writeFile(tmp, JSON.stringify({ version: FORMAT_VERSION, entries: Object.fromEntries(list) }), { mode: 0o600, flag: 'wx' });
      await fs.promises.rename(tmp, this.file);
      this.dirty = false;
      this.loadedMtimeMs = (await fs.promises.stat(this.file)).mtimeMs;
      return true;
    } catch {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      return false;
    }
  }
}

/**
 * A cache file (or directory) another user could write would let them vouch for tampered files
 * in quick mode, so it is only read when owned by this user and not group/other-writable (POSIX).
 */
function isPrivate(st: fs.Stats | undefined): boolean {
  if (!st) return false;
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

const opened = new Map<string, Promise<DigestCache>>();

/**
 * The process-wide cache for `dir` (default: defaultCacheDir()), loaded once and re-read when
 * the file changes on disk, so repeated quick verifications do not re-parse it.
 */
export async function openDigestCache(dir: string = defaultCacheDir()): Promise<DigestCache> {
  const key = path.resolve(dir);
  let p = opened.get(key);
  if (!p) {
    p = DigestCache.load(key);
    opened.set(key, p);
    p.catch(() => opened.delete(key));
    return p;
  }
  const c = await p;
  await c.reload();
  return c;
}
