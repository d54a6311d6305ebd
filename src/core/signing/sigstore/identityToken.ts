/**
 * Where the OIDC identity token for keyless signing comes from. The CLI passes a token string
 * (`--identity-token`, or the SIGSTORE_ID_TOKEN environment variable) or ambient CI
 * credentials; the VS Code adapter can plug in a browser OIDC flow later by implementing
 * {@link IdentityTokenSource}. Tokens are bearer credentials: never log or echo them.
 */
import { TrustLensError } from '../../errors';

/** Supplies an OIDC identity token on demand (called once per signature). */
export interface IdentityTokenSource {
  getToken(): Promise<string>;
}

export type IdentityTokenErrorCode = 'IDENTITY_TOKEN_MISSING' | 'IDENTITY_TOKEN_INVALID';

export class IdentityTokenError extends TrustLensError<IdentityTokenErrorCode> {
  override readonly name = 'IdentityTokenError';
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Checks that `token` looks like a compact JWS and returns it trimmed. The message never contains the token. */
export function checkTokenShape(token: string): string {
  const t = token.trim();
  if (!t) throw new IdentityTokenError('IDENTITY_TOKEN_MISSING', 'the identity token is empty');
  if (!JWT.test(t)) throw new IdentityTokenError('IDENTITY_TOKEN_INVALID', 'the identity token is not a JWT (header.payload.signature)');
  return t;
}

/** A fixed token (e.g. `--identity-token`). */
export function staticTokenSource(token: string): IdentityTokenSource {
  const checked = checkTokenShape(token);
  return { getToken: async () => checked };
}

/** Reads the token from an environment variable at signing time (default SIGSTORE_ID_TOKEN). */
export function envTokenSource(variable = 'SIGSTORE_ID_TOKEN', env: NodeJS.ProcessEnv = process.env): IdentityTokenSource {
  return {
    getToken: async () => {
      const value = env[variable];
      if (!value) throw new IdentityTokenError('IDENTITY_TOKEN_MISSING', `no identity token: ${variable} is not set`);
      return checkTokenShape(value);
    },
  };
}

/** Ambient CI credentials (GitHub Actions OIDC) through @sigstore/sign, audience `sigstore`. */
export function ambientTokenSource(): IdentityTokenSource {
  return {
    getToken: async () => {
      const { CIContextProvider } = await import('@sigstore/sign');
      try {
        return checkTokenShape(await new CIContextProvider('sigstore').getToken());
      } catch (e) {
        if (e instanceof IdentityTokenError) throw e;
        throw new IdentityTokenError('IDENTITY_TOKEN_MISSING', 'no ambient OIDC credentials available (not running in a supported CI)', { cause: e });
      }
    },
  };
}

/** The `iss` and `sub`/`email` claims of a token, for messages. No signature check (Fulcio does that). */
export function tokenClaims(token: string): { issuer?: string; subject?: string } {
  try {
    const body = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { issuer: str(body.iss), subject: str(body.email) ?? str(body.sub) };
  } catch {
    return {};
  }
}

/** Replaces anything that looks like a JWT in `text` (error messages from HTTP layers) with a marker. */
export function redactTokens(text: string): string {
  return text.replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[REDACTED-TOKEN]');
}
