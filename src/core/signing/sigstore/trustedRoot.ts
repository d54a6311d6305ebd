/**
 * Where the Sigstore trusted root (Fulcio CAs, Rekor logs, CT logs, TSAs) comes from.
 *
 * - `trust-config`: a ClientTrustConfig file given by the user; never touches the network.
 * - `tuf`: refreshed through Sigstore's TUF repository and cached on disk (`cacheDir`), so the
 *   root follows key rotations. Needs the network.
 * - `tuf-cache`: when the refresh fails, the trusted root of the last successful refresh (or the
 *   seed the cache was initialised with) from `cacheDir`.
 * - `embedded`: the production trusted root shipped inside `@sigstore/tuf` (bundled into dist/).
 *   Used when `offline` is set (no connection is even attempted, the cache is not read either, so
 *   offline results do not depend on local state), or when the refresh fails and there is no cache.
 *
 * Staging has no embedded root: offline staging verification needs `--trust-config`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { TrustLensError } from '../../errors';
import { nullLogger, type Logger } from '../../log';
import { TUF_MIRROR_URL, type SigstoreInstance } from './instances';
import { parseTrustedRoot } from './trustConfig';
import stagingTufRoot from './assets/staging-tuf-root.json';

export type TrustedRootSource = 'trust-config' | 'tuf' | 'tuf-cache' | 'embedded';

export interface LoadedTrustedRoot {
  trustedRoot: TrustedRoot;
  source: TrustedRootSource;
  /** Set when the preferred source failed and a fallback was used. */
  warning?: string;
}

/** Fetches a trusted root through TUF. Injectable so tests can prove it is never called offline. */
export type TufFetch = (options: { mirrorURL: string; cachePath: string; rootPath?: string; timeoutMs: number }) => Promise<TrustedRoot>;

export interface TrustedRootOptions {
  instance?: SigstoreInstance;
  /** Never open a connection; use the embedded root. */
  offline?: boolean;
  /** TUF metadata cache; default `$XDG_CACHE_HOME/trustlens/sigstore-tuf` (or the OS equivalent). */
  cacheDir?: string;
  timeoutMs?: number;
  logger?: Logger;
  tufFetch?: TufFetch;
}

/** Error code when no trusted root can be had (e.g. staging while offline). */
export class TrustedRootUnavailableError extends TrustLensError<'TRUST_ROOT_UNAVAILABLE'> {
  override readonly name = 'TrustedRootUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRUST_ROOT_UNAVAILABLE', message, options);
  }
}

/** Default TUF cache directory (per user, outside any workspace). */
export function defaultTufCacheDir(): string {
  const base =
    process.platform === 'win32'
      ? (process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? path.join(os.homedir(), 'Library', 'Caches')
        : (process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'));
  return path.join(base, 'trustlens', 'sigstore-tuf');
}

/**
 * The production trusted root embedded in `@sigstore/tuf`'s seeds. The `require` of a literal
 * JSON path is inlined by esbuild, so this works from dist/ without node_modules.
 */
export function embeddedProductionTrustedRoot(): TrustedRoot {
  const seeds = require('@sigstore/tuf/seeds.json') as Record<string, { targets?: Record<string, string> }>;
  const b64 = seeds[TUF_MIRROR_URL.production]?.targets?.['trusted_root.json'];
  if (!b64) throw new TrustedRootUnavailableError('the embedded Sigstore trusted root is missing from this build');
  return parseTrustedRoot(Buffer.from(b64, 'base64').toString('utf8'), 'embedded Sigstore trusted root');
}

const defaultTufFetch: TufFetch = async ({ mirrorURL, cachePath, rootPath, timeoutMs }) => {
  const tuf = await import('@sigstore/tuf');
  return tuf.getTrustedRoot({ mirrorURL, cachePath, rootPath, timeout: timeoutMs, retry: { retries: 1 } });
};

/** Resolves the trusted root for an instance following the policy described at the top. */
export async function loadTrustedRoot(options: TrustedRootOptions = {}): Promise<LoadedTrustedRoot> {
  const instance = options.instance ?? 'production';
  const log = options.logger ?? nullLogger;
  if (options.offline) {
    if (instance === 'staging') {
      throw new TrustedRootUnavailableError('no embedded trusted root for Sigstore staging: go online or pass --trust-config');
    }
    return { trustedRoot: embeddedProductionTrustedRoot(), source: 'embedded' };
  }
  const cacheRoot = options.cacheDir ?? defaultTufCacheDir();
  const fetchRoot = options.tufFetch ?? defaultTufFetch;
  try {
    fs.mkdirSync(cacheRoot, { recursive: true });
    let rootPath: string | undefined;
    if (instance === 'staging') {
      // @sigstore/tuf only seeds production; give TUF the staging root.json as a file.
      rootPath = path.join(cacheRoot, 'staging-seed-root.json');
      fs.writeFileSync(rootPath, JSON.stringify(stagingTufRoot));
    }
    const trustedRoot = await fetchRoot({ mirrorURL: TUF_MIRROR_URL[instance], cachePath: cacheRoot, rootPath, timeoutMs: options.timeoutMs ?? 5000 });
    log.trace(`sigstore: trusted root refreshed through TUF (${TUF_MIRROR_URL[instance]})`);
    return { trustedRoot, source: 'tuf' };
  } catch (e) {
    const cause = (e as { cause?: { message?: string } })?.cause?.message;
    const why = [(e as Error)?.message ?? String(e), cause].filter(Boolean).join(': ');
    if (instance === 'staging') {
      throw new TrustedRootUnavailableError(`cannot refresh the Sigstore staging trusted root through TUF: ${why}`, { cause: e });
    }
    const cached = readCachedTrustedRoot(cacheRoot, instance);
    if (cached) {
      const warning = `TUF refresh of the Sigstore trusted root failed (${why}); using the cached root from the last refresh`;
      log.warn(warning);
      return { trustedRoot: cached, source: 'tuf-cache', warning };
    }
    const warning = `TUF refresh of the Sigstore trusted root failed (${why}); using the root embedded in TrustLens`;
    log.warn(warning);
    return { trustedRoot: embeddedProductionTrustedRoot(), source: 'embedded', warning };
  }
}

/** The trusted_root.json target @sigstore/tuf keeps under `cacheRoot/<mirror host>/targets/`, if it parses. */
function readCachedTrustedRoot(cacheRoot: string, instance: SigstoreInstance): TrustedRoot | undefined {
  const url = new URL(TUF_MIRROR_URL[instance]);
  const file = path.join(cacheRoot, encodeURIComponent(url.host + url.pathname.replace(/\/$/, '')), 'targets', 'trusted_root.json');
  try {
    return parseTrustedRoot(fs.readFileSync(file, 'utf8'), file);
  } catch {
    return undefined;
  }
}
