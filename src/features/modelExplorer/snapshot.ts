/**
 * Cheap change detection without re-hashing: the (size, mtime, inode) of every file of a model,
 * taken when it was verified. Comparing a fresh stat with the snapshot tells, in milliseconds,
 * whether a file may have changed (the engine's digest cache uses the same key). A mismatch never
 * proves a file is intact: it only turns a verified model into "modified" (fail closed).
 */
import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { listModelFiles } from './discovery';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** ctime is set by the kernel only, so a forged mtime (utimes) still shows up. */
  ctimeMs: number;
  ino: number;
}

/** relPath (POSIX) -> stamp, for every file of the model except the signature file. */
export type Snapshot = Record<string, FileStamp>;

export async function stampOf(file: string): Promise<FileStamp | undefined> {
  try {
    const st = await lstat(file);
    return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
  } catch {
    return undefined;
  }
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** Takes a snapshot of a model folder (stat only). */
export async function takeSnapshot(folder: string, signatureFileName: string, signal?: AbortSignal): Promise<Snapshot> {
  const { files } = await listModelFiles(folder, 100_000, signal);
  const snap: Snapshot = {};
  for (const f of files) {
    if (f.relPath === signatureFileName) continue;
    const st = await stampOf(path.join(folder, ...f.relPath.split('/')));
    if (st) snap[f.relPath] = st;
  }
  return snap;
}

/** Files that differ between a stored snapshot and the folder now. */
export async function compareSnapshot(folder: string, stored: Snapshot, signatureFileName: string): Promise<{ changed: string[]; added: string[]; missing: string[] }> {
  const now = await takeSnapshot(folder, signatureFileName);
  const changed: string[] = [];
  const added: string[] = [];
  const missing: string[] = [];
  for (const [rel, st] of Object.entries(stored)) {
    if (!(rel in now)) missing.push(rel);
    else if (!sameStamp(st, now[rel])) changed.push(rel);
  }
  for (const rel of Object.keys(now)) if (!(rel in stored)) added.push(rel);
  return { changed: changed.sort(), added: added.sort(), missing: missing.sort() };
}
