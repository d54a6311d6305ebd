/**
 * DSSE (Dead Simple Signing Envelope): the pre-authentication encoding that is actually signed,
 * and the envelope schema. See OMS-NOTES §1.3.
 */
import { z } from 'zod';

/** payloadType of every OMS envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** `PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body` (lengths in bytes, decimal). */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, 'utf8');
  return Buffer.concat([head, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)]);
}

/**
 * The buggy PAE that model_signing v0.2.0 signed (verification only): capital `V`, and the payload
 * written as Python's `repr(bytes)` text, e.g. `b'{\n  "_type": …'`.
 */
export function paeCompat(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.from(`DSSEV1 ${type.length} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`, 'utf8');
}

/** Python 3 `repr()` of a bytes object. */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const hasDouble = bytes.includes(0x22);
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = 'b' + quote;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === quote.charCodeAt(0)) out += '\\' + quote;
    else if (b < 0x20 || b >= 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Strict standard base64 (with padding), as DSSE and the bundle spec use. Non-canonical
 * encodings (non-zero padding bits) are refused so one signed byte string has one spelling.
 */
export const base64String = z
  .string()
  .regex(BASE64, 'not standard base64')
  .refine((s) => Buffer.from(s, 'base64').toString('base64') === s, 'non-canonical base64');

/** One DSSE signature; `keyid` may be absent, "" or null (OMS spec §4.1). */
export const dsseSignatureSchema = z.object({
  sig: base64String.min(1, 'empty signature'),
  keyid: z.string().nullish(),
});

/** A DSSE envelope as found in `bundle.dsseEnvelope`. */
export const dsseEnvelopeSchema = z.object({
  payload: base64String,
  payloadType: z.string(),
  signatures: z.array(dsseSignatureSchema).min(1, 'envelope has no signature'),
});

export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;
