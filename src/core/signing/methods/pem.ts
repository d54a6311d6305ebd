/** PEM helpers shared by the key and certificate methods. */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { SigningError, VerificationError } from '../verificationError';

/** Curves OMS allows and the hash model_signing pairs with each. */
const CURVE_HASH: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  prime256v1: 'sha256',
  secp384r1: 'sha384',
  secp521r1: 'sha512',
};

/** The ECDSA hash for a key's curve, or undefined if the key is not EC P-256/384/521. */
export function hashForKey(key: KeyObject): 'sha256' | 'sha384' | 'sha512' | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve ? CURVE_HASH[curve] : undefined;
}

/** Human name of a key type for error messages ("rsa", "ec secp256k1"). */
export function describeKeyType(key: KeyObject): string {
  return key.asymmetricKeyType === 'ec' ? `ec ${key.asymmetricKeyDetails?.namedCurve ?? '?'}` : String(key.asymmetricKeyType);
}

/** Canonical SubjectPublicKeyInfo PEM text (64-column base64, trailing newline), like Python's cryptography. */
export function canonicalSpkiPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/** model_signing's `publicKey.hint`: lowercase hex SHA-256 of the canonical SPKI PEM text (not of the DER). */
export function publicKeyHint(key: KeyObject): string {
  return createHash('sha256').update(canonicalSpkiPem(key), 'utf8').digest('hex');
}

/**
 * Loads an EC private key from PEM (SEC1, PKCS#8 or encrypted PKCS#8; leading text allowed).
 * Errors name `source` and the reason, never the key material or the passphrase.
 */
export function loadPrivateKey(pem: string | Buffer, source: string, passphrase?: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase: passphrase ?? undefined });
  } catch {
    // Decide from the PEM itself: OpenSSL's error codes for these cases vary between versions.
    const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem.toString());
    if (encrypted && !passphrase) throw new SigningError('KEY_PASSPHRASE', `${source}: the private key is encrypted; a passphrase is required`);
    if (encrypted) throw new SigningError('KEY_PASSPHRASE', `${source}: cannot decrypt the private key (wrong passphrase?)`);
    throw new SigningError('KEY_INVALID', `${source}: not a readable PEM private key`);
  }
  if (!hashForKey(key)) {
    throw new SigningError('KEY_UNSUPPORTED', `${source}: unsupported key type ${describeKeyType(key)}; only EC P-256, P-384 and P-521 keys are supported`);
  }
  return key;
}

/** Loads an EC public key (SPKI PEM, or a certificate PEM) for verification. */
export function loadPublicKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new VerificationError('VERIFIER_CONFIG', `${source}: not a readable PEM public key`);
  }
  if (!hashForKey(key)) {
    throw new VerificationError('VERIFIER_CONFIG', `${source}: unsupported key type ${describeKeyType(key)}; only EC P-256, P-384 and P-521 keys are supported`);
  }
  return key;
}

const CERT_PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text (text between blocks, e.g. certtool's dump, is skipped). */
export function parseCertificatesPem(pem: string | Buffer, source: string): X509Certificate[] {
  const blocks = pem.toString().match(CERT_PEM) ?? [];
  if (blocks.length === 0) throw new TypeError(`${source}: no PEM certificate found`);
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw new TypeError(`${source}: certificate #${i + 1} is not a valid X.509 certificate`);
    }
  });
}
