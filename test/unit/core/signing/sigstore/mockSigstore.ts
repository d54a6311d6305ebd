/**
 * A throwaway Sigstore deployment on loopback for tests: @sigstore/mock's Fulcio, Rekor and TSA
 * request handlers served by a node:http server bound to 127.0.0.1, plus a ClientTrustConfig
 * (trusted root + signing config with the loopback URLs) written to a temp dir. Nothing here
 * touches the network; the mock's nock-based helpers are not used.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

/* The mock has no `exports` map; import the handler modules directly (the index pulls in nock). */
const { initializeCA, initializeCTLog, fulcioHandler } = require('@sigstore/mock/dist/fulcio');
const { initializeTLog, rekorHandler } = require('@sigstore/mock/dist/rekor');
const { initializeTSA, tsaHandler } = require('@sigstore/mock/dist/timestamp');

type HandlerFn = (body: string) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }>;
type Handler = { path: string; fn: HandlerFn };

export interface MockSigstore {
  url: string;
  /** ClientTrustConfig file (trustedRoot + signing_config) for this deployment. */
  trustConfigPath: string;
  /** Request paths received, in order (to assert which services were used). */
  requests: string[];
  /** An unsigned test JWT for `sub` / `iss` (the mock Fulcio does not check signatures). */
  token(claims: { sub: string; iss: string; email?: string }): string;
  close(): Promise<void>;
}

const b64 = (v: ArrayBufferView | Buffer) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');

/**
 * The mock Rekor logs the proposed entry verbatim. Real Rekor turns a proposed `dsse` entry into
 * the canonical body (payload hash, envelope hash, signature + verifier); do that here so the
 * body check of the verifier (tlog body ↔ envelope) runs as against production.
 */
function rekorDsseHandler(inner: Handler): Handler {
  return {
    path: inner.path,
    fn: async (body: string) => {
      const proposed = JSON.parse(body) as { kind?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } };
      const content = proposed.spec?.proposedContent;
      if (proposed.kind !== 'dsse' || !content) return inner.fn(body);
      const env = JSON.parse(content.envelope) as { payload: string; signatures: Array<{ sig: string }> };
      const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
      const canonical = {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: sha256(content.envelope) },
          payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(env.payload, 'base64')) },
          signatures: env.signatures.map((s) => ({ signature: s.sig, verifier: content.verifiers[0] })),
        },
      };
      return inner.fn(JSON.stringify(canonical));
    },
  };
}

/** Starts the fake deployment. `withTsa: false` leaves the TSA out of the signing config. */
export async function startMockSigstore(options: { withTsa?: boolean } = {}): Promise<MockSigstore> {
  const withTsa = options.withTsa ?? true;
  const keyPair = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const requests: string[] = [];
  const handlers: Handler[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const h = handlers.find((x) => x.path === req.url);
      if (!h || req.method !== 'POST') {
        res.writeHead(404).end('not found');
        return;
      }
      h.fn(Buffer.concat(chunks).toString('utf8')).then(
        (r) => {
          res.writeHead(r.statusCode, { 'Content-Type': r.contentType ?? 'text/plain' });
          res.end(typeof r.response === 'string' ? r.response : Buffer.from(r.response.buffer, r.response.byteOffset, r.response.byteLength));
        },
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ctlog = await initializeCTLog(keyPair());
  const ca = await initializeCA(keyPair(), ctlog);
  const tlog = await initializeTLog(url, keyPair());
  // The mock TSA stamps `clock` (a Date it reads at each request) and, with a live clock, writes
  // fractional seconds that @sigstore/core's GeneralizedTime parser rejects ("invalid time").
  // Keep the clock on whole seconds, advanced before every timestamp request.
  const tsaClock = new Date();
  const tsa = await initializeTSA(keyPair(), tsaClock);
  const tsaTicking = tsaHandler(tsa) as Handler;
  const wholeSecondTsa: Handler = {
    path: tsaTicking.path,
    fn: async (body) => {
      tsaClock.setTime(Math.floor(Date.now() / 1000) * 1000);
      return tsaTicking.fn(body);
    },
  };
  handlers.push(fulcioHandler(ca), rekorDsseHandler(rekorHandler(tlog)), wholeSecondTsa);

  const start = { start: '2020-01-01T00:00:00Z' };
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(tlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: start },
        logId: { keyId: crypto.createHash('sha256').update(tlog.publicKey).digest('base64') },
      },
    ],
    certificateAuthorities: [
      { subject: { organization: 'mock', commonName: 'mock-fulcio' }, uri: url, certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] }, validFor: start },
    ],
    ctlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: b64(ctlog.publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: start },
        logId: { keyId: b64(ctlog.logID) },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'mock', commonName: 'mock-tsa' },
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor: start,
      },
    ],
  };
  const service = (u: string) => ({ url: u, majorApiVersion: 1, validFor: start, operator: 'mock' });
  const signingConfig = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service(url)],
    oidcUrls: [],
    rekorTlogUrls: [service(url)],
    tsaUrls: withTsa ? [service(`${url}/api/v1/timestamp`)] : [],
    rekorTlogConfig: { selector: 'ANY' },
    ...(withTsa ? { tsaConfig: { selector: 'ANY' } } : {}),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-mock-sigstore-'));
  const trustConfigPath = path.join(dir, 'trust_config.json');
  fs.writeFileSync(trustConfigPath, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json', trustedRoot, signing_config: signingConfig }));

  return {
    url,
    trustConfigPath,
    requests,
    token: (claims) => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ aud: 'sigstore', iat: now, exp: now + 600, ...claims })}.${Buffer.from('not-a-real-signature').toString('base64url')}`;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
