/**
 * Result contracts of the model-file safety check. Everything here is plain data, so the CLI, the
 * model explorer and the signing flow render the same verdicts without recomputing anything.
 */
import type { ProgressCallback } from '../abort';

/**
 * Is this file safe to load?
 * - `safe`: every construct found is on the allowlist (or the format cannot run code).
 * - `unknown`: the file could not be fully checked (corrupt, truncated, unsupported format).
 * - `suspicious`: something neither allowed nor known-dangerous (e.g. a custom class), or a structural oddity.
 * - `dangerous`: code execution, file/network access, or a structure built to attack a loader.
 */
export type SafetyVerdict = 'safe' | 'unknown' | 'suspicious' | 'dangerous';

/** The formats the checker recognises (by content first, extension second). */
export type ModelFormat =
  | 'pickle'
  | 'pytorch-zip'
  | 'pytorch-legacy'
  | 'pytorch-legacy-tar'
  | 'numpy'
  | 'numpy-npz'
  | 'keras'
  | 'keras-h5'
  | 'safetensors'
  | 'gguf'
  | 'zip'
  | 'unknown';

/** Where in a file something was found: a byte offset in the file or in a (decompressed) archive member. */
export interface SafetyLocation {
  /** Archive member path (e.g. `archive/data.pkl`), absent for a top-level stream. */
  member?: string;
  /** Byte offset in the member's uncompressed bytes, or in the file when `member` is absent. */
  offset: number;
}

/** One callable/class a pickle imports (GLOBAL, STACK_GLOBAL, INST, EXT…), classified. */
export interface ImportedGlobal {
  module: string;
  name: string;
  verdict: 'safe' | 'suspicious' | 'dangerous';
  /** Why it was classified so (the rule that matched). */
  reason: string;
  /** The opcode that imported it. */
  opcode: string;
  /** False when the module/name could not be resolved statically (then module/name hold a placeholder). */
  resolved: boolean;
  /** First occurrences (capped), in scan order. */
  locations: SafetyLocation[];
  /** Total number of times it was imported. */
  count: number;
}

/** A non-import observation: a structural problem, a risky construct, a limit hit. */
export interface SafetyFinding {
  verdict: SafetyVerdict;
  /** Stable machine code, e.g. `PICKLE_TRUNCATED`, `SAFETENSORS_OVERLAP`, `KERAS_LAMBDA`. */
  code: string;
  message: string;
  location?: SafetyLocation;
}

/** The verdict for one file. */
export interface FileSafetyReport {
  /** Path as given by the caller. */
  path: string;
  format: ModelFormat;
  verdict: SafetyVerdict;
  /** One-line human summary of why the verdict is what it is. */
  summary: string;
  /** Every imported global (pickle-based formats), deduplicated by module+name. */
  globals: ImportedGlobal[];
  findings: SafetyFinding[];
  /** File size in bytes. */
  size: number;
  /**
   * Distinct bytes of the file read from disk (tensor payloads are skipped by offset). A byte read
   * more than once (format sniffing, then parsing) counts once, so this never exceeds `size`.
   */
  bytesRead: number;
  durationMs: number;
}

/** The verdicts for every model file below a folder. */
export interface FolderSafetyReport {
  root: string;
  /** Worst verdict over `files` (`safe` when there is none). */
  worst: SafetyVerdict;
  files: FileSafetyReport[];
  /** Paths (relative to root) that are not model files and were not checked. */
  skipped: string[];
}

/** Bounds that keep a scan's memory and time finite on hostile input. */
export interface SafetyLimits {
  /** Max entries in the pickle memo (beyond 200k, entries are stored without container contents). */
  maxMemo: number;
  /** Max items on the pickle stack (all mark levels together). */
  maxStack: number;
  /** Strings longer than this are skipped (kept as an opaque value), not held in memory. */
  maxKeptString: number;
  /** Characters of strings kept per pickle; past it only strings up to 96 characters are kept. */
  maxKeptChars: number;
  /** Byte strings up to this size are kept so nested pickles can be scanned. */
  maxKeptBytes: number;
  /** Max nesting of containers (zip in zip, pickle in pickle). */
  maxDepth: number;
  /** Max pickles read from one stream. */
  maxPicklesPerStream: number;
  /** Max JSON header (safetensors/Keras config) size in bytes. */
  maxJsonHeader: number;
  /** Max archive members examined. */
  maxMembers: number;
}

/** Options shared by the scan functions. */
export interface ScanOptions {
  signal?: AbortSignal;
  /** Called with bytes processed out of the total size. */
  onProgress?: ProgressCallback;
  limits?: Partial<SafetyLimits>;
}

export const DEFAULT_LIMITS: SafetyLimits = {
  maxMemo: 2_000_000,
  maxStack: 200_000,
  maxKeptString: 4096,
  maxKeptChars: 64 * 1024 * 1024,
  maxKeptBytes: 4 * 1024 * 1024,
  maxDepth: 4,
  maxPicklesPerStream: 64,
  maxJsonHeader: 100_000_000,
  maxMembers: 100_000,
};
