import * as path from 'node:path';
import type { CliCommand, CliIO } from '../command';
import { ExitCode, UsageError } from '../command';
import {
  createCertificateSigner,
  createKeySigner,
  createSigstoreSigner,
  signModel,
  printable,
  type ModelSigner,
} from '../../core/signing';
import { isCancellation, TrustLensError } from '../../core/errors';
import {
  COMMON_MODEL_OPTIONS,
  SERIALIZATION_OPTIONS,
  hashAlgorithm,
  ignoreGitPaths,
  methodAndModel,
  parse,
  readOptionFile,
  requireString,
  resolveIgnorePaths,
  serializationMethod,
  type CliSigningMethod,
} from '../signingOptions';

const USAGE = `Usage: trustlens sign [key|certificate|sigstore] MODEL [options]

Signs MODEL (a directory or a single file) in the OpenSSF Model Signing format and writes a
Sigstore bundle. Without a method word, sigstore is used (like model_signing).

Methods and their options:
  key           --private-key KEY.pem [--password PW]   (or env TRUSTLENS_KEY_PASSWORD)
  certificate   --private-key KEY.pem --signing-certificate LEAF.pem [--certificate-chain INT.pem ...]
  sigstore      [--identity-token TOKEN] [--use-ambient-credentials] [--use-staging] [--trust-config CFG.json]

Common options:
  --signature PATH            where to write the bundle (default model.sig, relative to the CWD);
                              excluded from hashing when it lies inside the model
  --ignore-paths PATH         ignore a file or directory (repeatable; relative to the CWD)
  --ignore-git-paths / --no-ignore-git-paths   ignore .git, .gitattributes, .github, .gitignore (default on)
  --allow-symlinks            follow file symlinks instead of failing
  --hash-algorithm ALG        sha256 (default), blake2b, blake3
  --method files|shards       serialization method (default files); --shard-size N bytes (default 1e9)
  --use-cache                 reuse digests of unchanged files from the digest cache
  --json                      print the result as JSON
Underscore spellings (--private_key, --certificate_chain, ...) are accepted.`;

const OPTIONS = {
  ...COMMON_MODEL_OPTIONS,
  ...SERIALIZATION_OPTIONS,
  signature: { type: 'string' },
  'private-key': { type: 'string' },
  password: { type: 'string' },
  'signing-certificate': { type: 'string' },
  'certificate-chain': { type: 'string', multiple: true },
  'identity-token': { type: 'string' },
  'use-ambient-credentials': { type: 'boolean' },
  'use-staging': { type: 'boolean' },
  'trust-config': { type: 'string' },
} as const;

type Values = Record<string, unknown>;

function buildSigner(method: CliSigningMethod, values: Values, io: CliIO): ModelSigner {
  const passphrase = (values.password as string | undefined) ?? process.env.TRUSTLENS_KEY_PASSWORD;
  if (method === 'key') {
    const keyFile = requireString(values, 'private-key', 'for sign key');
    return createKeySigner({ privateKeyPem: readOptionFile(keyFile, '--private-key', io.cwd), passphrase, source: keyFile });
  }
  if (method === 'certificate') {
    const keyFile = requireString(values, 'private-key', 'for sign certificate');
    const certFile = requireString(values, 'signing-certificate', 'for sign certificate');
    const chain = (values['certificate-chain'] as string[] | undefined) ?? [];
    return createCertificateSigner({
      privateKeyPem: readOptionFile(keyFile, '--private-key', io.cwd),
      passphrase,
      certificatePem: readOptionFile(certFile, '--signing-certificate', io.cwd),
      chainPems: chain.map((c) => readOptionFile(c, '--certificate-chain', io.cwd)),
      sources: { privateKey: keyFile, certificate: certFile, chain },
    });
  }
  return createSigstoreSigner({
    identityToken: values['identity-token'] as string | undefined,
    useAmbientCredentials: values['use-ambient-credentials'] === true,
    useStaging: values['use-staging'] === true,
    trustConfigPath: values['trust-config'] ? path.resolve(io.cwd, values['trust-config'] as string) : undefined,
  });
}

/** `trustlens sign`: model_signing-compatible signing. */
export const signCommand: CliCommand = {
  name: 'sign',
  summary: 'Sign a model (key, certificate or Sigstore keyless) and write model.sig',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, OPTIONS);
    const { method, model } = methodAndModel(positionals, 'sign');
    const ser = serializationMethod(values);
    const serialization = {
      method: ser.method,
      shardSize: ser.shardSize,
      hashAlgorithm: hashAlgorithm(values),
      ignorePaths: resolveIgnorePaths(values, model, io.cwd),
      ignoreGitPaths: ignoreGitPaths(values),
      allowSymlinks: values['allow-symlinks'] === true,
      useCache: values['use-cache'] === true,
    };
    const signaturePath = path.resolve(io.cwd, (values.signature as string | undefined) ?? 'model.sig');
    try {
      const signer = buildSigner(method, values, io);
      const result = await signModel({ modelPath: path.resolve(io.cwd, model), signer, signaturePath, serialization });
      if (values.json) {
        io.out(
          JSON.stringify(
            { signed: true, method, signaturePath: result.signaturePath, rootDigest: result.manifest.rootDigest, resources: result.manifest.resources.length },
            null,
            2,
          ) + '\n',
        );
      } else {
        io.out(`Signing succeeded: ${model} (${result.manifest.resources.length} resources, root sha256:${result.manifest.rootDigest})\n`);
        io.out(`Signature written to ${result.signaturePath}\n`);
      }
      return ExitCode.Ok;
    } catch (e) {
      if (e instanceof UsageError || isCancellation(e)) throw e;
      const code = TrustLensError.is(e) ? ` [${e.code}]` : '';
      if (values.json) io.out(JSON.stringify({ signed: false, error: TrustLensError.is(e) ? e.code : 'ERROR', message: (e as Error).message }, null, 2) + '\n');
      // Messages quote model file names: make control characters visible.
      io.err(`Signing failed${code}: ${printable((e as Error).message, Number.MAX_SAFE_INTEGER)}\n`);
      return ExitCode.Usage;
    }
  },
};
