import { createPrivateKey, sign } from 'node:crypto';
import { ConnectorError } from '../connector-error';
import type { GitHubAppCredentials } from './github-config.util';

/**
 * GitHub App authentication without @octokit/auth-app (not installed here): an RS256 JWT signed
 * with the app's private key, `iss` = app id, issued 60 s in the past against clock drift and
 * valid 9 minutes (GitHub accepts at most 10), exchanged for an installation token by
 * `POST /app/installations/{installation_id}/access_tokens`; the token (valid 1 hour, `expires_at`)
 * is cached until 5 minutes before it expires. docs.github.com/apps/creating-github-apps/
 * authenticating-with-a-github-app ("Generating a JSON Web Token", "installation access token")
 * [not in downstream-apis.md].
 */
export function createAppJwt(appId: string, privateKeyPem: string, nowMs = Date.now()): string {
  let key;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new ConnectorError('unauthorized', 'GitHub App: credentials.private_key is not a PEM private key (download it from the app settings).');
  }
  const now = Math.floor(nowMs / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 60, exp: now + 540, iss: appId })}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

const REFRESH_MARGIN_MS = 5 * 60_000;
const TOKEN_ROUTE = /\/app\/installations\/[^/]+\/access_tokens$/;
/** Calls about the app itself authenticate with the JWT, not an installation token. */
const APP_ROUTE = /^\/app(\/|$)/;

type RequestFn = ((route: string, parameters?: Record<string, unknown>) => Promise<{ data: any }>) & {
  endpoint: { merge(route: unknown, parameters?: unknown): { url: string; headers: Record<string, string> } };
};

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * An Octokit `authStrategy` (@octokit/core: `authStrategy(options)` returns `auth()` and a request
 * `hook`). The hook is the innermost wrapper, so the throttling and retry plugins see every
 * request with a fresh installation token. One exchange at a time per connector.
 */
export function githubAppAuthStrategy(options: GitHubAppCredentials & { request: RequestFn; now?: () => number }) {
  const now = options.now ?? Date.now;
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;

  const exchange = async (request: RequestFn): Promise<CachedToken> => {
    try {
      const { data } = await request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: options.installationId,
        headers: { authorization: `bearer ${createAppJwt(options.appId, options.privateKey, now())}` },
      });
      const expiresAt = Date.parse(String(data.expires_at));
      return { token: String(data.token), expiresAt: Number.isNaN(expiresAt) ? now() + 3600_000 : expiresAt };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 403 || status === 404) {
        throw new ConnectorError('unauthorized', `GitHub App: no installation token for app ${options.appId}, installation ${options.installationId} (HTTP ${status}); check the app id, private key and installation id.`, status);
      }
      throw error;
    }
  };

  const installationToken = async (request: RequestFn): Promise<string> => {
    if (cached && cached.expiresAt - REFRESH_MARGIN_MS > now()) return cached.token;
    pending ??= exchange(request).finally(() => (pending = undefined));
    cached = await pending;
    return cached.token;
  };

  return {
    async auth(): Promise<{ type: 'token'; tokenType: 'installation'; token: string }> {
      return { type: 'token', tokenType: 'installation', token: await installationToken(options.request) };
    },
    async hook(request: RequestFn, route: string | Record<string, unknown>, parameters?: Record<string, unknown>) {
      const endpoint = request.endpoint.merge(route, parameters);
      const path = new URL(endpoint.url, 'http://github.invalid').pathname.replace(/^\/api\/v3/, '');
      if (TOKEN_ROUTE.test(path) || APP_ROUTE.test(path)) {
        endpoint.headers.authorization = `bearer ${createAppJwt(options.appId, options.privateKey, now())}`;
      } else {
        endpoint.headers.authorization = `token ${await installationToken(request)}`;
      }
      return request(endpoint as never);
    },
  };
}

