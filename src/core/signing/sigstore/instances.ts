/**
 * The two Sigstore instances TrustLens knows by name: public-good (production) and staging.
 * Service URLs mirror the signing configs that sigstore-python 4.x ships for them
 * (`signing_config.v0.2.json`), so a bundle signed here has the same shape as one from
 * `model_signing sign sigstore` (Fulcio certificate, Rekor entry, RFC 3161 timestamp).
 */
import { SigningConfig } from '@sigstore/protobuf-specs';

/** Which well-known Sigstore deployment to use. */
export type SigstoreInstance = 'production' | 'staging';

/** TUF repository that distributes each instance's trusted root. */
export const TUF_MIRROR_URL: Record<SigstoreInstance, string> = {
  production: 'https://tuf-repo-cdn.sigstore.dev',
  staging: 'https://tuf-repo-cdn.sigstage.dev',
};

/** Default OIDC issuer (Sigstore's Dex) of each instance, used by interactive token flows. */
export const OIDC_ISSUER_URL: Record<SigstoreInstance, string> = {
  production: 'https://oauth2.sigstore.dev/auth',
  staging: 'https://oauth2.sigstage.dev/auth',
};

const SIGNING_CONFIG_JSON: Record<SigstoreInstance, unknown> = {
  production: {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [{ url: 'https://fulcio.sigstore.dev', majorApiVersion: 1, validFor: { start: '2022-04-13T20:06:15.000Z' }, operator: 'sigstore.dev' }],
    oidcUrls: [{ url: OIDC_ISSUER_URL.production, majorApiVersion: 1, validFor: { start: '2022-04-13T20:06:15.000Z' }, operator: 'sigstore.dev' }],
    rekorTlogUrls: [{ url: 'https://rekor.sigstore.dev', majorApiVersion: 1, validFor: { start: '2021-01-12T11:53:27.000Z' }, operator: 'sigstore.dev' }],
    tsaUrls: [{ url: 'https://timestamp.sigstore.dev/api/v1/timestamp', majorApiVersion: 1, validFor: { start: '2025-07-04T00:00:00Z' }, operator: 'sigstore.dev' }],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
  },
  staging: {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [{ url: 'https://fulcio.sigstage.dev', majorApiVersion: 1, validFor: { start: '2022-04-14T21:38:40Z' }, operator: 'sigstore.dev' }],
    oidcUrls: [{ url: OIDC_ISSUER_URL.staging, majorApiVersion: 1, validFor: { start: '2025-04-16T00:00:00Z' }, operator: 'sigstore.dev' }],
    rekorTlogUrls: [{ url: 'https://rekor.sigstage.dev', majorApiVersion: 1, validFor: { start: '2021-01-12T11:53:27Z' }, operator: 'sigstore.dev' }],
    tsaUrls: [{ url: 'https://timestamp.sigstage.dev/api/v1/timestamp', majorApiVersion: 1, validFor: { start: '2025-04-09T00:00:00Z' }, operator: 'sigstore.dev' }],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
  },
};

/** The signing config (Fulcio, Rekor, TSA URLs) of a well-known instance. */
export function signingConfigFor(instance: SigstoreInstance): SigningConfig {
  return SigningConfig.fromJSON(SIGNING_CONFIG_JSON[instance]);
}
