import * as path from 'node:path';
import * as tls from 'node:tls';
import type { CliCommand, CliIO } from '../command';
import { ExitCode, UsageError } from '../command';
import {
  createCertificateVerifier,
  createKeyVerifier,
  createSigstoreVerifier,
  verifyModel,
  printable,
  type BundleVerifier,
  type CertValidityPolicy,
  type SignerInfo,
  type VerificationResult,
} from '../../core/signing';
import { TrustLensError } from '../../core/errors';
import {
  COMMON_MODEL_OPTIONS,
  ignoreGitPaths,
  methodAndModel,
  parse,
  readOptionFile,
  requireString,
  resolveIgnorePaths,
  type CliSigningMethod,
} from '../signingOptions';

const USAGE = `Usage: trustlens verify [key|certificate|sigstore] MODEL [options]

Verifies MODEL against its OpenSSF Model Signing bundle. The recorded serialization (method,
hash type, shard size, ignore_paths) is re-applied. Without a method word, sigstore is used.

Methods and their options:
  key           --public-key PUB.pem
  certificate   [--certificate-chain ROOT.pem ...]   trust anchors (default: Node's Mozilla CA roots)
                [--cert-validity signing-time|now|ISO-DATE]   when certificates must be valid
                (default signing-time = the leaf's notBefore, like model_signing: expired
                certificates still verify; use 'now' for strict checking)
  sigstore      --identity SAN --identity-provider ISSUER [--use-staging] [--trust-config CFG.json] [--offline]

Common options:
  --signature PATH            the bundle (default model.sig, relative to the CWD)
  --ignore-paths PATH         also ignore this path (repeatable; never hides a signed file)
  --ignore-git-paths / --no-ignore-git-paths   (default on)
  --allow-symlinks            follow file symlinks (default: the policy recorded in the signature)
  --ignore-unsigned-files     do not fail on files the signature does not list
  --use-cache                 quick mode: reuse digests of unchanged files (trusts file metadata)
  --json                      print the VerificationResult as JSON
Exit codes: 0 valid, 1 verification failed, 2 usage or input error.`;

const OPTIONS = {
  ...COMMON_MODEL_OPTIONS,
  signature: { type: 'string' },
  'public-key': { type: 'string' },
  'certificate-chain': { type: 'string', multiple: true },
  'cert-validity': { type: 'string' },
  identity: { type: 'string' },
  'identity-provider': { type: 'string' },
  'use-staging': { type: 'boolean' },
  'trust-config': { type: 'string' },
  offline: { type: 'boolean' },
  'ignore-unsigned-files': { type: 'boolean' },
  'log-fingerprints': { type: 'boolean' },
} as const;

type Values = Record<string, unknown>;

function certValidity(values: Values): CertValidityPolicy {
  const v = values['cert-validity'] as string | undefined;
  if (v === undefined || v === 'signing-time') return 'signing-time';
  if (v === 'now') return 'now';
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) throw new UsageError(`--cert-validity must be signing-time, now or an ISO date (got '${v}')`);
  return d;
}

function buildVerifier(method: CliSigningMethod, values: Values, io: CliIO): BundleVerifier {
  if (method === 'key') {
    const keyFile = requireString(values, 'public-key', 'for verify key');
    return createKeyVerifier({ publicKeyPem: readOptionFile(keyFile, '--public-key', io.cwd), source: keyFile });
  }
  if (method === 'certificate') {
    const chain = (values['certificate-chain'] as string[] | undefined) ?? [];
    const anchors = chain.length ? chain.map((c) => readOptionFile(c, '--certificate-chain', io.cwd)) : [...tls.rootCertificates];
    return createCertificateVerifier({ trustAnchorPems: anchors, validity: certValidity(values), sources: chain.length ? chain : undefined });
  }
  return createSigstoreVerifier({
    identity: requireString(values, 'identity', 'for verify sigstore'),
    issuer: requireString(values, 'identity-provider', 'for verify sigstore'),
    useStaging: values['use-staging'] === true,
    trustConfigPath: values['trust-config'] ? path.resolve(io.cwd, values['trust-config'] as string) : undefined,
    offline: values.offline === true,
    // Say so when the TUF refresh failed and the embedded root was used instead.
    onTrustedRoot: (root) => {
      if (root.warning) io.err(`warning: ${root.warning}\n`);
    },
  });
}

/**
 * Text from the bundle or the model (file names, certificate names, messages quoting them) with
 * control characters made visible: a file named "\x1b[1A…Verification succeeded" must not be
 * able to rewrite the terminal.
 */
const clean = (s: string) => printable(s, Number.MAX_SAFE_INTEGER);

/** One line naming the signer. */
export function describeSigner(s: SignerInfo): string {
  if (s.method === 'key') return `public key${s.keyHint ? ` (hint ${s.keyHint.slice(0, 16)}…)` : ''}`;
  if (s.method === 'certificate') return `certificate '${clean(s.subject.replace(/\n/g, ', '))}' issued by '${clean(s.issuer.replace(/\n/g, ', '))}' (sha256 ${s.fingerprint})`;
  return `${clean(s.identity)} (issuer ${clean(s.issuer)})`;
}

/** Input problems (not a verdict on the model) exit 2. */
const INPUT_ERRORS = new Set(['SIGNATURE_NOT_FOUND', 'MODEL_NOT_FOUND', 'VERIFIER_CONFIG']);

function printResult(r: VerificationResult, model: string, io: CliIO): void {
  if (r.verdict === 'valid') {
    io.out(`Verification succeeded: ${model}\n`);
    io.out(`  signer:  ${describeSigner(r.signer)}\n`);
    if (r.signedAt) io.out(`  signed:  ${r.signedAt.toISOString()}\n`);
    io.out(`  files:   ${r.manifest.resources.length} resources, root sha256:${r.manifest.rootDigest}\n`);
    for (const w of r.warnings) io.out(`  warning: ${clean(w)}\n`);
    return;
  }
  io.err(`Verification failed [${r.reason}]: ${clean(r.message)}\n`);
  if (r.diff) {
    for (const [label, list] of [['changed', r.diff.changed], ['missing', r.diff.missing], ['extra', r.diff.extra]] as const) {
      for (const f of list) io.err(`  ${label.padEnd(8)} ${clean(f)}\n`);
    }
  }
}

/** `trustlens verify`: model_signing-compatible verification with a typed verdict. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Verify a model against its signature (key, certificate or Sigstore)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, OPTIONS);
    const { method, model } = methodAndModel(positionals, 'verify');
    const modelPath = path.resolve(io.cwd, model);
    let verifier: BundleVerifier;
    try {
      verifier = buildVerifier(method, values, io);
    } catch (e) {
      if (e instanceof UsageError || !TrustLensError.is(e)) throw e;
      io.err(`Verification failed [${e.code}]: ${clean(e.message)}\n`);
      return ExitCode.Usage;
    }
    const result = await verifyModel({
      modelPath,
      signaturePath: path.resolve(io.cwd, (values.signature as string | undefined) ?? 'model.sig'),
      verifier,
      ignorePaths: resolveIgnorePaths(values, model, io.cwd),
      ignoreGitPaths: ignoreGitPaths(values),
      allowSymlinks: values['allow-symlinks'] === true ? true : undefined,
      ignoreUnsignedFiles: values['ignore-unsigned-files'] === true,
      useCache: values['use-cache'] === true,
    });
    if (values.json) io.out(JSON.stringify(result, null, 2) + '\n');
    else printResult(result, model, io);
    if (result.verdict === 'valid') return ExitCode.Ok;
    return INPUT_ERRORS.has(result.reason) ? ExitCode.Usage : ExitCode.Failed;
  },
};
