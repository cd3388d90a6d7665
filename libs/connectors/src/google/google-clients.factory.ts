import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { JWT, gaxios } from 'google-auth-library';

/** The hosts of reference §3.2/§3.3 whose requests go to `base_url` when it is set. */
const GOOGLE_HOSTS = new Set(['oauth2.googleapis.com', 'admin.googleapis.com', 'cloudresourcemanager.googleapis.com']);
/** CRM v3 root (§3.4); rewritten to `base_url` by the transporter like every Google host. */
export const CRM_ROOT = 'https://cloudresourcemanager.googleapis.com/v3';
const TIMEOUT_MS = 30_000;

export interface GoogleClientOptions {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
}

/**
 * Retries the Directory client may do by itself (reference §3.3 "Default retry behaviour"):
 * only 5xx on idempotent methods and lost connections. Not 429 and never 403: gaxios ignores
 * Retry-After and would hide the rate limits the engine must see and pace itself by (§3.1
 * "Backoff"); POST and PATCH are never retried here, the engine re-converges them instead.
 */
export const DIRECTORY_RETRY_CONFIG = Object.freeze({
  retry: 2,
  httpMethodsToRetry: ['GET', 'HEAD', 'PUT', 'OPTIONS', 'DELETE'],
  statusCodesToRetry: [[500, 599]],
  noResponseRetries: 2,
});

/**
 * A JWT client for the service account (§3.2): `subject` set for domain-wide delegation (the
 * Directory API), unset for CRM IAM, which needs none (§3.4). Scopes are always set, or the
 * library would switch to self-signed JWTs (§3.2). The token URL is hard-coded in the library,
 * so with `base_url` a transporter interceptor sends token and API traffic to it (§3.3 "Token
 * endpoint"); `fetchImplementation` keeps gaxios off node-fetch and lets tests observe traffic.
 */
export function createGoogleJwt(options: GoogleClientOptions, scopes: readonly string[], subject?: string): JWT {
  const transporter = new gaxios.Gaxios({ fetchImplementation: options.fetch ?? fetch, timeout: TIMEOUT_MS });
  const base = options.baseUrl;
  if (base !== undefined) {
    const root = new URL(`${base}/`);
    transporter.interceptors.request.add({
      resolved: async (config) => {
        const url = new URL(String(config.url));
        if (GOOGLE_HOSTS.has(url.hostname)) config.url = new URL(`${root.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`, root.origin);
        return config;
      },
    });
  }
  return new JWT({ email: options.clientEmail, key: options.privateKey, scopes: [...scopes], subject, transporter });
}

/**
 * The Directory client of `@googleapis/admin` on that JWT; `rootUrl` follows `base_url` (§3.3
 * "API calls"). The cast bridges the two copies of google-auth-library npm installs (one under
 * googleapis-common): the same class, nominally different types.
 */
export function createDirectoryClient(auth: JWT, baseUrl: string | undefined): admin_directory_v1.Admin {
  return admin({
    version: 'directory_v1',
    auth: auth as unknown as admin_directory_v1.Options['auth'],
    ...(baseUrl !== undefined ? { rootUrl: `${baseUrl}/` } : {}),
    timeout: TIMEOUT_MS,
    retryConfig: { ...DIRECTORY_RETRY_CONFIG, httpMethodsToRetry: [...DIRECTORY_RETRY_CONFIG.httpMethodsToRetry], statusCodesToRetry: DIRECTORY_RETRY_CONFIG.statusCodesToRetry.map((r) => [...r]) },
  });
}

/** `POST {CRM}/v3/{resource}:{verb}` through the JWT's own request, as §3.4 describes the API. */
export type CrmCall = (resource: string, verb: 'getIamPolicy' | 'setIamPolicy', body: unknown) => Promise<unknown>;

export function createCrmCall(auth: JWT): CrmCall {
  return async (resource, verb, body) => {
    const response = await auth.request<unknown>({ url: `${CRM_ROOT}/${resource}:${verb}`, method: 'POST', data: body, retry: false });
    return response.data;
  };
}
