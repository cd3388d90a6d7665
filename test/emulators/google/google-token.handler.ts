import { randomBytes, verify } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse } from '../support';
import type { GoogleState } from './google-emulator.state';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The audience google-auth-library signs for; its token URL is hard-coded (reference §3.2). */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** `{"error","error_description"}` of the token endpoint (§3.2 step 4; exact values [unconfirmed] §5). */
function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } };
}

export interface TokenEndpointOptions {
  now: () => number;
  /** Emails that may be impersonated through `sub` (super admins). */
  isAdmin: (email: string) => boolean;
  /** The emulator's own `/token` URL, also accepted as `aud`. */
  ownUrl: () => string;
}

/**
 * `POST /token` for the JWT bearer grant of §3.2 / §4.3: checks `grant_type`, the RS256
 * signature against the service account's public key, `iss`, `aud`, `exp - iat <= 3600`,
 * `sub` and the delegated scopes, then issues `{access_token, expires_in: 3599, token_type}`.
 */
export function tokenEndpoint(state: GoogleState, options: TokenEndpointOptions): (req: EmulatorRequest) => EmulatorResponse {
  return (req) => {
    const form = new URLSearchParams(req.rawBody);
    const grantType = form.get('grant_type');
    if (grantType !== JWT_BEARER) return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
    const assertion = form.get('assertion') ?? '';
    const parts = assertion.split('.');
    if (parts.length !== 3) return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed assertion');
    let header: any;
    let claims: any;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed assertion');
    }
    if (header.alg !== 'RS256') return oauthError(400, 'invalid_grant', 'Invalid JWT: only RS256 is accepted');
    const account = state.serviceAccounts.get(claims.iss);
    if (!account) return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('RSA-SHA256', signed, account.publicKey, Buffer.from(parts[2], 'base64url'))) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== GOOGLE_TOKEN_URL && claims.aud !== options.ownUrl()) return oauthError(400, 'invalid_grant', 'Invalid JWT: aud is not the token endpoint');
    const nowSec = Math.floor(options.now() / 1000);
    const { iat, exp } = claims;
    // One hour is the maximum lifetime (§3.2 step 1); allow a little clock skew on `iat`.
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= nowSec || iat > nowSec + 300) {
      return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    const scopes = String(claims.scope ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    if (claims.sub !== undefined) {
      // Domain-wide delegation: `sub` must be an admin and every scope delegated (§3.2).
      if (!options.isAdmin(claims.sub)) return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
      if (scopes.some((s) => !account.delegatedScopes.includes(s))) {
        return oauthError(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
      }
    }
    const accessToken = `ya29.emulator-${randomBytes(24).toString('base64url')}`;
    state.accessTokens.set(accessToken, { clientEmail: account.clientEmail, sub: claims.sub, scopes, expiresAt: options.now() + 3599_000 });
    return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
  };
}
