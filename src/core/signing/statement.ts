/**
 * The in-toto Statement v1 that OMS signs: building it from a Manifest, serializing the payload,
 * and parsing a signed payload back into a Manifest with every consistency check (OMS-NOTES §1.4-1.9).
 */
import { z } from 'zod';
import type { HashAlgorithm, Manifest, ResourceDescriptor, SerializationParams } from './types';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse';
import { VerificationError } from './verificationError';
import { describeZodError } from './bundle';
import { computeRootDigest } from './serialization';
import { parseShardName, relativePathProblem } from './resourceNames';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The predicate every current OMS signer writes. */
export const PREDICATE_TYPE_V1 = 'https://model_signing/signature/v1.0';
/** model_signing v0.2.0's predicate (verify only; one subject per file, no root digest). */
export const PREDICATE_TYPE_LEGACY_DIGESTS = 'https://model_signing/Digests/v0.1';
/** Model name model_signing reports for legacy statements. */
export const LEGACY_MODEL_NAME = 'compat-undefined-not-present';

const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'blake2b', 'blake3'];
const DIGEST_HEX_LENGTH: Record<HashAlgorithm, number> = { sha256: 64, blake2b: 128, blake3: 64 };

/** The statement object in the key order model_signing's protobuf writer uses at top level. */
export interface InTotoStatement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: { serialization: Record<string, unknown>; resources: ResourceDescriptor[] };
}

/** Builds the OMS v1.0 statement for a manifest. `ignore_paths` are written sorted for stable output. */
export function buildStatement(manifest: Manifest): InTotoStatement {
  const s = manifest.serialization;
  const serialization: Record<string, unknown> = { method: s.method, hash_type: s.hash_type, allow_symlinks: s.allow_symlinks };
  if (s.method === 'shards') serialization.shard_size = s.shard_size;
  if (s.ignore_paths && s.ignore_paths.length > 0) serialization.ignore_paths = [...new Set(s.ignore_paths)].sort();
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: manifest.rootDigest } }],
    predicateType: PREDICATE_TYPE_V1,
    predicate: {
      serialization,
      resources: manifest.resources.map((r) => ({ name: r.name, algorithm: r.algorithm, digest: r.digest })),
    },
  };
}

/**
 * Payload bytes: 2-space indented JSON like protobuf's MessageToJson, non-ASCII escaped as
 * `\uXXXX` (Python's ensure_ascii), no trailing newline. Deterministic for a given manifest.
 */
export function serializeStatement(statement: InTotoStatement): Buffer {
  const text = JSON.stringify(statement, null, 2).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return Buffer.from(text, 'utf8');
}

/** What a verified payload says was signed. */
export interface ParsedStatement {
  predicateType: string;
  /** True for the v0.1 `Digests` predicate (no root digest, files/sha256 implied). */
  legacy: boolean;
  /** The signed manifest (resources in listed order, root digest re-computed and checked). */
  manifest: Manifest;
}

const hex = (len?: number) => z.string().regex(len ? new RegExp(`^[0-9a-f]{${len}}$`) : /^(?:[0-9a-f]{2})+$/, 'not lowercase hex');

const envelopeShape = z.looseObject({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE, { error: `_type must be ${IN_TOTO_STATEMENT_TYPE}` }),
  predicateType: z.string(),
});

const v1Schema = z.looseObject({
  subject: z.array(z.looseObject({ name: z.string(), digest: z.looseObject({ sha256: hex(64) }) })).length(1, 'statement must have exactly one subject'),
  predicate: z.looseObject({
    serialization: z.looseObject({
      method: z.string(),
      hash_type: z.string(),
      allow_symlinks: z.boolean(),
      shard_size: z.number().optional(),
      ignore_paths: z.array(z.string()).optional(),
    }),
    resources: z.array(z.looseObject({ name: z.string(), algorithm: z.string(), digest: hex() })),
  }),
});

const legacySchema = z.looseObject({
  subject: z.array(
    z.looseObject({
      name: z.string(),
      digest: z.looseObject({ sha256: hex(64) }),
      annotations: z.looseObject({ actual_hash_algorithm: z.string().optional() }).optional(),
    }),
  ),
});

/**
 * Parses a verified DSSE payload. Throws VerificationError with PAYLOAD_MALFORMED, PREDICATE_TYPE,
 * SERIALIZATION_UNSUPPORTED, RESOURCE_NAME_INVALID, DUPLICATE_RESOURCE, IGNORE_PATHS_INVALID or
 * ROOT_DIGEST_MISMATCH. Unknown extra fields are ignored (forward compatible, like model_signing).
 */
export function parseStatement(payload: Uint8Array, payloadType: string): ParsedStatement {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new VerificationError('PAYLOAD_MALFORMED', `payloadType '${payloadType.slice(0, 80)}' is not ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (e) {
    throw new VerificationError('PAYLOAD_MALFORMED', 'payload is not UTF-8 JSON', { cause: e });
  }
  const head = envelopeShape.safeParse(json);
  if (!head.success) throw new VerificationError('PAYLOAD_MALFORMED', `payload is not an in-toto Statement v1: ${describeZodError(head.error)}`);
  if (head.data.predicateType === PREDICATE_TYPE_V1) return parseV1(json);
  if (head.data.predicateType === PREDICATE_TYPE_LEGACY_DIGESTS) return parseLegacy(json);
  throw new VerificationError('PREDICATE_TYPE', `predicateType '${head.data.predicateType.slice(0, 120)}' is not ${PREDICATE_TYPE_V1}`);
}

function parseV1(json: unknown): ParsedStatement {
  const r = v1Schema.safeParse(json);
  if (!r.success) throw new VerificationError('PAYLOAD_MALFORMED', `statement does not match the OMS v1.0 predicate: ${describeZodError(r.error)}`);
  const { subject, predicate } = r.data;
  const serialization = parseSerialization(predicate.serialization);
  const resources = predicate.resources.map((x) => ({ name: x.name, algorithm: x.algorithm, digest: x.digest }));
  checkResources(resources, serialization);
  checkIgnorePaths(serialization.ignore_paths ?? [], resources, serialization);
  const rootDigest = computeRootDigest(resources);
  if (rootDigest !== subject[0].digest.sha256) {
    throw new VerificationError(
      'ROOT_DIGEST_MISMATCH',
      `manifest is inconsistent: subject digest is ${subject[0].digest.sha256}, but the listed resources hash to ${rootDigest}`,
    );
  }
  return { predicateType: PREDICATE_TYPE_V1, legacy: false, manifest: { modelName: subject[0].name, resources, serialization, rootDigest } };
}

function parseLegacy(json: unknown): ParsedStatement {
  const r = legacySchema.safeParse(json);
  if (!r.success) throw new VerificationError('PAYLOAD_MALFORMED', `legacy Digests statement is malformed: ${describeZodError(r.error)}`);
  const serialization: SerializationParams = { method: 'files', hash_type: 'sha256', allow_symlinks: false };
  for (const s of r.data.subject) {
    const algo = s.annotations?.actual_hash_algorithm;
    if (algo !== undefined && algo !== 'file-sha256') {
      throw new VerificationError('SERIALIZATION_UNSUPPORTED', `legacy statement uses hash algorithm '${algo.slice(0, 40)}'`);
    }
  }
  const resources = r.data.subject.map((s) => ({ name: s.name, algorithm: 'sha256', digest: s.digest.sha256 }));
  checkResources(resources, serialization);
  return {
    predicateType: PREDICATE_TYPE_LEGACY_DIGESTS,
    legacy: true,
    manifest: { modelName: LEGACY_MODEL_NAME, resources, serialization, rootDigest: computeRootDigest(resources) },
  };
}

function parseSerialization(raw: z.infer<typeof v1Schema>['predicate']['serialization']): SerializationParams {
  if (raw.method !== 'files' && raw.method !== 'shards') {
    throw new VerificationError('SERIALIZATION_UNSUPPORTED', `unknown serialization method '${raw.method.slice(0, 40)}'`);
  }
  if (!(HASH_ALGORITHMS as readonly string[]).includes(raw.hash_type)) {
    throw new VerificationError('SERIALIZATION_UNSUPPORTED', `unknown hash_type '${raw.hash_type.slice(0, 40)}'`);
  }
  const params: SerializationParams = { method: raw.method, hash_type: raw.hash_type as HashAlgorithm, allow_symlinks: raw.allow_symlinks };
  if (raw.method === 'shards' && raw.hash_type === 'blake3') {
    // No signer writes this (BLAKE3 falls back to the files method) and re-serializing would give
    // a files manifest, whose names the shard comparison would misread.
    throw new VerificationError('SERIALIZATION_UNSUPPORTED', 'the shards method with blake3 is not supported (BLAKE3 signatures use the files method)');
  }
  if (raw.method === 'shards') {
    // Python writes 1000000000.0; JSON.parse gives the integral number either way.
    if (raw.shard_size === undefined || !Number.isSafeInteger(raw.shard_size) || raw.shard_size <= 0) {
      throw new VerificationError('PAYLOAD_MALFORMED', 'shards serialization needs a positive integral shard_size');
    }
    params.shard_size = raw.shard_size;
  }
  if (raw.ignore_paths !== undefined) params.ignore_paths = raw.ignore_paths;
  return params;
}

/** Names well-formed and unique, algorithms consistent with the serialization, digest lengths right. */
function checkResources(resources: ResourceDescriptor[], s: SerializationParams): void {
  const seen = new Set<string>();
  const paths = new Set<string>();
  const expectedAlgos =
    s.method === 'files' ? [s.hash_type] : [s.hash_type, `${s.hash_type}-sharded-${s.shard_size}`];
  for (const r of resources) {
    if (!expectedAlgos.includes(r.algorithm)) {
      throw new VerificationError('PAYLOAD_MALFORMED', `resource '${printable(r.name)}' has algorithm '${printable(r.algorithm)}', expected ${expectedAlgos.join(' or ')}`);
    }
    if (r.digest.length !== DIGEST_HEX_LENGTH[s.hash_type]) {
      throw new VerificationError('PAYLOAD_MALFORMED', `resource '${printable(r.name)}' has a ${r.digest.length / 2}-byte digest, ${s.hash_type} gives ${DIGEST_HEX_LENGTH[s.hash_type] / 2}`);
    }
    let path = r.name;
    if (s.method === 'shards') {
      const shard = parseShardName(r.name);
      if (!shard) throw new VerificationError('RESOURCE_NAME_INVALID', `shard name '${printable(r.name)}' is not 'path:start:end'`);
      if (shard.end <= shard.start || shard.end - shard.start > s.shard_size!) {
        throw new VerificationError('RESOURCE_NAME_INVALID', `shard '${printable(r.name)}' has an invalid byte range for shard size ${s.shard_size}`);
      }
      path = shard.path;
    }
    if (path !== '.') {
      const problem = relativePathProblem(path);
      if (problem) throw new VerificationError('RESOURCE_NAME_INVALID', `resource name '${printable(r.name)}' ${problem}`);
    }
    if (seen.has(r.name)) throw new VerificationError('DUPLICATE_RESOURCE', `resource '${printable(r.name)}' is listed twice`);
    seen.add(r.name);
    paths.add(path);
  }
  // "." means "the model is this single file"; it cannot sit next to other paths.
  if (paths.has('.') && paths.size > 1) {
    throw new VerificationError('RESOURCE_NAME_INVALID', "resource name '.' (single-file model) is mixed with other paths");
  }
}

/**
 * Recorded ignore paths must be clean relative paths and must not cover a signed resource: a
 * statement that both signs and ignores a file is inconsistent, and re-applying such an ignore
 * would silently drop that file from verification.
 */
function checkIgnorePaths(ignorePaths: string[], resources: ResourceDescriptor[], s: SerializationParams): void {
  // Every signed path and each of its ancestor directories → that signed path: an ignore path
  // covers a signed file exactly when it is one of these keys (linear, not ignores × resources).
  const covered = new Map<string, string>();
  for (const r of resources) {
    const rp = s.method === 'shards' ? parseShardName(r.name)!.path : r.name;
    for (let i = rp.length; i !== -1; i = rp.lastIndexOf('/', i - 1)) {
      const prefix = rp.slice(0, i);
      if (covered.has(prefix)) break; // its ancestors were added with it
      covered.set(prefix, rp);
    }
  }
  for (const p of ignorePaths) {
    const problem = relativePathProblem(p);
    if (problem) throw new VerificationError('IGNORE_PATHS_INVALID', `ignore path '${printable(p)}' ${problem}`);
    const hidden = covered.get(p);
    if (hidden !== undefined) throw new VerificationError('IGNORE_PATHS_INVALID', `ignore path '${printable(p)}' would hide the signed file '${printable(hidden)}'`);
  }
}

/** Names in messages: bounded length, control characters (C0, C1, bidi overrides) made visible. */
export function printable(s: string, max = 200): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16)}`;
  });
  return clean.length > max ? clean.slice(0, max) + '…' : clean;
}
