import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { loopbackIdentityToken } from '../../../src/vscode/oidcLoopback';
import { isCancellation } from '../../../src/core/errors';

/** A fake OIDC issuer: discovery, and a token endpoint that checks the PKCE verifier. */
async function fakeIssuer(): Promise<{ url: string; server: Server; challenges: string[] }> {
  const challenges: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/.well-known/openid-configuration') {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      res.end(JSON.stringify({ authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token` }));
    } else if (url.pathname === '/token') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const p = new URLSearchParams(body);
        const ok = p.get('code') === 'the-code' && challenges.includes(createHash('sha256').update(p.get('code_verifier') ?? '').digest('base64url'));
        res.writeHead(ok ? 200 : 400).end(JSON.stringify(ok ? { id_token: 'header.payload.sig' } : { error: 'invalid_grant' }));
      });
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, challenges };
}

/** Plays the browser: the issuer "signs the user in" and redirects to the loopback URL. */
function browser(issuer: { challenges: string[] }, tamper?: (u: URL) => void) {
  return async (authUrl: string) => {
    const a = new URL(authUrl);
    assert.equal(a.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(a.searchParams.get('client_id'), 'sigstore');
    issuer.challenges.push(a.searchParams.get('code_challenge')!);
    const back = new URL(a.searchParams.get('redirect_uri')!.replace('localhost', '127.0.0.1'));
    back.searchParams.set('code', 'the-code');
    back.searchParams.set('state', a.searchParams.get('state')!);
    tamper?.(back);
    setTimeout(() => void fetch(back).catch(() => undefined), 10);
    return true;
  };
}

describe('OIDC loopback sign-in (browser flow for Sigstore keyless)', () => {
  it('gets an id_token with PKCE through the loopback redirect', async () => {
    const issuer = await fakeIssuer();
    try {
      const token = await loopbackIdentityToken({ issuer: issuer.url, openBrowser: browser(issuer) });
      assert.equal(token, 'header.payload.sig');
    } finally {
      issuer.server.close();
    }
  });

  it('rejects an answer with the wrong state (CSRF)', async () => {
    const issuer = await fakeIssuer();
    try {
      await assert.rejects(loopbackIdentityToken({ issuer: issuer.url, openBrowser: browser(issuer, (u) => u.searchParams.set('state', 'forged')) }), /wrong state/);
    } finally {
      issuer.server.close();
    }
  });

  it('stops waiting when cancelled', async () => {
    const issuer = await fakeIssuer();
    const ctrl = new AbortController();
    try {
      const p = loopbackIdentityToken({ issuer: issuer.url, openBrowser: async () => (setTimeout(() => ctrl.abort(), 20), true), signal: ctrl.signal });
      await assert.rejects(p, (e: unknown) => isCancellation(e));
    } finally {
      issuer.server.close();
    }
  });
});
