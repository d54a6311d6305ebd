/**
 * OAuth 2.0 authorization-code flow with PKCE and a loopback redirect (RFC 8252), as Sigstore
 * clients use to get an OIDC identity token from oauth2.sigstore.dev. Host-free (no `vscode`):
 * the caller opens the URL in a browser. The token is a bearer credential: never logged.
 */
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { CancellationError, TrustLensError } from '../core/errors';

export interface LoopbackFlowOptions {
  /** OIDC issuer, e.g. https://oauth2.sigstore.dev/auth */
  issuer: string;
  clientId?: string;
  /** Opens the authorization URL for the user (vscode.env.openExternal). */
  openBrowser: (url: string) => Promise<boolean>;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** Runs the flow and resolves with the id_token. Throws TrustLensError OIDC_* or CancellationError. */
export async function loopbackIdentityToken(o: LoopbackFlowOptions): Promise<string> {
  const f = o.fetchImpl ?? fetch;
  const clientId = o.clientId ?? 'sigstore';
  const discoveryRes = await f(`${o.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: o.signal });
  if (!discoveryRes.ok) throw new TrustLensError('OIDC_DISCOVERY', `OIDC discovery at ${o.issuer} failed: HTTP ${discoveryRes.status}`);
  const disco = (await discoveryRes.json()) as { authorization_endpoint?: string; token_endpoint?: string };
  if (!disco.authorization_endpoint || !disco.token_endpoint) throw new TrustLensError('OIDC_DISCOVERY', `OIDC discovery at ${o.issuer} lacks endpoints`);
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  let server: Server | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const { code, redirectUri } = await new Promise<{ code: string; redirectUri: string }>((resolve, reject) => {
      let redirectUri = '';
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname !== '/auth/callback') {
          res.writeHead(404).end();
          return;
        }
        const err = url.searchParams.get('error');
        const ok = !err && url.searchParams.get('state') === state && url.searchParams.get('code');
        res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(ok ? '<h1>TrustLens: signed in</h1><p>You can close this tab and return to VS Code.</p>' : '<h1>TrustLens: sign-in failed</h1>');
        if (err) reject(new TrustLensError('OIDC_DENIED', `sign-in failed: ${err}`));
        else if (url.searchParams.get('state') !== state) reject(new TrustLensError('OIDC_STATE', 'sign-in answer has the wrong state (possible CSRF); try again'));
        else if (ok) resolve({ code: url.searchParams.get('code')!, redirectUri });
      });
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server!.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        redirectUri = `http://localhost:${port}/auth/callback`;
        const auth = new URL(disco.authorization_endpoint!);
        for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'openid email', state, nonce, code_challenge: challenge, code_challenge_method: 'S256' })) {
          auth.searchParams.set(k, v);
        }
        o.openBrowser(auth.toString()).then(
          (opened) => { if (!opened) reject(new TrustLensError('OIDC_BROWSER', 'could not open a browser for the sign-in')); },
          reject,
        );
      });
      timer = setTimeout(() => reject(new TrustLensError('OIDC_TIMEOUT', 'no sign-in within the time limit')), o.timeoutMs ?? 300_000);
      onAbort = () => reject(new CancellationError());
      if (o.signal?.aborted) onAbort();
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const tokenRes = await f(disco.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }).toString(),
      signal: o.signal,
    });
    if (!tokenRes.ok) throw new TrustLensError('OIDC_TOKEN', `token exchange failed: HTTP ${tokenRes.status}`);
    const body = (await tokenRes.json()) as { id_token?: string };
    if (!body.id_token) throw new TrustLensError('OIDC_TOKEN', 'token response has no id_token');
    return body.id_token;
  } finally {
    clearTimeout(timer);
    if (onAbort) o.signal?.removeEventListener('abort', onAbort);
    server?.close();
  }
}
