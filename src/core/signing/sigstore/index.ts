/**
 * Sigstore keyless method: factories the CLI and the VS Code adapter call with their options.
 *
 *   createSigstoreSigner({ identityToken | tokenSource | useAmbientCredentials, useStaging?, trustConfigPath? })
 *   createSigstoreVerifier({ identity, issuer, useStaging?, trustConfigPath?, offline?, cacheDir? })
 */
import * as fs from 'node:fs';
import type { Logger } from '../../log';
import { ambientTokenSource, envTokenSource, IdentityTokenError, staticTokenSource, type IdentityTokenSource } from './identityToken';
import { signingConfigFor, type SigstoreInstance } from './instances';
import { SigstoreSigner, SigstoreSigningError } from './signer';
import { parseClientTrustConfig, TrustConfigError, type ClientTrustConfig } from './trustConfig';
import { loadTrustedRoot, type LoadedTrustedRoot, type TufFetch } from './trustedRoot';
import { SigstoreBundleVerifier } from './verifier';

export { SigstoreSigner, SigstoreSigningError, toPythonShape } from './signer';
export type { SigstoreSignerOptions, SigstoreSigningErrorCode } from './signer';
export { SigstoreBundleVerifier, parseSigstoreBundle } from './verifier';
export type { SigstoreVerifierOptions, SigstoreVerified } from './verifier';
export { mapSigstoreVerifyError } from './verifyErrors';
export { loadTrustedRoot, embeddedProductionTrustedRoot, defaultTufCacheDir, TrustedRootUnavailableError } from './trustedRoot';
export type { LoadedTrustedRoot, TrustedRootOptions, TrustedRootSource, TufFetch } from './trustedRoot';
export { parseClientTrustConfig, parseTrustedRoot, TrustConfigError } from './trustConfig';
export type { ClientTrustConfig } from './trustConfig';
export { signingConfigFor, TUF_MIRROR_URL, OIDC_ISSUER_URL } from './instances';
export type { SigstoreInstance } from './instances';
export { staticTokenSource, envTokenSource, ambientTokenSource, IdentityTokenError, tokenClaims } from './identityToken';
export type { IdentityTokenSource } from './identityToken';

/** Reads and parses a `--trust-config` file (ClientTrustConfig JSON). */
export function readClientTrustConfig(file: string): ClientTrustConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TrustConfigError(`${file}: cannot read trust config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  return parseClientTrustConfig(text, file);
}

export interface SigstoreSignerFactoryOptions {
  /** `--identity-token`. */
  identityToken?: string;
  /** A custom token source (VS Code browser flow); wins over everything else. */
  tokenSource?: IdentityTokenSource;
  /** `--use-ambient-credentials`: GitHub Actions OIDC. */
  useAmbientCredentials?: boolean;
  /** `--use-staging`. */
  useStaging?: boolean;
  /** `--trust-config`: its `signing_config` names Fulcio / Rekor / TSA. */
  trustConfigPath?: string;
  timeoutMs?: number;
  /** Environment for the SIGSTORE_ID_TOKEN fallback; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds the keyless signer. Token precedence: tokenSource, identityToken, ambient credentials
 * (if asked), then the SIGSTORE_ID_TOKEN environment variable.
 */
export function createSigstoreSigner(options: SigstoreSignerFactoryOptions): SigstoreSigner {
  if (options.useStaging && options.trustConfigPath) throw new SigstoreSigningError('SIGSTORE_CONFIG', '--use-staging and --trust-config are mutually exclusive');
  let signingConfig;
  if (options.trustConfigPath) {
    signingConfig = readClientTrustConfig(options.trustConfigPath).signingConfig;
    if (!signingConfig) throw new SigstoreSigningError('SIGSTORE_CONFIG', `${options.trustConfigPath}: trust config has no signing_config, cannot sign with it`);
  } else {
    signingConfig = signingConfigFor(options.useStaging ? 'staging' : 'production');
  }
  const env = options.env ?? process.env;
  let tokenSource: IdentityTokenSource;
  if (options.tokenSource) tokenSource = options.tokenSource;
  else if (options.identityToken !== undefined) tokenSource = staticTokenSource(options.identityToken);
  else if (options.useAmbientCredentials) tokenSource = ambientTokenSource();
  else if (env.SIGSTORE_ID_TOKEN) tokenSource = envTokenSource('SIGSTORE_ID_TOKEN', env);
  else {
    throw new IdentityTokenError(
      'IDENTITY_TOKEN_MISSING',
      'keyless signing needs an OIDC identity token: pass --identity-token, set SIGSTORE_ID_TOKEN, or use --use-ambient-credentials in CI',
    );
  }
  return new SigstoreSigner({ signingConfig, tokenSource, timeoutMs: options.timeoutMs });
}

export interface SigstoreVerifierFactoryOptions {
  /** `--identity`: expected certificate SAN. */
  identity: string;
  /** `--identity-provider`: expected OIDC issuer URL. */
  issuer: string;
  useStaging?: boolean;
  /** `--trust-config`: its trustedRoot replaces the public-good one (no network). */
  trustConfigPath?: string;
  /** Never touch the network: use the embedded production root. Tests always set this. */
  offline?: boolean;
  /** TUF cache directory. */
  cacheDir?: string;
  /** Required verified timestamps (default 1). */
  timestampThreshold?: number;
  logger?: Logger;
  /** Called with the resolved root source (e.g. to print "using embedded root"). */
  onTrustedRoot?: (root: LoadedTrustedRoot) => void;
  /** Test hook: replaces the TUF download. */
  tufFetch?: TufFetch;
}

/** Builds the keyless verifier; the trusted root is resolved lazily on the first verify. */
export function createSigstoreVerifier(options: SigstoreVerifierFactoryOptions): SigstoreBundleVerifier {
  if (options.useStaging && options.trustConfigPath) throw new TrustConfigError('--use-staging and --trust-config are mutually exclusive');
  const trustedRoot = async () => {
    let loaded: LoadedTrustedRoot;
    if (options.trustConfigPath) loaded = { trustedRoot: readClientTrustConfig(options.trustConfigPath).trustedRoot, source: 'trust-config' };
    else {
      loaded = await loadTrustedRoot({
        instance: (options.useStaging ? 'staging' : 'production') satisfies SigstoreInstance,
        offline: options.offline,
        cacheDir: options.cacheDir,
        logger: options.logger,
        tufFetch: options.tufFetch,
      });
    }
    options.onTrustedRoot?.(loaded);
    return loaded.trustedRoot;
  };
  return new SigstoreBundleVerifier({ identity: options.identity, issuer: options.issuer, trustedRoot, timestampThreshold: options.timestampThreshold });
}
