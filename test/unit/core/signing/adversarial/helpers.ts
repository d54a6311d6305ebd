/** Shared helpers of the adversarial signing tests: a key, re-signing forged statements, verdict asserts. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createKeySigner, createKeyVerifier, verifyModel, type BundleJson, type VerificationResult, type VerifyModelOptions } from '../../../../../src/core/signing';
import { PRIV, PUB } from '../vectors';

export const T = 'application/vnd.in-toto+json';
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const sha256Hex = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
export const rootOf = (digests: string[]) => createHash('sha256').update(Buffer.concat(digests.map((d) => Buffer.from(d, 'hex')))).digest('hex');

/** Signs arbitrary payload bytes with the vector key (the attacker holds a trusted key, or a buggy signer wrote it). */
export function signPayload(payload: Buffer | string, payloadType = T): Promise<BundleJson> {
  return createKeySigner({ privateKeyPem: PRIV() }).sign(Buffer.from(payload), payloadType);
}

/** A v1.0 statement over `resources` with a correct root digest. */
export function statement(resources: { name: string; algorithm?: string; digest: string }[], serialization: Json = {}): Json {
  const res = resources.map((r) => ({ name: r.name, algorithm: r.algorithm ?? 'sha256', digest: r.digest }));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model', digest: { sha256: rootOf(res.map((r) => r.digest)) } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: { serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ...serialization }, resources: res },
  };
}

export const keyVerify = (o: Partial<VerifyModelOptions> & { modelPath: string }) => verifyModel({ verifier: createKeyVerifier({ publicKeyPem: PUB() }), ...o });

export function expectValid(r: VerificationResult): void {
  assert.equal(r.verdict, 'valid', r.verdict === 'invalid' ? `${r.reason}: ${r.message}` : '');
}

export function expectInvalid(r: VerificationResult, reason?: string): void {
  assert.equal(r.verdict, 'invalid', 'the verifier accepted it');
  if (reason && r.verdict === 'invalid') assert.equal(r.reason, reason, r.message);
}
