/**
 * `--trust-config`: a Sigstore ClientTrustConfig JSON
 * (`application/vnd.dev.sigstore.clienttrustconfig.v0.1+json`) naming a private or custom
 * Sigstore deployment: its trusted root (verification) and its signing config (signing).
 * sigstore-python writes the signing config under the snake_case key `signing_config`
 * (see the vector `custom_trust_config.json`); the protobuf JSON name is `signingConfig`.
 * Both are accepted.
 */
import { SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import { z } from 'zod';
import { TrustLensError } from '../../errors';

/** Error code of every trust-config problem (unreadable, not JSON, wrong shape). */
export type TrustConfigErrorCode = 'TRUST_CONFIG_INVALID';

export class TrustConfigError extends TrustLensError<TrustConfigErrorCode> {
  override readonly name = 'TrustConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRUST_CONFIG_INVALID', message, options);
  }
}

/** A parsed ClientTrustConfig. */
export interface ClientTrustConfig {
  trustedRoot: TrustedRoot;
  /** Absent when the file only carries a trusted root (verification-only configs). */
  signingConfig?: SigningConfig;
}

const service = z.looseObject({ url: z.url(), majorApiVersion: z.number().int().nonnegative().optional() });

const trustedRootShape = z.looseObject({
    mediaType: z.string().startsWith('application/vnd.dev.sigstore.trustedroot'),
    tlogs: z.array(z.looseObject({})).optional(),
    certificateAuthorities: z.array(z.looseObject({})).optional(),
    ctlogs: z.array(z.looseObject({})).optional(),
    timestampAuthorities: z.array(z.looseObject({})).optional(),
  });

const signingConfigShape = z.looseObject({
    mediaType: z.string().startsWith('application/vnd.dev.sigstore.signingconfig'),
    caUrls: z.array(service).optional(),
    rekorTlogUrls: z.array(service).optional(),
    tsaUrls: z.array(service).optional(),
  });

const clientTrustConfigShape = z.looseObject({
    mediaType: z.string().startsWith('application/vnd.dev.sigstore.clienttrustconfig'),
    trustedRoot: trustedRootShape,
    signingConfig: signingConfigShape.optional(),
    signing_config: signingConfigShape.optional(),
  });

/** Parses the text of a ClientTrustConfig file. Throws TrustConfigError naming `source`. */
export function parseClientTrustConfig(text: string, source = 'trust config'): ClientTrustConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TrustConfigError(`${source}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const parsed = clientTrustConfigShape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrustConfigError(`${source}: not a Sigstore ClientTrustConfig (${issue?.path.join('.') || 'root'}: ${issue?.message})`);
  }
  const raw = parsed.data;
  if (raw.signingConfig && raw.signing_config) {
    throw new TrustConfigError(`${source}: both signingConfig and signing_config are present`);
  }
  let trustedRoot: TrustedRoot;
  let signingConfig: SigningConfig | undefined;
  try {
    trustedRoot = TrustedRoot.fromJSON(raw.trustedRoot);
    const sc = raw.signingConfig ?? raw.signing_config;
    signingConfig = sc ? SigningConfig.fromJSON(sc) : undefined;
  } catch (e) {
    throw new TrustConfigError(`${source}: ${(e as Error).message}`, { cause: e });
  }
  assertUsableRoot(trustedRoot, source);
  return { trustedRoot, signingConfig };
}

/** A trusted root without a Fulcio CA or a Rekor log can never verify anything: say so early. */
export function assertUsableRoot(root: TrustedRoot, source: string): void {
  if (root.certificateAuthorities.length === 0) throw new TrustConfigError(`${source}: trusted root has no certificate authority`);
  if (root.tlogs.length === 0) throw new TrustConfigError(`${source}: trusted root has no transparency log`);
}

/** Parses a bare trusted root JSON (`trusted_root.json`), as distributed through TUF. */
export function parseTrustedRoot(text: string, source = 'trusted root'): TrustedRoot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TrustConfigError(`${source}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const parsed = trustedRootShape.safeParse(json);
  if (!parsed.success) throw new TrustConfigError(`${source}: not a Sigstore trusted root (${parsed.error.issues[0]?.message})`);
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(parsed.data);
  } catch (e) {
    throw new TrustConfigError(`${source}: ${(e as Error).message}`, { cause: e });
  }
  assertUsableRoot(root, source);
  return root;
}
