/** Cryptography misuse: weak hashes (CWE-328), fast password hashes (CWE-916), weak ciphers/modes (CWE-327), short keys (CWE-326), static IVs (CWE-329), non-crypto RNG for secrets (CWE-338). */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';
import { isFalse, kw, lastName, SECURITY_CONTEXT } from './helpers';

const WEAK_HASH_NAME = /^["'](?:md2|md4|md5|sha-?1|sha|ripemd-?160|rmd160)["']$/i;
const PASSWORD_ARG = /pass(?:word|wd|phrase)?|pwd|\bpw\b|\bpin\b/i;

function passwordArg(c: CallSite): Node | undefined {
  for (const a of c.args) if (PASSWORD_ARG.test(a.text) && a.text.length < 120) return a;
  return undefined;
}

/** A hash call found; decide between weak-hash and fast-password-hash. */
function hashHit(c: CallSite, algo: string, weak: boolean): Hit | undefined {
  const pw = passwordArg(c);
  if (pw) return { cwe: 'CWE-916', severity: 'high', message: `Password hashed with ${algo}, a fast hash: use a slow salted KDF (bcrypt, scrypt, Argon2, PBKDF2 with many iterations)` };
  return weak ? { message: `${algo} is a broken hash: do not use it for signatures, integrity of untrusted data, or passwords` } : undefined;
}

// ------------------------------------------------------------------ weak hash + password hash

const pyHash: Matcher = {
  kind: 'call',
  names: ['md5', 'sha1', 'new', 'sha256', 'sha512', 'sha224', 'sha384', 'sha3_256', 'sha3_512', 'blake2b', 'blake2s', 'MD5', 'SHA1', 'SHA256', 'SHA512'],
  check: (c) => {
    if (isFalse(kw(c, 'usedforsecurity'))) return undefined;
    if (/^hashlib\.new$/.test(c.callee)) {
      const a = c.args[0];
      if (!a) return undefined;
      return hashHit(c, a.text.replace(/["']/g, ''), WEAK_HASH_NAME.test(a.text));
    }
    if (/^(?:hashlib\.)?(?:md5|sha1)$/.test(c.callee) || /^(?:MD5|SHA1|SHA)\.new$/.test(c.callee) || /^hashes\.(?:MD5|SHA1)$/.test(c.callee)) return hashHit(c, c.name.toUpperCase(), true);
    if (/^(?:hashlib\.)?(?:sha224|sha256|sha384|sha512|sha3_256|sha3_512|blake2b|blake2s)$/.test(c.callee) || /^(?:SHA256|SHA512)\.new$/.test(c.callee)) return hashHit(c, c.name, false);
    return undefined;
  },
};

/**
 * A password KDF with a work factor spelled out too low: bcrypt cost under 10 (`bcrypt.hash(pw, 8)`,
 * `genSaltSync(6)`), PBKDF2 under 10,000 iterations (OWASP asks for 600,000 with SHA-256).
 */
const jsKdfCost: Matcher = {
  kind: 'call',
  names: ['hash', 'hashSync', 'genSalt', 'genSaltSync', 'pbkdf2', 'pbkdf2Sync'],
  check: (c) => {
    const pbkdf2 = c.name.startsWith('pbkdf2');
    if (!pbkdf2 && !/^(?:bcrypt|bcryptjs|bcryptjs\.default)$/.test(c.receiver?.text ?? '')) return undefined;
    const a = pbkdf2 ? c.args[2] : c.name.startsWith('genSalt') ? c.args[0] : c.args[1];
    const n = a && /^\d[\d_]*$/.test(a.text) ? Number(a.text.replace(/_/g, '')) : NaN;
    if (pbkdf2 ? !(n < 10000) : !(n < 10)) return undefined;
    return { node: a, cwe: 'CWE-916', message: pbkdf2 ? `PBKDF2 with ${n} iterations is fast to brute-force; use at least 600,000 (SHA-256) or scrypt/argon2` : `bcrypt cost ${n} is too low (each step halves the attacker's work); use 10-12 or more` };
  },
};

const jsHash: Matcher = {
  kind: 'call',
  names: ['createHash', 'createHmac', 'md5', 'sha1', 'MD5', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3'],
  check: (c) => {
    if (c.name === 'createHash' || c.name === 'createHmac') {
      const a = c.args[0];
      if (!a) return undefined;
      // An HMAC keyed with a salt is still one fast hash of the password; otherwise HMACs are fine.
      const weak = c.name === 'createHash' && WEAK_HASH_NAME.test(a.text);
      // `createHash('sha256').update(password)` — look at the enclosing chain for the password.
      const chain = c.node.parent?.parent;
      const pw = chain && chain.type === 'call_expression' && /\.update\s*\(/.test(chain.text) && PASSWORD_ARG.test(chain.childForFieldName('arguments')?.text ?? '');
      if (pw) return { cwe: 'CWE-916', severity: 'high', message: `Password hashed with ${a.text}, a fast hash: use bcrypt/scrypt/argon2 or crypto.scrypt` };
      return weak ? { message: `${a.text} is a broken hash: do not use it for security` } : undefined;
    }
    if (/^(?:CryptoJS\.)?(?:MD5|SHA1)$|^(?:md5|sha1)$/.test(c.callee) && (c.callee.startsWith('CryptoJS') || hashLib(c))) return hashHit(c, c.name.toUpperCase(), true);
    // `CryptoJS.SHA256(password)`: a fast hash of a password.
    if (/^CryptoJS\.SHA(?:224|256|384|512|3)$/.test(c.callee)) return hashHit(c, c.name, false);
    return undefined;
  },
};

function hashLib(c: CallSite): boolean {
  const root = c.node.tree.rootNode.text.slice(0, 5000);
  return /require\(\s*['"](?:md5|sha1|crypto-js[^'"]*)['"]\)|from\s+['"](?:md5|sha1|crypto-js[^'"]*)['"]/.test(root);
}

const javaHash: Matcher = {
  kind: 'call',
  names: ['getInstance', 'md5', 'md5Hex', 'sha1', 'sha1Hex', 'md5Digest', 'shaHex', 'sha256Hex', 'sha256'],
  check: (c, ctx) => {
    if (c.name === 'getInstance') {
      if (!/MessageDigest$/.test(c.receiver?.text ?? '')) return undefined;
      const a = c.args[0];
      if (!a) return undefined;
      const weak = WEAK_HASH_NAME.test(a.text);
      if (PASSWORD_ARG.test(ctx.functionName()) || /\.(?:update|digest)\s*\([^)]*pass(?:word|wd)/i.test(ctx.functionText())) return { cwe: 'CWE-916', severity: 'high', message: `Password hashed with MessageDigest ${a.text}: use BCryptPasswordEncoder/Argon2/PBKDF2` };
      return weak ? { message: `MessageDigest ${a.text} is a broken hash: do not use it for security` } : undefined;
    }
    if (!/DigestUtils|Hashing/.test(c.receiver?.text ?? '')) return undefined;
    return hashHit(c, c.name, /md5|sha1|shaHex/i.test(c.name));
  },
};

const goHash: Matcher = {
  kind: 'call',
  names: ['New', 'Sum', 'Sum256', 'Sum512'],
  check: (c) => {
    if (/^(?:md5|sha1)\.(?:New|Sum)$/.test(c.callee)) return hashHit(c, c.callee.split('.')[0].toUpperCase(), true);
    if (/^(?:sha256|sha512)\.(?:New|Sum256|Sum512|Sum)$/.test(c.callee)) return hashHit(c, c.callee.split('.')[0], false);
    return undefined;
  },
};

/** Callee name of the call whose argument list directly contains `n`, '' if none. */
function kdfCallee(n: Node): string {
  const args = n.parent;
  if (args?.type !== 'argument_list') return '';
  return args.parent?.childForFieldName('function')?.text ?? '';
}

const cHash: Matcher = {
  kind: 'call',
  names: ['MD5', 'MD5_Init', 'MD4', 'SHA1', 'SHA1_Init', 'EVP_md5', 'EVP_sha1', 'EVP_md4', 'SHA256', 'SHA256_Init', 'EVP_sha256', 'crypt'],
  check: (c, ctx) => {
    const weak = /MD5|MD4|SHA1|md5|md4|sha1/.test(c.name);
    if (c.name === 'crypt') return undefined;
    // The digest parameterizes a KDF or an HMAC (PKCS5_PBKDF2_HMAC(..., EVP_sha256(), ...)): not a bare hash.
    if (/^EVP_/.test(c.name) && /^(?:PKCS5_PBKDF2_HMAC|HMAC|HMAC_Init_ex|EVP_PBE_scrypt|HKDF|EVP_DigestSignInit|EVP_DigestVerifyInit)$/.test(kdfCallee(c.node))) return undefined;
    if (PASSWORD_ARG.test(c.node.text) || PASSWORD_ARG.test(ctx.functionName())) return { cwe: 'CWE-916', severity: 'high', message: `Password hashed with ${c.name}, a fast hash: use a slow salted KDF (Argon2, scrypt, PBKDF2)` };
    return weak ? { message: `${c.name} is a broken hash: do not use it for security` } : undefined;
  },
};

const rubyHash: Matcher = {
  kind: 'call',
  names: ['hexdigest', 'digest', 'base64digest', 'new'],
  check: (c) => {
    const r = c.receiver?.text ?? '';
    if (/^(?:Digest::|OpenSSL::Digest::)(?:MD5|SHA1)$/.test(r)) return hashHit(c, r, true);
    if (/^(?:Digest::|OpenSSL::Digest::)(?:SHA256|SHA512|SHA2)$/.test(r)) return hashHit(c, r, false);
    return undefined;
  },
};

const phpHash: Matcher = {
  kind: 'call',
  names: ['md5', 'sha1', 'hash', 'md5_file', 'sha1_file', 'crypt'],
  check: (c) => {
    if (c.receiver) return undefined;
    if (c.name === 'hash') {
      const a = c.args[0];
      if (!a) return undefined;
      const pw = c.args[1] && PASSWORD_ARG.test(c.args[1].text);
      if (pw) return { cwe: 'CWE-916', severity: 'high', message: 'Password hashed with a fast hash: use password_hash()' };
      return WEAK_HASH_NAME.test(a.text) ? { message: `hash(${a.text}) is a broken hash` } : undefined;
    }
    if (c.name === 'crypt' || c.name.endsWith('_file')) return undefined;
    return hashHit(c, c.name, true);
  },
};

const csHash: Matcher = {
  kind: 'call',
  names: ['Create', 'MD5CryptoServiceProvider', 'SHA1CryptoServiceProvider', 'SHA1Managed', 'ComputeHash', 'HashData'],
  check: (c, ctx) => {
    const r = c.receiver?.text ?? '';
    if ((c.name === 'Create' || c.name === 'HashData') && /^(?:MD5|SHA1)$/.test(r)) return hashHit(c, r, true) ?? (PASSWORD_ARG.test(ctx.functionName()) ? { cwe: 'CWE-916', severity: 'high', message: `Password hashed with ${r}` } : undefined);
    if (c.isNew && /^(?:MD5CryptoServiceProvider|SHA1CryptoServiceProvider|SHA1Managed)$/.test(c.name)) return { message: `${c.name} is a broken hash: do not use it for security` };
    return undefined;
  },
};

const rustHash: Matcher = {
  kind: 'call',
  names: ['compute', 'new', 'digest'],
  check: (c) => (/^(?:md5\.compute|Md5\.new|Sha1\.new|sha1\.Sha1\.new|md5\.Md5\.new|Md5\.digest|Sha1\.digest)$/.test(c.callee) ? hashHit(c, c.callee, true) : undefined),
};

export const weakHash = defineRule({
  id: 'weak-hash',
  name: 'Broken or fast hash used for security',
  cwe: 'CWE-328',
  severity: 'medium',
  pattern: 12,
  message: 'MD5/SHA-1 is a broken hash: do not use it for security',
  why: 'OpenSSF AI code assistant guide: "require strong encryption algorithms" and "prefer high-level libraries"; passwords need a slow salted KDF (CWE-916), not a fast digest.',
  description: 'MD5/SHA-1 (and MD2/MD4/RIPEMD) digests, and any fast digest (SHA-2 included) applied to a password.',
  matchers: { python: [pyHash], javascript: [jsHash, jsKdfCost], java: [javaHash], go: [goHash], c: [cHash], ruby: [rubyHash], php: [phpHash], csharp: [csHash], rust: [rustHash] },
});

// ------------------------------------------------------------------ weak ciphers / modes

const WEAK_CIPHER_STR = /^["'`](?:des(?:-\w+)*|des3|3des|desede(?:\/\w+\/\w+)?|des\/\w+\/\w+|tripledes|rc2(?:-\w+)*|rc4(?:-\w+)*|arc4|arcfour|blowfish|bf(?:-\w+)+|idea(?:-\w+)*|aes|aes-\d+-ecb|aes\/ecb\/\w+|\w+\/ecb\/\w+|rsa\/ecb\/pkcs1padding|rsa\/none\/pkcs1padding|rsa|(?:rc2|rc4|arc4|arcfour|blowfish|idea|tripledes)\/\w+\/\w+)["'`]$/i;

function cipherName(text: string): string | undefined {
  if (!WEAK_CIPHER_STR.test(text)) return undefined;
  return text.replace(/["'`]/g, '');
}

const pyCipher: Matcher = {
  kind: 'call',
  names: ['new', 'ECB', 'TripleDES', 'Blowfish', 'ARC4', 'IDEA', 'CAST5', 'SEED', 'DES', 'DES3', 'ARC2', 'PKCS1v15', 'NullCipher'],
  check: (c) => {
    if (/^(?:DES|DES3|ARC2|ARC4|Blowfish|CAST)\.new$/.test(c.callee)) return { message: `${c.callee.split('.')[0]} is a broken/legacy cipher; use AES-GCM or ChaCha20-Poly1305` };
    if (/^(?:AES|Cipher\.AES)\.new$/.test(c.callee) && c.args.some((a) => /MODE_ECB$/.test(a.text))) return { message: 'AES in ECB mode leaks patterns in the plaintext; use GCM' };
    if (/^(?:modes\.)?ECB$/.test(c.callee)) return { message: 'ECB mode leaks patterns in the plaintext; use GCM' };
    if (/^(?:algorithms\.)?(?:TripleDES|Blowfish|ARC4|IDEA|CAST5|SEED)$/.test(c.callee)) return { message: `${c.name} is a broken/legacy cipher; use AES-GCM or ChaCha20-Poly1305` };
    if (/^(?:PKCS1_v1_5)\.new$/.test(c.callee) && /Cipher/.test(c.node.tree.rootNode.text.slice(0, 3000))) return { cwe: 'CWE-780', message: 'RSA PKCS#1 v1.5 encryption is vulnerable to padding-oracle attacks; use OAEP' };
    if (/^padding\.PKCS1v15$/.test(c.callee) && /\.encrypt\s*\(/.test(c.node.parent?.parent?.text ?? '')) return { cwe: 'CWE-780', message: 'RSA PKCS#1 v1.5 encryption padding; use OAEP' };
    return undefined;
  },
};

const jsCipher: Matcher = {
  kind: 'call',
  names: ['createCipheriv', 'createDecipheriv', 'createCipher', 'createDecipher', 'encrypt'],
  check: (c) => {
    if (c.name === 'createCipher' || c.name === 'createDecipher') return { message: `crypto.${c.name} derives the key with MD5 and no salt/IV (deprecated); use createCipheriv with AES-GCM` };
    if (c.name === 'encrypt' && /^CryptoJS\.(?:DES|TripleDES|RC4|Rabbit)\./.test(c.callee)) return { message: `${c.callee} uses a broken cipher` };
    const a = c.args[0];
    if (!a || c.name === 'encrypt') return undefined;
    const n = cipherName(a.text);
    return n && n.toLowerCase() !== 'aes' && n.toLowerCase() !== 'rsa' ? { node: a, message: `Cipher ${n} is broken or leaks patterns (ECB); use aes-256-gcm` } : undefined;
  },
};

const javaCipher: Matcher = {
  kind: 'call',
  names: ['getInstance', 'NullCipher', 'setBlockModes'],
  check: (c, ctx) => {
    if (c.isNew && c.name === 'NullCipher') return { message: 'NullCipher does not encrypt' };
    // Android keystore keys restricted to ECB.
    if (c.name === 'setBlockModes') return c.args.some((a) => /BLOCK_MODE_ECB$/.test(a.text)) ? { message: 'A keystore key allowed to use ECB mode, which leaks patterns in the plaintext; use BLOCK_MODE_GCM' } : undefined;
    // SSL 3.0 / TLS 1.0 / TLS 1.1 (and "SSL", which may negotiate them) are broken or deprecated protocols (RFC 7568, RFC 8996).
    if (/^(?:javax\.net\.ssl\.)?SSLContext$/.test(c.receiver?.text ?? '')) return /^"(?:SSL|SSLv2|SSLv3|TLSv1|TLSv1\.1)"$/.test(c.args[0]?.text ?? '') ? { node: c.args[0], message: `SSLContext.getInstance(${c.args[0].text}) selects a broken or deprecated protocol; use "TLSv1.3" (or "TLS" with TLS 1.2+ enabled)` } : undefined;
    if (!/^(?:javax\.crypto\.)?(?:Cipher|KeyGenerator|SecretKeyFactory)$/.test(c.receiver?.text ?? '')) return undefined;
    const a = c.args[0];
    if (!a) return undefined;
    const n = cipherName(a.text);
    // AES in CBC/CTR/CFB/OFB with no MAC anywhere in the file: unauthenticated (malleable; CBC with
    // padding is a padding oracle when decrypting attacker data). Low: a MAC may live elsewhere.
    if (!n) {
      if (!/^"\w+\/(?:CBC|CTR|CFB\d*|OFB\d*|PCBC)\/\w+"$/i.test(a.text) || !c.receiver?.text.endsWith('Cipher') || ctx.fileHas(/\bMac\.getInstance\s*\(|Hmac|HMAC/)) return undefined;
      return { node: a, severity: 'low', message: `${a.text} encrypts without authentication (no MAC in this file): ciphertexts can be altered${/CBC/i.test(a.text) ? ', and CBC padding errors become a padding oracle' : ''}; use AES/GCM/NoPadding` };
    }
    // `Cipher.getInstance("AES")` defaults to AES/ECB/PKCS5Padding.
    if (/^aes$/i.test(n)) return c.receiver?.text.endsWith('Cipher') ? { node: a, message: 'Cipher.getInstance("AES") defaults to ECB mode; use "AES/GCM/NoPadding"' } : undefined;
    if (/^rsa$/i.test(n)) return c.receiver?.text.endsWith('Cipher') ? { node: a, cwe: 'CWE-780', message: 'Cipher.getInstance("RSA") defaults to PKCS#1 v1.5 padding; use RSA/ECB/OAEPWithSHA-256AndMGF1Padding' } : undefined;
    if (/pkcs1padding$/i.test(n)) return { node: a, cwe: 'CWE-780', message: 'RSA PKCS#1 v1.5 padding; use OAEP' };
    return { node: a, message: `${n} is a broken cipher or mode; use AES/GCM/NoPadding` };
  },
};

const goCipher: Matcher = {
  kind: 'call',
  names: ['NewCipher', 'NewTripleDESCipher', 'EncryptPKCS1v15', 'DecryptPKCS1v15', 'NewECBEncrypter', 'NewECBDecrypter'],
  check: (c) => {
    if (/^(?:des|rc4|blowfish|cast5|tea|xtea|twofish)\.(?:NewCipher|NewTripleDESCipher)$/.test(c.callee)) return { message: `${c.callee.split('.')[0]} is a broken/legacy cipher; use AES-GCM` };
    if (/^rsa\.(?:EncryptPKCS1v15|DecryptPKCS1v15)$/.test(c.callee)) return { cwe: 'CWE-780', message: 'RSA PKCS#1 v1.5 encryption; use rsa.EncryptOAEP' };
    if (/ECB(?:En|De)crypter$/.test(c.name)) return { message: 'ECB mode leaks patterns; use GCM' };
    return undefined;
  },
};

/**
 * Go crypto/tls: SSL 3.0 / TLS 1.0 / TLS 1.1 configured as MinVersion/MaxVersion (or listed in a
 * []uint16 of versions to use), and RC4/3DES cipher suites. Comparisons and switch cases that
 * only inspect a version are left alone.
 */
/** Node TLS options that allow SSL 3.0 / TLS 1.0 / 1.1: `secureProtocol: 'TLSv1_method'`, `minVersion: 'TLSv1'`. */
const jsTlsVersion: Matcher = {
  kind: 'binding',
  trigger: /\b(?:secureProtocol|minVersion)\s*:\s*["'`](?:SSLv|TLSv1(?:_1)?_|TLSv1(?:\.1)?["'`])/,
  check: (b) => {
    if (!b.pair || !b.value || !/^["']?(?:secureProtocol|minVersion)["']?$/.test(b.targetText)) return undefined;
    const m = /^["'`](SSLv[23]|TLSv1(?:_1)?)_(?:client_|server_)?method["'`]$|^["'`](TLSv1(?:\.1)?)["'`]$/.exec(b.value.text);
    if (!m) return undefined;
    const v = (m[1] ?? m[2]).replace('_', '.').replace('SSLv', 'SSL ').replace('TLSv', 'TLS ').replace(/^TLS 1$/, 'TLS 1.0');
    return { node: b.value, message: `${v} is deprecated and breakable (POODLE/BEAST, RFC 8996); require TLS 1.2+ (minVersion: 'TLSv1.2')` };
  },
};

const goTlsVersion: Matcher = {
  kind: 'node',
  trigger: /\btls\.(?:VersionSSL30|VersionTLS1[01]|TLS_\w*(?:RC4|3DES)\w*)\b/,
  types: ['selector_expression'],
  check: (n) => {
    const m = /^tls\.(VersionSSL30|VersionTLS1[01]|TLS_\w*(?:RC4|3DES)\w*)$/.exec(n.text);
    if (!m) return undefined;
    const el = n.parent?.type === 'literal_element' ? n.parent : null;
    const up = el?.parent;
    if (m[1].startsWith('TLS_')) {
      return up?.type === 'literal_value' || (up?.type === 'keyed_element' && /^CipherSuites\s*:/.test(up.text)) ? { message: `${m[1]} is a broken cipher suite (RC4/3DES); leave CipherSuites unset or list only AEAD suites` } : undefined;
    }
    const what = m[1] === 'VersionSSL30' ? 'SSL 3.0' : `TLS 1.${m[1].slice(-1)}`;
    const msg = { message: `${what} is deprecated and broken (RFC 8996); set MinVersion to tls.VersionTLS12 or later` };
    // `MinVersion: tls.VersionTLS10` in a tls.Config literal.
    if (up?.type === 'keyed_element' && up.namedChildren[1]?.id === el!.id && /^(?:Min|Max)Version$/.test(up.namedChildren[0]?.text ?? '')) return msg;
    // `[]uint16{tls.VersionTLS11, …}`: a list of versions to configure.
    if (up?.type === 'literal_value' && /^\[\]uint16$/.test(up.parent?.childForFieldName('type')?.text ?? '')) return msg;
    // `cfg.MinVersion = tls.VersionTLS10`.
    const asg = n.parent?.type === 'expression_list' ? n.parent.parent : null;
    if (asg?.type === 'assignment_statement' && asg.childForFieldName('right')?.id === n.parent!.id && /\.(?:Min|Max)Version$/.test(asg.childForFieldName('left')?.text ?? '')) return msg;
    return undefined;
  },
};

/**
 * Go `rsa.GenerateKey(rand.Reader, bits)` with the size passed in (a parameter or a value read
 * elsewhere) and no lower-bound check in the function: callers can ask for 512/1024-bit keys.
 */
function goUncheckedKeyBits(c: CallSite, ctx: RuleContext): Hit | undefined {
  const a = c.args[c.args.length - 1];
  if (!a || a.type !== 'identifier' || ctx.val(a).c) return undefined;
  const v = a.text;
  const fn = ctx.functionText();
  // A lower bound (`if bits < 2048`, `bits >= minBits`), an allow-list of large sizes
  // (`bits != 2048 && bits != 4096`) or a clamp. (A switch on the size for other key types is not.)
  if (new RegExp(`\\b${v}\\s*(?:<|<=|>|>=)|(?:<|<=|>|>=)\\s*${v}\\b|\\b${v}\\s*(?:==|!=)\\s*(?:[2-9]\\d{3}|\\d{5})\\b|max\\([^)]*\\b${v}\\b`).test(fn)) return undefined;
  return { node: a, severity: 'low', message: `The RSA key size \`${v}\` comes from the caller with no minimum check: a caller can generate a 512/1024-bit key; reject sizes below 2048` };
}

const cCipher: Matcher = {
  kind: 'call',
  names: ['EVP_des_cbc', 'EVP_des_ecb', 'EVP_des_ede3_cbc', 'EVP_des_ede3', 'EVP_des_ede3_ecb', 'EVP_rc4', 'EVP_bf_cbc', 'EVP_bf_ecb', 'EVP_aes_128_ecb', 'EVP_aes_192_ecb', 'EVP_aes_256_ecb', 'DES_ecb_encrypt', 'DES_set_key', 'DES_ncbc_encrypt', 'RC4', 'RC4_set_key', 'BF_set_key', 'AES_ecb_encrypt', 'EVP_rc2_cbc', 'EVP_idea_cbc'],
  check: (c) => ({ message: `${c.name}: broken cipher or ECB mode; use AES-GCM (EVP_aes_256_gcm)` }),
};

const rubyCipher: Matcher = {
  kind: 'call',
  names: ['new'],
  check: (c) => {
    if (!/^OpenSSL::Cipher(?:::\w+)?$/.test(c.receiver?.text ?? '')) return undefined;
    const a = c.args[0];
    const n = a ? cipherName(a.text) : /::(?:DES|RC4|BF|RC2)$/.test(c.receiver!.text) ? c.receiver!.text : undefined;
    return n && !/^(?:aes|rsa)$/i.test(n) ? { message: `Cipher ${n} is broken or ECB; use aes-256-gcm` } : undefined;
  },
};

const phpCipher: Matcher = {
  kind: 'call',
  names: ['openssl_encrypt', 'openssl_decrypt', 'mcrypt_encrypt', 'mcrypt_decrypt'],
  check: (c) => {
    if (c.name.startsWith('mcrypt')) return { message: 'mcrypt is abandoned and its ciphers/modes are unsafe; use openssl with aes-256-gcm or sodium' };
    const a = c.args[1];
    const n = a ? cipherName(a.text) : undefined;
    return n && !/^(?:aes|rsa)$/i.test(n) ? { node: a, message: `Cipher ${n} is broken or ECB; use aes-256-gcm` } : undefined;
  },
};

const csCipher: Matcher = {
  kind: 'call',
  names: ['DESCryptoServiceProvider', 'TripleDESCryptoServiceProvider', 'RC2CryptoServiceProvider', 'Create'],
  check: (c) => {
    if (c.isNew) return { message: `${c.name} is a broken/legacy cipher; use AesGcm` };
    if (/^(?:DES|TripleDES|RC2)$/.test(c.receiver?.text ?? '')) return { message: `${c.receiver!.text} is a broken/legacy cipher; use AesGcm` };
    return undefined;
  },
};

const csEcb: Matcher = {
  kind: 'node', trigger: /CipherMode\.ECB/,
  types: ['member_access_expression'],
  check: (n) => (n.text === 'CipherMode.ECB' ? { message: 'ECB mode leaks patterns; use AesGcm' } : undefined),
};

const rustCipher: Matcher = {
  kind: 'call',
  names: ['new', 'new_from_slice'],
  check: (c) => (/^(?:Des|TdesEde3|Rc4|Blowfish|ecb\.\w+)\.new/.test(c.callee) ? { message: `${c.callee}: broken cipher or ECB mode` } : undefined),
};

export const weakCipher = defineRule({
  id: 'weak-cipher',
  name: 'Broken cipher, ECB mode or unsafe padding',
  cwe: 'CWE-327',
  severity: 'medium',
  pattern: 13,
  message: 'Broken or risky cipher configuration',
  why: 'OpenSSF AI code assistant guide: "require strong encryption algorithms" and prefer high-level crypto libraries; DES/3DES/RC4/Blowfish and ECB are broken, RSA needs OAEP.',
  description: 'DES/3DES/RC2/RC4/Blowfish/IDEA, ECB mode (including Java Cipher.getInstance("AES") default), NullCipher, Node createCipher, RSA PKCS#1 v1.5 encryption.',
  matchers: { python: [pyCipher], javascript: [jsCipher, jsTlsVersion], java: [javaCipher], go: [goCipher, goTlsVersion], c: [cCipher], ruby: [rubyCipher], php: [phpCipher], csharp: [csCipher, csEcb], rust: [rustCipher] },
});

// ------------------------------------------------------------------ short keys

/** `gen = KeyPairGenerator.getInstance("EC")`: sizes of EC/EdDSA/XDH keys are not RSA modulus sizes (256-bit EC is strong). */
function javaNonRsaGenerator(recv: string, ctx: RuleContext): boolean {
  if (!/^[A-Za-z_]\w*$/.test(recv)) return false;
  const alg = new RegExp(`\\b${recv}\\s*=\\s*(?:KeyPairGenerator|KeyGenerator)\\.getInstance\\(\\s*"([^"]+)"`).exec(ctx.functionText() + ctx.text)?.[1];
  return !!alg && !/^(?:RSA|DSA|DH|DiffieHellman|RSASSA-PSS)$/i.test(alg);
}

function smallKey(n: Node | undefined, ctx: RuleContext): number | undefined {
  if (!n) return undefined;
  const t = n.text.replace(/_/g, '');
  const v = /^\d+$/.test(t) ? Number(t) : undefined;
  if (v !== undefined) return v < 2048 && v >= 256 ? v : undefined;
  const val = ctx.val(n);
  if (val.c && /^\d+$/.test(val.text)) {
    const num = Number(val.text);
    return num < 2048 && num >= 256 ? num : undefined;
  }
  return undefined;
}

const keyHit = (bits: number | undefined, what = 'RSA/DSA/DH'): Hit | undefined => (bits ? { message: `${what} key of ${bits} bits is too short; use at least 2048 (3072+ for new keys)` } : undefined);

/** Key size in an `openssl` command line (genrsa/dsaparam/dhparam N, rsa_keygen_bits:N, -newkey rsa:N), if under 2048. */
function opensslCliBits(cmd: string): number | undefined {
  if (!/\bopenssl\b/.test(cmd)) return undefined;
  const m = /rsa_keygen_bits:(\d+)|dsa_paramgen_bits:(\d+)|-newkey\s+(?:rsa|dsa):(\d+)|\b(?:genrsa|dsaparam|dhparam|gendh)\b[^|;&]*?\s(\d{3,5})(?=\s|$|["'`\\])/.exec(cmd);
  const bits = m ? Number(m[1] ?? m[2] ?? m[3] ?? m[4]) : NaN;
  return bits >= 256 && bits < 2048 ? bits : undefined;
}

/** An `openssl` command string that generates a short key (for system()/popen()/exec.Command/Runtime.exec). */
const opensslCliMatcher: Matcher = { kind: 'string', trigger: /openssl/, check: (_n, content) => keyHit(opensslCliBits(content), 'openssl command generates a key that') };

export const weakKeySize = defineRule({
  id: 'weak-key-size',
  name: 'RSA/DSA key shorter than 2048 bits',
  cwe: 'CWE-326',
  severity: 'medium',
  pattern: 13,
  message: 'Asymmetric key is too short',
  why: 'OpenSSF AI code assistant guide: "require strong encryption algorithms"; NIST SP 800-131A disallows RSA/DSA keys under 2048 bits.',
  description: 'RSA/DSA/DH key generation with fewer than 2048 bits.',
  matchers: {
    python: [
      { kind: 'call', names: ['generate_private_key', 'generate', 'generate_parameters', 'newkeys'], check: (c, ctx) => (/rsa|dsa|dh|RSA|DSA/.test(c.callee) ? keyHit(smallKey(kw(c, 'key_size') ?? kw(c, 'bits') ?? (c.name === 'generate_private_key' ? c.args[1] : c.args[0]), ctx)) : undefined) },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['generateKeyPairSync', 'generateKeyPair', 'generateKey'],
        check: (c, ctx) => {
          for (const a of c.args) if (a.type === 'object') for (const p of a.namedChildren) if (/modulusLength|divisorLength/.test(p.childForFieldName('key')?.text ?? '')) return keyHit(smallKey(p.childForFieldName('value') ?? undefined, ctx));
          return undefined;
        },
      },
      {
        // node-rsa `new NodeRSA({ b: 1024 })` / `key.generateKeyPair(1024)`, node-forge `pki.rsa.generateKeyPair({ bits: 1024 })`.
        kind: 'call',
        names: ['NodeRSA', 'generateKeyPair'],
        check: (c, ctx) => {
          if (c.name === 'NodeRSA' ? !c.isNew : !ctx.fileHas(/node-rsa|NodeRSA|node-forge|forge\.pki/)) return undefined;
          const a = c.args[0];
          if (a?.type === 'object') {
            const p = a.namedChildren.find((x) => /^["']?(?:b|bits)["']?$/.test(x.childForFieldName('key')?.text ?? ''));
            return keyHit(smallKey(p?.childForFieldName('value') ?? undefined, ctx), 'RSA');
          }
          return c.name === 'generateKeyPair' ? keyHit(smallKey(a, ctx), 'RSA') : undefined;
        },
      },
    ],
    java: [{ kind: 'call', names: ['initialize'], check: (c, ctx) => (/[Gg]en|kpg|generator/.test(c.receiver?.text ?? '') && !javaNonRsaGenerator(c.receiver!.text, ctx) ? keyHit(smallKey(c.args[0], ctx)) : undefined) }, opensslCliMatcher],
    go: [
      { kind: 'call', names: ['GenerateKey', 'GenerateMultiPrimeKey'], check: (c, ctx) => (/^rsa\./.test(c.callee) ? (keyHit(smallKey(c.args[c.args.length - 1], ctx)) ?? goUncheckedKeyBits(c, ctx)) : undefined) },
      { kind: 'call', names: ['GenerateParameters'], check: (c) => (/^dsa\./.test(c.callee) && /L1024N160/.test(c.args[2]?.text ?? '') ? keyHit(1024, 'DSA') : undefined) },
      opensslCliMatcher,
    ],
    c: [
      { kind: 'call', names: ['RSA_generate_key', 'RSA_generate_key_ex', 'DSA_generate_parameters_ex', 'EVP_PKEY_CTX_set_rsa_keygen_bits'], check: (c, ctx) => keyHit(smallKey(c.name === 'RSA_generate_key' ? c.args[0] : c.args[1], ctx)) },
      opensslCliMatcher,
      {
        // C++ `"openssl dsaparam -out " + std::string(tmp) + " 1024"`: the bits sit in a later literal.
        kind: 'node', trigger: /"openssl\s[^"]*"\s*\+/, types: ['binary_expression'],
        check: (m) => {
          let n = m;
          while (n.parent?.type === 'binary_expression') n = n.parent;
          const lits = n.text.match(/"(?:\\.|[^"\\])*"|[^"]+/g) ?? [];
          const cmd = lits.map((p) => (p.startsWith('"') ? p.slice(1, -1) : ' X ')).join('');
          return keyHit(opensslCliBits(cmd), 'openssl command generates a key that');
        },
      },
    ],
    ruby: [{ kind: 'call', names: ['new', 'generate'], check: (c, ctx) => (/^OpenSSL::PKey::(?:RSA|DSA)$/.test(c.receiver?.text ?? '') ? keyHit(smallKey(c.args[0], ctx)) : undefined) }],
    php: [{ kind: 'call', names: ['openssl_pkey_new'], check: (c) => { const m = /private_key_bits['"]\s*=>\s*(\d+)/.exec(c.node.text); return m && Number(m[1]) < 2048 ? keyHit(Number(m[1])) : undefined; } }],
    csharp: [{ kind: 'call', names: ['RSACryptoServiceProvider', 'DSACryptoServiceProvider', 'Create'], check: (c, ctx) => ((c.isNew || /^(?:RSA|DSA)$/.test(c.receiver?.text ?? '')) ? keyHit(smallKey(c.args[0], ctx)) : undefined) }],
    rust: [{ kind: 'call', names: ['new', 'generate'], check: (c, ctx) => (/^(?:RsaPrivateKey\.new|Rsa\.generate)$/.test(c.callee) ? keyHit(smallKey(c.args[c.args.length - 1], ctx)) : undefined) }],
  },
});

// ------------------------------------------------------------------ static IV / nonce

/** Java variable names for an IV or nonce (`iv`, `ivBytes`, `IV_BYTES`, `initVector`, `gcmNonce`). */
const JAVA_IV_NAME = /^(?:iv|IV|(?:iv|IV)[A-Z_]\w*|\w*(?:Iv|IV|_iv)(?:Bytes|BYTES|Data|Value)?|init(?:ialization)?_?[vV]ector\w*|INIT(?:IALIZATION)?_?VECTOR\w*|nonce\w*|\w*(?:Nonce|NONCE)\w*)$/;

function constantBytes(n: Node | undefined, ctx: RuleContext): boolean {
  if (!n) return false;
  const t = n.text;
  if (/urandom|random|Random|rand|token_bytes|randomBytes|getRandomValues|secrets|nextBytes|RAND_bytes|ReadFull|SecureRandom|GetBytes|RandomNumberGenerator/.test(t)) return false;
  if (/^b?["']/.test(t) || /^bytes\(\s*\d+\s*\)$|^bytearray\(\s*\d+\s*\)$|^new byte\s*\[\s*\d+\s*\]$|^Buffer\.alloc\(\s*\d+\s*\)$|^b["'](?:\\x00)+["']\s*\*\s*\d+$|^["']\\x00["']\s*\*\s*\d+$|^make\(\[\]byte,\s*\w+\)$|^\[\]byte\(\s*".*"\s*\)$|^Buffer\.from\(\s*["']/.test(t)) return true;
  const v = ctx.val(n);
  // Built only from literals (a string, a byte array initializer, a zero-filled buffer).
  return v.c && (v.str || /[[{]|\bdata\(\)|^\w+$/.test(n.text));
}

/** A Node buffer spelled out in the source: zero/constant-filled, from a literal string or byte list. */
const JS_CONST_BUFFER = /^(?:Buffer\.alloc\(\s*\d+\s*(?:,\s*(?:0x[\da-fA-F]+|\d+|["'][^"']*["'])\s*)?\)|Buffer\.from\(\s*(?:["'`][^"'`$]*["'`]|\[[\s\dxa-fA-F,]*\])\s*(?:,\s*["'][\w-]+["']\s*)?\)|new\s+Uint8Array\(\s*(?:\d+|\[[\s\dxa-fA-F,]*\])\s*\)|["'`][^"'`$]*["'`])$/;

/**
 * JS: the IV/salt argument is such a buffer, directly or through a local (`const iv = Buffer.alloc(16, 0)`)
 * that nothing in the function fills from crypto.randomBytes/getRandomValues.
 */
function jsConstantBuffer(n: Node | undefined, ctx: RuleContext): boolean {
  if (!n) return false;
  if (JS_CONST_BUFFER.test(n.text)) return true;
  if (n.type !== 'identifier') return false;
  const fn = ctx.functionText();
  const esc = n.text.replace(/\$/g, '\\$');
  const def = new RegExp(`(?:const|let|var)\\s+${esc}\\s*=\\s*([^;\\n]+)`).exec(fn)?.[1]?.trim().replace(/;$/, '');
  if (!def || !JS_CONST_BUFFER.test(def)) return false;
  return !new RegExp(`(?:randomFill\\w*|getRandomValues)\\s*\\(\\s*${esc}\\b|\\b${esc}\\s*=\\s*[^;\\n]*random`, 'i').test(fn);
}

/** A constant salt passed to a password KDF (CWE-760). */
const constantSalt = (n: Node): Hit => ({ node: n, cwe: 'CWE-760', message: 'The salt is a constant: identical passwords get identical hashes and precomputed tables work; use a random salt per password' });
const saltHit = (n: Node | undefined, ctx: RuleContext): Hit | undefined => (n && constantBytes(n, ctx) ? constantSalt(n) : undefined);

const C_RANDOM_FILL = /\b(?:RAND_bytes|RAND_priv_bytes|RAND_pseudo_bytes|getrandom|getentropy|arc4random_buf|randombytes_buf|BCryptGenRandom|CryptGenRandom|read|fread|rd\(\)|std::generate)\b/;

/**
 * C: the salt buffer is filled in this function by memset/memcpy/strcpy and never by a CSPRNG
 * (`memset(salt, 0, n); PKCS5_PBKDF2_HMAC(pw, len, salt, ...)`): a constant salt.
 */
function cSaltNeverRandom(n: Node | undefined, ctx: RuleContext): Hit | undefined {
  if (!n || !/^[\w.[\]>-]+$/.test(n.text)) return undefined;
  // Code only: a commented-out RAND_bytes call is not a random fill.
  const fn = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  // Any index (`salts[i]`) matches any index; the rest of the lvalue is matched literally.
  const esc = n.text.replace(/\[[^\]]*\]/g, '\u0000').replace(/[.[\]>-]/g, (ch) => `\\${ch}`).replace(/\u0000/g, '\\[[^\\]]*\\]');
  const target = `\\s*\\(\\s*(?:&\\s*)?${esc}\\s*,`;
  const constFill = new RegExp(`\\b(?:std::)?(?:memset|bzero|fill_n|fill)${target}|\\b(?:memcpy|strcpy|strncpy)${target}\\s*"`).test(fn);
  if (!constFill) return undefined;
  const randomFill = new RegExp(`${C_RANDOM_FILL.source}\\s*\\(\\s*(?:&\\s*)?${esc}(?!\\w)`).test(fn);
  return randomFill ? undefined : { node: n, cwe: 'CWE-760', message: 'The salt buffer is filled with constant bytes, never from a CSPRNG: use RAND_bytes(salt, len) per password' };
}

/** C: the IV buffer (or the buffer it was copied from in this function) is filled with constant bytes, never from a CSPRNG. */
function ivNeverRandom(n: Node | undefined, ctx: RuleContext): Hit | undefined {
  if (!n) return undefined;
  const direct = cSaltNeverRandom(n, ctx);
  if (direct) return { ...direct, cwe: 'CWE-329', message: 'The IV is filled with constant bytes, never from a CSPRNG: use RAND_bytes(iv, len) for every message' };
  // `memcpy(iv_copy, result.iv, 16)`: follow one copy back to the buffer it came from.
  if (!/^[\w.[\]>-]+$/.test(n.text)) return undefined;
  const name = n.text.replace(/[.[\]>-]/g, (ch) => `\\${ch}`);
  const from = new RegExp(`\\b(?:memcpy|memmove)\\s*\\(\\s*${name}\\s*,\\s*([\\w.>[\\]-]+)\\s*,`).exec(ctx.functionText())?.[1];
  if (!from) return undefined;
  const code = ctx.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const esc = from.replace(/[.[\]>-]/g, (ch) => `\\${ch}`);
  const lit = new RegExp(`\\b(?:memcpy|strcpy|strncpy)\\s*\\(\\s*${esc}\\s*,\\s*"|\\b(?:memset|bzero)\\s*\\(\\s*${esc}\\s*,`).test(code);
  const rnd = new RegExp(`${C_RANDOM_FILL.source}\\s*\\(\\s*${esc}(?!\\w)`).test(code);
  return lit && !rnd ? { node: n, cwe: 'CWE-329', message: `The IV is copied from \`${from}\`, which is filled with constant bytes and never from a CSPRNG: use RAND_bytes for every message` } : undefined;
}

/**
 * Go: the buffer is assigned a byte literal in this function (`iv := []byte{0x00, ...}`,
 * `[]byte("fixed")`) and never filled from crypto/rand (rand.Read / io.ReadFull(rand.Reader, ...)).
 */
function goLiteralBuffer(n: Node | undefined, ctx: RuleContext): boolean {
  if (!n || n.type !== 'identifier') return false;
  const fn = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const v = n.text;
  if (new RegExp(`\\b${v}\\s*:?=\\s*(?:\\[\\d*\\]byte\\s*\\{|\\[\\]byte\\s*\\(\\s*["\`])`).test(fn)) return !new RegExp(`\\b(?:rand\\.Read|ReadFull\\s*\\([^,()]+,)\\s*\\(?\\s*${v}\\b`).test(fn);
  // `iv := make([]byte, aes.BlockSize)` that nothing fills afterwards: an all-zero IV/salt. Any
  // read/copy into it, an element write or a reassignment counts as filling it.
  if (!new RegExp(`\\b${v}\\s*:=\\s*make\\(\\s*\\[\\]byte\\s*,`).test(fn)) return false;
  return !new RegExp(`\\b(?:Read\\w*|copy|Fill\\w*|[rR]and\\w*|[gG]enerate\\w*)\\s*\\([^;\\n]*\\b${v}\\b|\\b${v}\\s*\\[[^\\]]*\\]\\s*=[^=]|\\b${v}\\s*=[^=]|&${v}\\b`).test(fn);
}

export const staticIv = defineRule({
  id: 'static-iv',
  name: 'Constant IV, nonce or salt',
  cwe: 'CWE-329',
  severity: 'medium',
  pattern: 13,
  message: 'The IV/nonce is a constant: encrypting twice with the same key and IV leaks plaintext (and breaks GCM entirely)',
  why: 'OpenSSF AI code assistant guide: use high-level crypto libraries correctly; IVs/nonces must be random or unique per message.',
  description: 'A literal or zero-filled buffer passed as the IV/nonce of a cipher, or as the salt of a password KDF (CWE-760).',
  matchers: {
    python: [
      { kind: 'call', names: ['pbkdf2_hmac', 'scrypt', 'PBKDF2HMAC', 'Scrypt', 'PBKDF2', 'hash_secret_raw', 'hash_secret'], check: (c, ctx) => saltHit(kw(c, 'salt') ?? (c.name === 'pbkdf2_hmac' ? c.args[2] : c.name === 'PBKDF2' ? c.args[1] : undefined), ctx) },{ kind: 'call', names: ['new', 'CBC', 'GCM', 'CTR', 'CFB', 'OFB'], check: (c, ctx) => { const iv = kw(c, 'iv') ?? kw(c, 'nonce') ?? (/^(?:modes\.)?(?:CBC|GCM|CTR|CFB|OFB)$/.test(c.callee) ? c.args[0] : /^AES\.new$/.test(c.callee) ? c.args[2] : undefined); return iv && constantBytes(iv, ctx) ? { node: iv } : undefined; } }],
    javascript: [
      // (A null IV is ECB or a stream cipher, reported as such by weak-cipher.)
      { kind: 'call', names: ['createCipheriv'], check: (c, ctx) => (c.args[2] && !/^(?:null|undefined)$/.test(c.args[2].text) && (constantBytes(c.args[2], ctx) || jsConstantBuffer(c.args[2], ctx)) ? { node: c.args[2] } : undefined) },
      { kind: 'call', names: ['pbkdf2', 'pbkdf2Sync', 'scrypt', 'scryptSync'], check: (c, ctx) => saltHit(c.args[1], ctx) ?? (jsConstantBuffer(c.args[1], ctx) ? constantSalt(c.args[1]) : undefined) },
    ],
    java: [
      { kind: 'call', names: ['PBEKeySpec', 'PBEParameterSpec'], check: (c, ctx) => saltHit(c.args[c.name === 'PBEKeySpec' ? 1 : 0], ctx) },
      { kind: 'call', names: ['IvParameterSpec', 'GCMParameterSpec'], check: (c, ctx) => { const a = c.name === 'GCMParameterSpec' ? c.args[1] : c.args[0]; return c.isNew && a && (constantBytes(a, ctx) || /getBytes\(\)$/.test(a.text) && /^"/.test(a.text)) ? { node: a } : undefined; } },
      {
        // `new SecretKeySpec("0123456789abcdef".getBytes(), "AES")`: the key is in the source (and the binary).
        kind: 'call',
        names: ['SecretKeySpec'],
        check: (c, ctx) => {
          const k = c.args[0];
          if (!c.isNew || !k || !(/^"[^"]*"\s*\.\s*getBytes\s*\(/.test(k.text) || (constantBytes(k, ctx) && !/^new byte\s*\[/.test(k.text)))) return undefined;
          return { node: k, cwe: 'CWE-321', message: 'The secret key is a constant in the source code: anyone with the code or binary has it; load it from a key store or secret manager' };
        },
      },
      {
        // `byte[] iv = {0x00, 0x01, …}` / `IV = "fixedvector1234".getBytes()`: an IV/nonce spelled out in the source (the cipher call may be elsewhere).
        kind: 'binding', trigger: /(?:iv|IV|Iv|[nN]once|NONCE|[vV]ector|VECTOR)\w*\s*=\s*(?:new\s+byte\s*\[\s*\]\s*)?\{|(?:iv|IV|Iv|[nN]once|NONCE)\w*\s*=\s*"[^"]*"\s*\.\s*getBytes/,
        check: (b) => {
          if (b.pair || b.loop || !b.value || !JAVA_IV_NAME.test(lastName(b.targetText))) return undefined;
          const v = b.value.text.replace(/\s+/g, ' ');
          const literalArray = /^(?:new byte ?\[ ?\] ?)?\{ ?(?:\(byte\) ?)?-?(?:0[xX][\da-fA-F]+|\d+)(?: ?, ?(?:\(byte\) ?)?-?(?:0[xX][\da-fA-F]+|\d+))* ?,? ?\}$/.test(v);
          return literalArray || /^"[^"]*" ?\. ?getBytes ?\((?: ?(?:StandardCharsets\.\w+|"[^"]*") ?)?\)$/.test(v) ? { node: b.value, message: `\`${lastName(b.targetText)}\` is a constant IV/nonce written in the source: every message is encrypted with the same IV (leaks plaintext relations, breaks CTR/GCM); generate it with SecureRandom per message` } : undefined;
        },
      },
    ],
    ruby: [
      {
        // OpenSSL::Cipher: `cipher.iv = "0000000000000000"` / `cipher.key = "s3cr3t…"` written in the source.
        kind: 'binding', trigger: /\.(?:iv|key)\s*=[^=]/,
        check: (b, ctx) => {
          const m = /\.(iv|key)$/.exec(b.targetText);
          if (b.pair || !m || !b.value || !/^(?:["']|\[)/.test(b.value.text) || !constantBytes(b.value, ctx)) return undefined;
          return m[1] === 'iv' ? { node: b.value } : { node: b.value, cwe: 'CWE-321', message: 'The cipher key is a constant in the source code; load it from credentials or a key store' };
        },
      },
    ],
    go: [
      { kind: 'call', names: ['Key', 'IDKey'], check: (c, ctx) => (/^(?:pbkdf2|scrypt|argon2)\./.test(c.callee) ? (saltHit(c.args[1], ctx) ?? (goLiteralBuffer(c.args[1], ctx) ? constantSalt(c.args[1]) : undefined)) : undefined) },
      { kind: 'call', names: ['NewCBCEncrypter', 'NewCFBEncrypter', 'NewCTR', 'NewOFB', 'Seal'], check: (c, ctx) => { const a = c.name === 'Seal' ? c.args[1] : c.args[1]; return a && ((constantBytes(a, ctx) && !/nonce|iv/i.test(a.text)) || goLiteralBuffer(a, ctx)) ? { node: a } : undefined; } },
    ],
    c: [
      { kind: 'call', names: ['PKCS5_PBKDF2_HMAC', 'PKCS5_PBKDF2_HMAC_SHA1', 'EVP_PBE_scrypt'], check: (c, ctx) => saltHit(c.args[2], ctx) ?? cSaltNeverRandom(c.args[2], ctx) },
      // A NULL IV means "none or set later" (ECB, stream ciphers, two-step init): not a constant IV.
      { kind: 'call', names: ['EVP_EncryptInit_ex', 'EVP_CipherInit_ex', 'EVP_EncryptInit'], check: (c, ctx) => { const a = c.args[c.name === 'EVP_CipherInit_ex' ? 4 : c.args.length - 1]; if (!a || /^(?:NULL|nullptr|0)$/.test(a.text)) return undefined; return /^"/.test(a.text) || constantBytes(a, ctx) ? { node: a } : ivNeverRandom(a, ctx); } },
      { kind: 'call', names: ['AES_cbc_encrypt', 'AES_cfb128_encrypt', 'AES_ofb128_encrypt', 'DES_ncbc_encrypt'], check: (c, ctx) => { const a = c.args[4]; return a && (/^"/.test(a.text) || constantBytes(a, ctx)) ? { node: a } : ivNeverRandom(a, ctx); } },
    ],
  },
});

// ------------------------------------------------------------------ insecure randomness

function securityContext(ctx: RuleContext, node: Node): string | undefined {
  // The variable the value lands in, the enclosing function, or a keyword it is passed as.
  let p: Node | null = node.parent;
  for (let i = 0; p && i < 6; i++, p = p.parent) {
    const t = p.type;
    if (/assignment|declarator|pair|keyword_argument|short_var_declaration|let_declaration/.test(t)) {
      const target = p.childForFieldName('left') ?? p.childForFieldName('name') ?? p.childForFieldName('key') ?? p.childForFieldName('declarator') ?? p.childForFieldName('pattern') ?? p.namedChildren[0];
      if (target && SECURITY_CONTEXT.test(lastName(target.text))) return lastName(target.text);
      break;
    }
    // (Java's method_invocation is an expression: keep climbing through `Long.toHexString(rnd.nextLong())`.)
    if (/statement$|^block$|function|method(?!_invocation|_reference)/.test(t)) break;
  }
  const fn = ctx.functionName();
  if (fn && SECURITY_CONTEXT.test(fn) && !/^(?:test|random_?id|shuffle)/i.test(fn)) return `${fn}()`;
  return undefined;
}

/**
 * The classic `'xxxxxxxx-xxxx-4xxx-yxxx-…'.replace(/[xy]/g, …Math.random()…)` UUID polyfill (or a
 * uuid/guid function): ids that code elsewhere treats as unguessable come out predictable.
 */
function jsUuidHit(c: CallSite, ctx: RuleContext): Hit | undefined {
  const fn = ctx.functionNode();
  const host = fn?.parent?.type === 'arguments' ? fn.parent.parent : null;
  const uuidTemplate = !!host && /^["'`][xX-]{8,}4?[xXyY-]*["'`]\s*\.\s*replace\s*\(\s*\/\[xy\]\//.test(host.text);
  // The RFC 4122 variant bits (`r & 0x3 | 0x8`) mark a v4 UUID body even without its template.
  const variantBits = /&\s*0x3\s*\)?\s*\|\s*0x8\b/.test(ctx.functionText());
  if (!uuidTemplate && !variantBits && !/uuid|guid/i.test(ctx.functionName())) return undefined;
  return { node: c.node, message: 'Math.random() generates a UUID: its ids are predictable; use crypto.randomUUID()' };
}

/**
 * `chars.charAt(Math.floor(Math.random() * chars.length))` over a token alphabet (26+ letters and
 * digits): a random-string generator, the shape used for passwords, codes and tokens. Low: the
 * caller may only need a display id.
 */
function jsCharsetHit(c: CallSite, ctx: RuleContext): Hit | undefined {
  let p: Node | null = c.node.parent;
  for (let i = 0; p && i < 5; i++, p = p.parent) {
    let alphabet: Node | null = null;
    if (p.type === 'call_expression' && /\.charAt$/.test(p.childForFieldName('function')?.text ?? '')) alphabet = p.childForFieldName('function')?.childForFieldName('object') ?? null;
    else if (p.type === 'subscript_expression') alphabet = p.childForFieldName('object');
    if (!alphabet) continue;
    const v = ctx.val(alphabet);
    if (v.c && v.str && v.text.length >= 26 && /^[\x21-\x7e]+$/.test(v.text) && /[a-zA-Z]/.test(v.text) && /\d/.test(v.text)) {
      return { node: c.node, severity: 'low', message: 'Math.random() picks characters for a random string: if it is a password, code or token it is predictable; use crypto.randomInt / crypto.getRandomValues' };
    }
    return undefined;
  }
  return undefined;
}

/** A java.util.Random receiver: `new Random()`, a conventional name, or a variable/field declared `Random x`. */
function javaWeakRng(c: CallSite, ctx: RuleContext): boolean {
  const r = c.receiver?.text ?? '';
  if (r === 'new Random()') return true;
  if (!/^\w+$/.test(r)) return false;
  if (/^(?:random|rand|rnd|r)$/.test(r)) return !ctx.fileHas(new RegExp(`SecureRandom\\s+${r}\\b`));
  return ctx.fileHas(new RegExp(`(?<![\\w.])(?:java\\.util\\.)?Random\\s+${r}\\b`));
}

/** `rnd.nextBytes(salt)`: the buffer filled is the security value. */
function javaRandomFill(c: CallSite): Hit | undefined {
  const buf = c.name === 'nextBytes' ? c.args[0] : undefined;
  return buf && SECURITY_CONTEXT.test(lastName(buf.text)) ? { message: `java.util.Random is not cryptographically secure but fills \`${lastName(buf.text)}\`; use SecureRandom` } : undefined;
}

const rngHit = (c: CallSite, ctx: RuleContext, api: string): Hit | undefined => {
  const where = securityContext(ctx, c.node);
  return where ? { message: `${api} is not cryptographically secure but generates ${where}; use a CSPRNG (secrets / crypto.randomBytes / SecureRandom / crypto/rand)` } : undefined;
};

/**
 * C: rand() picking characters from a token alphabet (`cs[rand() % (sizeof cs - 1)]` over 26+
 * letters and digits) builds a random string, the shape of passwords, codes and session ids; or
 * rand() in a /tmp file name (guessable temp files, CWE-377). Low: the string may be a display id.
 */
function cRandomStringHit(c: CallSite, ctx: RuleContext): Hit | undefined {
  let p = c.node.parent;
  while (p && (p.type === 'binary_expression' || p.type === 'parenthesized_expression' || p.type === 'cast_expression')) p = p.parent;
  if (p?.type === 'subscript_argument_list') p = p.parent;
  if (p?.type === 'subscript_expression') {
    const arr = p.childForFieldName('argument')?.text ?? '';
    const lit = /^[A-Za-z_]\w*$/.test(arr) ? new RegExp(`\\b${arr}\\s*(?:\\[\\s*\\w*\\s*\\])?\\s*=\\s*"([^"]*)"`).exec(ctx.text)?.[1] : /^"([^"]*)"$/.exec(arr)?.[1];
    if (lit && /[a-z]/.test(lit) && /[0-9A-Z]/.test(lit) && lit.length >= 26) return { severity: 'low', message: `${c.name}() picks characters from an alphanumeric alphabet: a random string (password, token, id) that can be predicted; use getrandom()/RAND_bytes` };
  }
  if (p?.type === 'argument_list' && /"[^"]*\/tmp\/[^"]*%/.test(p.text)) return { cwe: 'CWE-377', severity: 'medium', message: `${c.name}() makes a temporary file name that can be guessed in advance; use mkstemp()` };
  return undefined;
}

export const insecureRandom = defineRule({
  id: 'insecure-random',
  name: 'Non-cryptographic RNG for a secret',
  cwe: 'CWE-338',
  severity: 'medium',
  pattern: 14,
  message: 'Predictable random numbers used for a security value',
  why: 'OpenSSF AI code assistant guide: use vetted crypto libraries; Math.random/random/rand()/java.util.Random are predictable, so tokens, passwords, salts and keys made from them can be guessed.',
  description: 'random.*, Math.random, rand()/srand, java.util.Random, math/rand, mt_rand/rand/uniqid, Ruby rand, System.Random used where the result is named or used as a token, password, key, salt, nonce, session id or OTP.',
  matchers: {
    python: [{ kind: 'call', names: ['random', 'randint', 'choice', 'choices', 'randrange', 'getrandbits', 'sample', 'uniform', 'shuffle', 'randbytes'], check: (c, ctx) => (/^(?:random|np\.random|numpy\.random|rnd|rng)\.\w+$/.test(c.callee) || (c.callee === c.name && ctx.fileHas(/from\s+random\s+import/)) ? rngHit(c, ctx, c.callee) : undefined) }],
    javascript: [{ kind: 'call', names: ['random'], check: (c, ctx) => (c.callee === 'Math.random' ? rngHit(c, ctx, 'Math.random()') ?? jsUuidHit(c, ctx) ?? jsCharsetHit(c, ctx) : undefined) }],
    java: [
      { kind: 'call', names: ['Random'], check: (c, ctx) => (c.isNew && !/SecureRandom/.test(c.callee) ? rngHit(c, ctx, 'java.util.Random') : undefined) },
      { kind: 'call', names: ['random', 'nextInt', 'nextLong', 'nextBytes', 'current'], check: (c, ctx) => (c.callee === 'Math.random' || /^(?:ThreadLocalRandom\.current\(\)|RandomStringUtils|RandomUtils)\./.test(c.callee) || javaWeakRng(c, ctx) ? rngHit(c, ctx, c.callee) ?? javaRandomFill(c) : undefined) },
      { kind: 'call', names: ['randomAlphanumeric', 'randomAlphabetic', 'randomNumeric', 'randomAscii'], check: (c, ctx) => (/RandomStringUtils/.test(c.callee) ? rngHit(c, ctx, c.callee) ?? { message: `${c.callee} uses java.util.Random; use SecureRandom for security values`, severity: 'low' } : undefined) },
    ],
    go: [{ kind: 'call', names: ['Intn', 'Int', 'Int63', 'Int31', 'Int31n', 'Int63n', 'Uint32', 'Uint64', 'Read', 'Perm', 'Float64', 'IntN', 'N'], check: (c, ctx) => (/^(?:rand|mrand|mathrand)\./.test(c.callee) && ctx.fileHas(/"math\/rand(?:\/v2)?"/) && !(/^rand\./.test(c.callee) && ctx.fileHas(/"crypto\/rand"/) && !ctx.fileHas(/mrand|mathrand/)) ? rngHit(c, ctx, `math/${c.callee}`) : undefined) }],
    c: [
      { kind: 'call', names: ['rand', 'random', 'drand48', 'lrand48', 'srand'], check: (c, ctx) => (c.name === 'srand' ? (/time\s*\(/.test(c.node.text) && securityContext(ctx, c.node) ? { message: 'srand(time(...)) seeds a predictable generator for a security value' } : undefined) : rngHit(c, ctx, `${c.name}()`) ?? cRandomStringHit(c, ctx)) },
      {
        // C++ <random> engines (Mersenne Twister & co.): their state is recoverable from outputs,
        // whatever the seed (even std::random_device); a security value needs a CSPRNG.
        kind: 'node', trigger: /\b(?:mt19937(?:_64)?|default_random_engine|minstd_rand0?|ranlux(?:24|48)(?:_base)?|knuth_b)\b/, types: ['declaration'],
        check: (n, ctx) => {
          const type = n.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
          if (!/^(?:std::)?(?:mt19937(?:_64)?|default_random_engine|minstd_rand0?|ranlux(?:24|48)(?:_base)?|knuth_b)$/.test(type)) return undefined;
          const where = securityContext(ctx, n);
          return where ? { message: `std::${type.replace(/^std::/, '')} is not cryptographically secure but generates ${where}; use a CSPRNG (getrandom, RAND_bytes, libsodium randombytes_buf)` } : undefined;
        },
      },
    ],
    ruby: [
      { kind: 'call', names: ['rand', 'random_number', 'shuffle', 'sample', 'bytes'], check: (c, ctx) => (!c.receiver || /^(?:Random|Kernel|Random\.new(?:\(\w*\))?)$/.test(c.receiver.text) ? (c.name === 'bytes' && !c.receiver ? undefined : rngHit(c, ctx, c.callee)) : undefined) },
      // `chars.sample` / `alphabet.shuffle` draw from Kernel#rand unless given `random: SecureRandom`.
      { kind: 'call', names: ['sample', 'shuffle'], check: (c, ctx) => (c.receiver && !/^(?:Random|Kernel)$/.test(c.receiver.text) && !c.kwargs.has('random') ? rngHit(c, ctx, `${c.name} (Kernel#rand)`) : undefined) },
    ],
    php: [{ kind: 'call', names: ['rand', 'mt_rand', 'uniqid', 'lcg_value', 'str_shuffle', 'array_rand', 'mt_srand'], check: (c, ctx) => (c.receiver ? undefined : rngHit(c, ctx, `${c.name}()`)) }],
    csharp: [{ kind: 'call', names: ['Random', 'Next', 'NextBytes'], check: (c, ctx) => (c.isNew || /^(?:random|rand|rnd|r|_random|Random\.Shared)$/.test(c.receiver?.text ?? '') ? rngHit(c, ctx, 'System.Random') : undefined) }],
    rust: [{ kind: 'call', names: ['thread_rng', 'random', 'gen', 'gen_range'], check: (c, ctx) => (/^(?:rand\.)?(?:thread_rng|random)$/.test(c.callee) && /SmallRng|from_seed|seed_from_u64/.test(ctx.functionText()) ? rngHit(c, ctx, c.callee) : undefined) }],
  },
});
