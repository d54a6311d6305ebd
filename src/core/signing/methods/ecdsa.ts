/** ECDSA over the DSSE PAE, as model_signing signs and verifies it (DER signatures, hash by curve). */
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { pae, paeCompat } from '../dsse';
import { hashForKey } from './pem';

/** Signs PAE(payloadType, payload) with an EC private key; returns the DER signature. */
export function signDsse(key: KeyObject, payload: Uint8Array, payloadType: string): Buffer {
  const hash = hashForKey(key);
  if (!hash) throw new TypeError('signDsse: unsupported key');
  return cryptoSign(hash, pae(payloadType, payload), { key, dsaEncoding: 'der' });
}

/**
 * Checks a DSSE signature. Tries the normal PAE with the curve's hash, then model_signing v0.2.0's
 * compat PAE (with `compatHash`: the curve hash for keys, SHA-256 for certificates).
 * Returns which encoding matched, or undefined.
 */
export function verifyDsse(
  key: KeyObject,
  payload: Uint8Array,
  payloadType: string,
  signature: Uint8Array,
  compatHash?: 'sha256' | 'sha384' | 'sha512',
): 'pae' | 'compat' | undefined {
  const hash = hashForKey(key);
  if (!hash) return undefined;
  if (safeVerify(hash, pae(payloadType, payload), key, signature)) return 'pae';
  if (safeVerify(compatHash ?? hash, paeCompat(payloadType, payload), key, signature)) return 'compat';
  return undefined;
}

function safeVerify(hash: string, data: Buffer, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return cryptoVerify(hash, data, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false; // malformed DER signature
  }
}
