import type { HashAlgorithm } from '../types';

/** Hash the bytes [start, end) of `path`. */
export interface HashJob {
  path: string;
  start: number;
  end: number;
  algorithm: HashAlgorithm;
  /**
   * Whole-file job (files mode): the file must end exactly at `end`; if it grew or shrank since
   * it was listed, the job fails with FILE_CHANGED instead of hashing a moving target.
   */
  wholeFile: boolean;
  /**
   * The last shard of a file (shards mode): the file must still end at `end`, so that bytes
   * appended after listing fail the job instead of leaving the tail unhashed.
   */
  lastRange?: boolean;
  /**
   * Inode and device seen when the file was listed: the opened file must be that same file, so
   * a file or parent directory swapped (for a symlink, another file) after listing fails the job.
   */
  identity?: { ino: bigint; dev: bigint };
}

/** Error detail that crosses the worker boundary (Error objects lose their class there). */
export interface HashJobError {
  code: 'NOT_FOUND' | 'FILE_CHANGED' | 'IO_ERROR' | 'SYMLINK_NOT_ALLOWED' | 'NOT_A_FILE';
  message: string;
  path: string;
}

export type HashJobResult = { digest: string } | { error: HashJobError };

/** main → worker */
export interface HashBatchRequest {
  id: number;
  jobs: HashJob[];
  chunkSize: number;
  /** Overlap reads with hashing for big jobs (set when the operation leaves cores idle). */
  overlap: boolean;
}

/** worker → main */
export type HashWorkerMessage =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; results: HashJobResult[] };

/** Jobs at least this big may overlap reading and hashing (double buffering). */
export const OVERLAP_MIN_BYTES = 2 * 1024 * 1024;

/** Default read size: large reads amortize syscalls; the buffer is reused per worker. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
