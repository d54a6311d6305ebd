/**
 * Sigstore bundle v0.3 JSON (the content of `model.sig`): a tolerant zod reader for every layout
 * model_signing has written, and a writer producing the v1.1 layout (OMS-NOTES §1.2).
 */
import { z } from 'zod';
import type { BundleJson } from './types';
import { dsseEnvelopeSchema, base64String, type DsseEnvelope } from './dsse';
import { VerificationError } from './verificationError';

/** The only mediaType the key and certificate methods accept (and the one we write). */
export const BUNDLE_MEDIA_TYPE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** Bundles larger than this are refused before JSON parsing (real ones are a few KB). */
export const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

const rawBytesSchema = z.object({ rawBytes: base64String.min(1) });

const publicKeySchema = z.object({
  hint: z.string().nullish(),
  rawBytes: base64String.nullish(),
  keyDetails: z.string().nullish(),
});

const verificationMaterialSchema = z
  .looseObject({
    publicKey: publicKeySchema.optional(),
    x509CertificateChain: z.object({ certificates: z.array(rawBytesSchema).min(1, 'empty certificate chain') }).optional(),
    certificate: rawBytesSchema.optional(),
    tlogEntries: z.array(z.unknown()).nullish(),
    timestampVerificationData: z.unknown().optional(),
  })
  .refine(
    (m) => [m.publicKey, m.x509CertificateChain, m.certificate].filter((x) => x !== undefined).length === 1,
    'verificationMaterial must hold exactly one of publicKey, x509CertificateChain, certificate',
  );

const bundleSchema = z.looseObject({
  mediaType: z.string().min(1),
  verificationMaterial: verificationMaterialSchema,
  dsseEnvelope: dsseEnvelopeSchema,
});

/** The parts of a bundle TrustLens uses; `json` keeps the original for Sigstore verifiers. */
export interface ParsedBundle {
  mediaType: string;
  /** Which verification material the bundle carries. */
  material:
    | { kind: 'publicKey'; hint?: string }
    | { kind: 'x509CertificateChain'; certificates: Buffer[] }
    | { kind: 'certificate'; certificate: Buffer };
  envelope: DsseEnvelope;
  /** Decoded `dsseEnvelope.payload`. */
  payload: Buffer;
  /** Decoded `signatures[0].sig`; OMS (like model_signing) only uses the first signature. */
  signature: Buffer;
  json: BundleJson;
}

/** Parses bundle bytes/text. Throws VerificationError BUNDLE_MALFORMED for anything unusable. */
export function parseBundleText(text: string | Uint8Array): ParsedBundle {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
  if (size === 0) throw new VerificationError('BUNDLE_MALFORMED', 'signature file is empty');
  if (size > MAX_BUNDLE_BYTES) throw new VerificationError('BUNDLE_MALFORMED', `signature file is too large (${size} bytes)`);
  const str = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(str);
  } catch (e) {
    throw new VerificationError('BUNDLE_MALFORMED', `signature file is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  return parseBundleJson(json);
}

/** Validates an already-parsed JSON value as a DSSE Sigstore bundle. */
export function parseBundleJson(json: unknown): ParsedBundle {
  const r = bundleSchema.safeParse(json);
  if (!r.success) throw new VerificationError('BUNDLE_MALFORMED', `not a Sigstore DSSE bundle: ${describeZodError(r.error)}`);
  const b = r.data;
  const vm = b.verificationMaterial;
  let material: ParsedBundle['material'];
  if (vm.publicKey) {
    // Pre-1.1 bundles carry rawBytes+keyDetails instead of a hint; like model_signing we ignore them
    // (the caller supplies the key) and simply have no hint to compare.
    const hint = vm.publicKey.hint ?? undefined;
    if (hint !== undefined && !/^[0-9a-f]{64}$/i.test(hint)) throw new VerificationError('BUNDLE_MALFORMED', 'publicKey.hint is not a SHA-256 hex digest');
    material = { kind: 'publicKey', hint: hint?.toLowerCase() };
  } else if (vm.x509CertificateChain) {
    material = { kind: 'x509CertificateChain', certificates: vm.x509CertificateChain.certificates.map((c) => Buffer.from(c.rawBytes, 'base64')) };
  } else {
    material = { kind: 'certificate', certificate: Buffer.from(vm.certificate!.rawBytes, 'base64') };
  }
  return {
    mediaType: b.mediaType,
    material,
    envelope: b.dsseEnvelope,
    payload: Buffer.from(b.dsseEnvelope.payload, 'base64'),
    signature: Buffer.from(b.dsseEnvelope.signatures[0].sig, 'base64'),
    json: json as BundleJson,
  };
}

/** Throws MEDIA_TYPE unless the bundle's mediaType is exactly `expected`. */
export function requireMediaType(bundle: ParsedBundle, expected: string = BUNDLE_MEDIA_TYPE_V03): void {
  if (bundle.mediaType !== expected) {
    throw new VerificationError('MEDIA_TYPE', `unsupported bundle mediaType '${truncate(bundle.mediaType)}' (expected '${expected}')`);
  }
}

/** Verification material a signer puts into a key / certificate bundle. */
export type WrittenMaterial = { publicKey: { hint: string } } | { x509CertificateChain: { certificates: { rawBytes: string }[] } };

/**
 * Builds a v1.1-layout bundle object with model_signing's key order
 * (mediaType, verificationMaterial, dsseEnvelope), `tlogEntries: []` and `keyid: ""`.
 */
export function buildBundle(material: WrittenMaterial, payload: Uint8Array, payloadType: string, signature: Uint8Array): BundleJson {
  return {
    mediaType: BUNDLE_MEDIA_TYPE_V03,
    verificationMaterial: { ...material, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from(payload).toString('base64'),
      payloadType,
      signatures: [{ sig: Buffer.from(signature).toString('base64'), keyid: '' }],
    },
  };
}

/** Compact JSON without trailing newline, as model_signing 1.1 writes it. */
export function serializeBundle(bundle: BundleJson): string {
  return JSON.stringify(bundle);
}

/** A short human description of the first few zod issues, with their JSON paths. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function truncate(s: string, n = 80): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
