/**
 * Sigstore keyless signer: an ephemeral P-256 key, a short-lived Fulcio certificate bound to the
 * OIDC identity, a Rekor `dsse` entry and (when the signing config names one) an RFC 3161
 * timestamp, all packed into a Sigstore bundle v0.3 shaped like sigstore-python's
 * (`verificationMaterial.certificate`, DSSE signature without `keyid`).
 */
import { bundleToJSON } from '@sigstore/bundle';
import { ServiceSelector, type SigningConfig } from '@sigstore/protobuf-specs';
import { bundleBuilderFromSigningConfig } from '@sigstore/sign';
import { raceWithSignal, throwIfAborted } from '../../abort';
import { TrustLensError } from '../../errors';
import type { BundleJson, ModelSigner } from '../types';
import { IdentityTokenError, checkTokenShape, redactTokens, type IdentityTokenSource } from './identityToken';

/** Why keyless signing failed. */
export type SigstoreSigningErrorCode =
  | 'SIGSTORE_CONFIG'
  | 'IDENTITY_TOKEN_MISSING'
  | 'IDENTITY_TOKEN_INVALID'
  | 'FULCIO_ERROR'
  | 'REKOR_ERROR'
  | 'TSA_ERROR'
  | 'SIGSTORE_ERROR';

export class SigstoreSigningError extends TrustLensError<SigstoreSigningErrorCode> {
  override readonly name = 'SigstoreSigningError';
}

export interface SigstoreSignerOptions {
  /** Fulcio / Rekor / TSA endpoints (see `signingConfigFor` or a ClientTrustConfig). */
  signingConfig: SigningConfig;
  tokenSource: IdentityTokenSource;
  /** Per-request timeout (ms); default 30 s. */
  timeoutMs?: number;
  /** Retries per request; default 2. */
  retries?: number;
}

const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/**
 * Signs DSSE payloads through Sigstore. `sign` calls the token source once, then Fulcio, Rekor
 * and the TSA; it never logs or returns the token.
 */
export class SigstoreSigner implements ModelSigner {
  readonly method = 'sigstore' as const;
  private readonly signingConfig: SigningConfig;

  constructor(private readonly options: SigstoreSignerOptions) {
    this.signingConfig = withDefaultSelectors(options.signingConfig);
    if (this.signingConfig.caUrls.length === 0) throw new SigstoreSigningError('SIGSTORE_CONFIG', 'signing config names no Fulcio CA (caUrls)');
    if (this.signingConfig.rekorTlogUrls.length === 0) {
      throw new SigstoreSigningError('SIGSTORE_CONFIG', 'signing config names no Rekor log (rekorTlogUrls); keyless bundles need a transparency log entry');
    }
  }

  async sign(payload: Uint8Array, payloadType: string, signal?: AbortSignal): Promise<BundleJson> {
    throwIfAborted(signal);
    let token: string | undefined;
    const identityProvider = {
      getToken: async () => {
        token = checkTokenShape(await this.options.tokenSource.getToken());
        return token;
      },
    };
    let builder;
    try {
      builder = bundleBuilderFromSigningConfig({
        signingConfig: this.signingConfig,
        identityProvider,
        bundleType: 'dsseEnvelope',
        fetchOptions: { timeout: this.options.timeoutMs ?? 30_000, retry: { retries: this.options.retries ?? 2 } },
      });
    } catch (e) {
      throw new SigstoreSigningError('SIGSTORE_CONFIG', `unusable signing config: ${(e as Error).message}`, { cause: e });
    }
    let bundle;
    try {
      bundle = await raceWithSignal(builder.create({ data: Buffer.from(payload), type: payloadType }), signal);
    } catch (e) {
      throw toSigningError(e, token);
    }
    return toPythonShape(bundleToJSON(bundle) as unknown as BundleJson);
  }
}

/** Signing configs from older files may omit the selectors; treat a listed service as "use ANY". */
function withDefaultSelectors(config: SigningConfig): SigningConfig {
  return {
    ...config,
    rekorTlogConfig: config.rekorTlogConfig ?? (config.rekorTlogUrls.length ? { selector: ServiceSelector.ANY, count: 0 } : undefined),
    tsaConfig: config.tsaConfig ?? (config.tsaUrls.length ? { selector: ServiceSelector.ANY, count: 0 } : undefined),
  };
}

/** Maps @sigstore/sign errors onto coded errors; strips the token from every message. */
function toSigningError(e: unknown, token: string | undefined): TrustLensError {
  if (e instanceof TrustLensError) return e;
  const clean = (s: string) => redactTokens(token ? s.split(token).join('[REDACTED-TOKEN]') : s);
  const code = (e as { code?: unknown })?.code;
  const cause = (e as { cause?: { message?: string } })?.cause;
  const detail = clean([(e as Error)?.message ?? String(e), cause?.message].filter(Boolean).join(': '));
  switch (code) {
    case 'IDENTITY_TOKEN_READ_ERROR':
      if (cause instanceof IdentityTokenError) return new SigstoreSigningError(cause.code, cause.message);
      return new SigstoreSigningError('IDENTITY_TOKEN_MISSING', 'could not obtain an OIDC identity token');
    case 'IDENTITY_TOKEN_PARSE_ERROR':
      // The library's message embeds the raw token: never forward it.
      return new SigstoreSigningError('IDENTITY_TOKEN_INVALID', 'the identity token has no usable subject (email or sub claim)');
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR':
      return new SigstoreSigningError('FULCIO_ERROR', `Fulcio refused or failed to issue a signing certificate: ${detail}`);
    case 'TLOG_CREATE_ENTRY_ERROR':
    case 'TLOG_FETCH_ENTRY_ERROR':
      return new SigstoreSigningError('REKOR_ERROR', `Rekor transparency log upload failed: ${detail}`);
    case 'TSA_CREATE_TIMESTAMP_ERROR':
      return new SigstoreSigningError('TSA_ERROR', `timestamp authority request failed: ${detail}`);
    default:
      return new SigstoreSigningError('SIGSTORE_ERROR', `Sigstore signing failed: ${detail}`);
  }
}

/**
 * Rewrites sigstore-js output into sigstore-python's layout: key order mediaType,
 * verificationMaterial, dsseEnvelope; no empty `keyid` on the DSSE signature.
 */
export function toPythonShape(json: BundleJson): BundleJson {
  const vm = (json.verificationMaterial ?? {}) as Record<string, unknown>;
  const env = (json.dsseEnvelope ?? {}) as { payload?: string; payloadType?: string; signatures?: Array<{ sig: string; keyid?: string }> };
  if (json.mediaType !== BUNDLE_V03 || !vm.certificate) {
    throw new SigstoreSigningError('SIGSTORE_ERROR', `unexpected bundle from the Sigstore library (mediaType ${String(json.mediaType)})`);
  }
  const verificationMaterial: Record<string, unknown> = { certificate: vm.certificate, tlogEntries: vm.tlogEntries ?? [] };
  verificationMaterial.timestampVerificationData = vm.timestampVerificationData ?? {};
  return {
    mediaType: BUNDLE_V03,
    verificationMaterial,
    dsseEnvelope: {
      payload: env.payload,
      payloadType: env.payloadType,
      signatures: (env.signatures ?? []).map((s) => (s.keyid ? { sig: s.sig, keyid: s.keyid } : { sig: s.sig })),
    },
  };
}
