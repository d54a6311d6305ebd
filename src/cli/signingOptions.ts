/**
 * Option parsing shared by `trustlens sign | verify | digest`: model_signing-compatible flags,
 * underscore spellings (`--public_key`), `--no-ignore-git-paths`, path resolution against the CWD.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';
import type { HashAlgorithm, SerializationMethod } from '../core/signing';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options understood by every model command. */
export const COMMON_MODEL_OPTIONS: OptionSpec = {
  'ignore-paths': { type: 'string', multiple: true },
  'ignore-git-paths': { type: 'boolean' },
  'no-ignore-git-paths': { type: 'boolean' },
  'allow-symlinks': { type: 'boolean' },
  'use-cache': { type: 'boolean' },
  json: { type: 'boolean' },
};

/** Serialization choices (sign and digest). */
export const SERIALIZATION_OPTIONS: OptionSpec = {
  'hash-algorithm': { type: 'string' },
  method: { type: 'string' },
  'shard-size': { type: 'string' },
};

/** Methods of `sign` / `verify`; like model_signing, a missing method word means sigstore. */
export const SIGNING_METHODS = ['key', 'certificate', 'sigstore'] as const;
export type CliSigningMethod = (typeof SIGNING_METHODS)[number];

/** model_signing normalizes `_` to `-` in option names; so do we (values are left alone). */
export function normalizeOptionNames(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      out.push(eq === -1 ? a.replace(/_/g, '-') : a.slice(0, eq).replace(/_/g, '-') + a.slice(eq));
    } else out.push(a);
  }
  return out;
}

/** parseArgs over normalized names; unknown options are usage errors. */
export function parse(argv: string[], options: OptionSpec) {
  return parseArgs({ args: normalizeOptionNames(argv), options, allowPositionals: true, strict: true });
}

/** Splits `[method] MODEL` positionals. */
export function methodAndModel(positionals: string[], command: string): { method: CliSigningMethod; model: string } {
  let rest = positionals;
  let method: CliSigningMethod = 'sigstore';
  if (rest.length > 0 && (SIGNING_METHODS as readonly string[]).includes(rest[0])) {
    method = rest[0] as CliSigningMethod;
    rest = rest.slice(1);
  }
  if (rest.length !== 1) throw new UsageError(rest.length === 0 ? `${command}: missing MODEL path` : `${command}: expected one MODEL path, got ${rest.length}`);
  return { method, model: rest[0] };
}

/** `--ignore-git-paths` (default) vs `--no-ignore-git-paths`. */
export function ignoreGitPaths(values: Record<string, unknown>): boolean {
  if (values['ignore-git-paths'] && values['no-ignore-git-paths']) throw new UsageError('--ignore-git-paths and --no-ignore-git-paths are mutually exclusive');
  return !values['no-ignore-git-paths'];
}

/**
 * `--ignore-paths` like model_signing: each path is resolved against the CWD, made relative to the
 * model root, and dropped when it lies outside the model.
 */
export function resolveIgnorePaths(values: Record<string, unknown>, modelPath: string, cwd: string): string[] {
  const raw = (values['ignore-paths'] as string[] | undefined) ?? [];
  const root = path.resolve(cwd, modelPath);
  const out: string[] = [];
  for (const p of raw) {
    const rel = path.relative(root, path.resolve(cwd, p));
    if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) continue;
    out.push(rel.split(path.sep).join('/'));
  }
  return out;
}

/** `--hash-algorithm` (accepts the reference API's `blake2` for blake2b). */
export function hashAlgorithm(values: Record<string, unknown>): HashAlgorithm {
  const v = (values['hash-algorithm'] as string | undefined) ?? 'sha256';
  if (v === 'blake2') return 'blake2b';
  if (v === 'sha256' || v === 'blake2b' || v === 'blake3') return v;
  throw new UsageError(`--hash-algorithm must be sha256, blake2b or blake3 (got '${v}')`);
}

/** `--method files|shards` and `--shard-size N`. */
export function serializationMethod(values: Record<string, unknown>): { method: SerializationMethod; shardSize?: number } {
  const m = (values.method as string | undefined) ?? 'files';
  if (m !== 'files' && m !== 'shards') throw new UsageError(`--method must be files or shards (got '${m}')`);
  const rawSize = values['shard-size'] as string | undefined;
  if (rawSize !== undefined && m !== 'shards') throw new UsageError('--shard-size needs --method shards');
  if (rawSize === undefined) return { method: m };
  const n = Number(rawSize);
  if (!/^[1-9][0-9]*$/.test(rawSize) || !Number.isSafeInteger(n)) throw new UsageError(`--shard-size must be a positive integer (got '${rawSize}')`);
  return { method: m, shardSize: n };
}

/** Reads a file named by an option; a missing/unreadable file is a usage error naming it. */
export function readOptionFile(file: string, option: string, cwd: string): Buffer {
  const p = path.resolve(cwd, file);
  let fd: number | undefined;
  try {
    // Non-blocking open + regular-file check: a FIFO or /dev/zero given as a key must not hang the CLI.
    fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${option} ${file}: not a regular file`);
    if (st.size > MAX_OPTION_FILE_BYTES) throw new UsageError(`${option} ${file}: larger than ${MAX_OPTION_FILE_BYTES} bytes; not a key, certificate or config file`);
    return fs.readFileSync(fd);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${option} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Keys, certificates and trust configs are small; anything bigger is a wrong path. */
const MAX_OPTION_FILE_BYTES = 16 * 1024 * 1024;

/** Value of a required string option, or a usage error. */
export function requireString(values: Record<string, unknown>, name: string, why: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required ${why}`);
  return v;
}
