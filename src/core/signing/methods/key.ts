/**
 * Private-key method: ECDSA P-256/P-384/P-521 signer and public-key verifier, bundle layout
 * identical to model_signing 1.1 (`publicKey.hint`, `tlogEntries: []`, `keyid: ""`).
 */
import type { KeyObject } from 'node:crypto';
import type { BundleJson, BundleVerifier, ModelSigner, SignerInfo } from '../types';
import { buildBundle, parseBundleJson, requireMediaType } from '../bundle';
import { VerificationError } from '../verificationError';
import { throwIfAborted } from '../../abort';
import { loadPrivateKey, loadPublicKey, publicKeyHint } from './pem';
import { signDsse, verifyDsse } from './ecdsa';

export interface KeySignerOptions {
  /** PEM text of the private key (SEC1, PKCS#8 or encrypted PKCS#8). */
  privateKeyPem: string | Buffer;
  /** Passphrase for an encrypted key. Never logged. */
  passphrase?: string;
  /** Where the key came from, for error messages (e.g. its file path). */
  source?: string;
}

/** Creates a signer for the private-key method. Throws SigningError for unusable keys. */
export function createKeySigner(options: KeySignerOptions): ModelSigner {
  const key = loadPrivateKey(options.privateKeyPem, options.source ?? 'private key', options.passphrase);
  return new KeySigner(key);
}

class KeySigner implements ModelSigner {
  readonly method = 'key' as const;
  readonly #key: KeyObject;
  readonly #hint: string;
  constructor(key: KeyObject) {
    this.#key = key;
    this.#hint = publicKeyHint(key);
  }
  async sign(payload: Uint8Array, payloadType: string, signal?: AbortSignal): Promise<BundleJson> {
    throwIfAborted(signal);
    const sig = signDsse(this.#key, payload, payloadType);
    return buildBundle({ publicKey: { hint: this.#hint } }, payload, payloadType, sig);
  }
}

export interface KeyVerifierOptions {
  /** PEM text of the SPKI public key (leading text allowed). */
  publicKeyPem: string | Buffer;
  source?: string;
}

/**
 * Creates a verifier for the private-key method. Throws VerificationError VERIFIER_CONFIG for an
 * unusable public key. Like model_signing it also accepts certificate-method bundles, checking
 * only the signature against the supplied key (no chain, no policy).
 */
export function createKeyVerifier(options: KeyVerifierOptions): BundleVerifier {
  return new KeyVerifier(loadPublicKey(options.publicKeyPem, options.source ?? 'public key'));
}

class KeyVerifier implements BundleVerifier {
  readonly method = 'key' as const;
  readonly #key: KeyObject;
  readonly #hint: string;
  constructor(key: KeyObject) {
    this.#key = key;
    this.#hint = publicKeyHint(key);
  }
  async verify(bundleJson: BundleJson, signal?: AbortSignal) {
    throwIfAborted(signal);
    const bundle = parseBundleJson(bundleJson);
    requireMediaType(bundle);
    if (bundle.material.kind === 'publicKey' && bundle.material.hint !== undefined && bundle.material.hint !== this.#hint) {
      throw new VerificationError(
        'KEY_MISMATCH',
        `the bundle was signed with another key (hint ${bundle.material.hint}, the supplied public key has ${this.#hint})`,
      );
    }
    if (bundle.material.kind === 'certificate') {
      throw new VerificationError('KEY_MISMATCH', 'the bundle is a Sigstore (keyless) bundle; verify it with the sigstore method');
    }
    if (!verifyDsse(this.#key, bundle.payload, bundle.envelope.payloadType, bundle.signature)) {
      throw new VerificationError('SIGNATURE_INVALID', 'the DSSE signature does not verify with the supplied public key');
    }
    const signer: SignerInfo = { method: 'key', keyHint: this.#hint };
    return { payload: new Uint8Array(bundle.payload), payloadType: bundle.envelope.payloadType, signer };
  }
}
