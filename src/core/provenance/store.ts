import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { TrustLensError } from '../errors';
import { reanchor } from './fingerprint';
import type { AiRange, ProvenanceSource } from './types';

/** Bumped on incompatible changes; readers reject versions they do not know. */
export const PROVENANCE_STORE_VERSION = 1;

/** Conventional location of the store inside a workspace folder (teams may commit it). */
export const PROVENANCE_STORE_PATH = '.trustlens/ai-ranges.json';

const rangeSchema = z.object({
  startLine: z.number().int().min(0),
  startCol: z.number().int().min(0),
  endLine: z.number().int().min(0),
  endCol: z.number().int().min(0),
});

const storedRangeSchema = z.object({
  range: rangeSchema,
  source: z.enum(['record', 'live', 'git', 'user', 'marker']),
  tool: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
  evidence: z.string().max(2000),
  /** Normalised line hashes of the lines the range covered when saved (see fingerprint.ts). */
  lineHashes: z.array(z.string().regex(/^[0-9a-f]{16}$/)).max(100_000),
});

const storeSchema = z.object({
  version: z.literal(PROVENANCE_STORE_VERSION),
  /** Keys are workspace-relative paths with forward slashes. */
  files: z.record(z.string().min(1), z.array(storedRangeSchema)),
});

/** One AI range as persisted, with its content fingerprint. */
export type StoredAiRange = z.infer<typeof storedRangeSchema>;
/** The per-workspace provenance store (`.trustlens/ai-ranges.json`). */
export type ProvenanceStore = z.infer<typeof storeSchema>;

export type ProvenanceStoreErrorCode = 'PROVENANCE_STORE_INVALID' | 'PROVENANCE_STORE_UNSUPPORTED_VERSION';

/** An empty store. */
export function emptyStore(): ProvenanceStore {
  return { version: PROVENANCE_STORE_VERSION, files: {} };
}

/**
 * Parses and validates a store. Throws TrustLensError `PROVENANCE_STORE_INVALID` (not JSON, or
 * the first schema problem with its JSON path) or `PROVENANCE_STORE_UNSUPPORTED_VERSION`.
 */
export function parseProvenanceStore(text: string, origin = 'provenance store'): ProvenanceStore {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TrustLensError<ProvenanceStoreErrorCode>('PROVENANCE_STORE_INVALID', `${origin} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== PROVENANCE_STORE_VERSION) {
    throw new TrustLensError<ProvenanceStoreErrorCode>(
      'PROVENANCE_STORE_UNSUPPORTED_VERSION',
      `${origin} has version ${version}; this TrustLens reads version ${PROVENANCE_STORE_VERSION}`,
    );
  }
  const parsed = storeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    throw new TrustLensError<ProvenanceStoreErrorCode>('PROVENANCE_STORE_INVALID', `${origin} is invalid at ${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** Stable JSON for the store: files sorted by path, two-space indent, trailing newline. */
export function serializeProvenanceStore(store: ProvenanceStore): string {
  const files = Object.fromEntries(Object.keys(store.files).sort().map((k) => [k, store.files[k]]));
  return JSON.stringify({ version: store.version, files }, null, 2) + '\n';
}

/** Converts an AiRange plus the document text it lives in into its stored form. */
export function toStored(r: AiRange, lineHashesOfRange: string[]): StoredAiRange {
  return {
    range: r.range,
    source: r.source,
    ...(r.tool ? { tool: r.tool } : {}),
    ...(r.at ? { at: r.at.toISOString() } : {}),
    evidence: r.evidence,
    lineHashes: lineHashesOfRange,
  };
}

/** Result of loading one file's stored ranges against its current text. */
export interface RestoredRanges {
  ranges: AiRange[];
  /** Stored ranges whose code could not be found any more (deleted or rewritten outside the editor). */
  lost: StoredAiRange[];
}

/**
 * Restores stored ranges against the file's current text, re-anchoring each by its line
 * fingerprint when the file changed outside the editor. A range that still matches keeps its
 * exact columns; a moved or partly surviving one becomes whole lines, and its evidence says so.
 */
export function restoreRanges(stored: readonly StoredAiRange[], text: string): RestoredRanges {
  const ranges: AiRange[] = [];
  const lost: StoredAiRange[] = [];
  for (const s of stored) {
    const found = reanchor(s.lineHashes, s.range.startLine, text);
    if (found.status === 'lost') {
      lost.push(s);
      continue;
    }
    const note = found.status === 'unchanged' ? '' : found.status === 'moved' ? ' (re-anchored: moved)' : ' (re-anchored: partly changed)';
    ranges.push({
      range: found.status === 'unchanged' ? s.range : found.range,
      source: s.source as ProvenanceSource,
      ...(s.tool ? { tool: s.tool } : {}),
      ...(s.at ? { at: new Date(s.at) } : {}),
      evidence: s.evidence + note,
    });
  }
  return { ranges, lost };
}

/** Reads the store at `file`; a missing file is an empty store, anything else invalid throws. */
export async function readProvenanceStore(file: string): Promise<ProvenanceStore> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyStore();
    throw e;
  }
  return parseProvenanceStore(text, file);
}

/** Writes the store atomically (temp file + rename) so a crash never leaves half a file. */
export async function writeProvenanceStore(file: string, store: ProvenanceStore): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, serializeProvenanceStore(store), 'utf8');
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
