import { randomUUID } from 'node:crypto';
import { bearerToken, json, RateLimiter, Router, startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../support';
import { ScimDirectory, type Json, type ScimSeed } from './scim-directory';

/**
 * A generic RFC 7644 service provider (the shape of Zoom, Atlassian or another Delta): `/Users`
 * and `/Groups` under `basePath`, Bearer auth, hard DELETE, RFC 7644 §3.12 error bodies and an
 * optional rate limit answering 429 with Retry-After (RFC 6585 §4).
 */

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimAppOptions {
  port?: number;
  host?: string;
  /** Default `/scim/v2`; `''` serves `/Users` at the root. */
  basePath?: string;
  /** Accepted bearer tokens; default `['scim-test-token']`. */
  tokens?: string[];
  /** R requests per window (default one minute) across the app → 429 + Retry-After. Off when absent. */
  rateLimit?: { requests: number; windowMs?: number; burst?: number };
  /** Default page size 100, max 1000 (RFC 7644 §3.4.2.4 leaves both to the provider). */
  pageSize?: { default: number; max: number };
  uniqueGroupDisplayName?: boolean;
  seed?: ScimSeed;
}

export interface ScimAppEmulator extends EmulatorServer {
  /** `url + basePath`: what a connector is configured with. */
  baseUrl: string;
  tokens: string[];
  directory: ScimDirectory;
  users(): Json[];
  groups(): Json[];
  user(id: string): Json | undefined;
  group(id: string): Json | undefined;
  seed(seed: ScimSeed): { users: Json[]; groups: Json[] };
  reset(): void;
  setRateLimit(rateLimit: ScimAppOptions['rateLimit']): void;
}

export function scimError(status: number, detail: string, scimType?: string, headers?: Record<string, string>): EmulatorResponse {
  return json(status, { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }, headers, 'application/scim+json');
}

export async function startScimAppEmulator(options: ScimAppOptions = {}): Promise<ScimAppEmulator> {
  const basePath = options.basePath ?? '/scim/v2';
  const tokens = [...(options.tokens ?? ['scim-test-token'])];
  let rateLimit = options.rateLimit;
  const limiter = new RateLimiter();
  let origin = '';
  const directory = new ScimDirectory({
    basePath,
    baseUrl: () => origin,
    newId: () => randomUUID(),
    error: (status, detail, scimType) => scimError(status, detail, scimType),
    userDelete: 'delete',
    uniqueEmails: false,
    requireEmail: false,
    uniqueGroupDisplayName: options.uniqueGroupDisplayName ?? true,
    pageSize: options.pageSize ?? { default: 100, max: 1000 },
    userFilter: { caseExact: ['externalid', 'id'] },
    groupFilter: { caseExact: ['externalid', 'id'] },
    contentType: 'application/scim+json',
  });
  const router = new Router(basePath);
  directory.register(router);

  const handle = (req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
    const token = bearerToken(req);
    // RFC 7644 §3.12 lists 401 for missing or invalid credentials; RFC 6750 §3 adds WWW-Authenticate.
    if (!token || !tokens.includes(token)) {
      return scimError(401, 'Authorization failure. The authorization header is invalid or missing.', undefined, { 'www-authenticate': 'Bearer realm="scim"' });
    }
    if (rateLimit) {
      const d = limiter.take('app', { limit: rateLimit.requests, windowMs: rateLimit.windowMs ?? 60_000, burst: rateLimit.burst });
      if (!d.allowed) return scimError(429, 'Too many requests', undefined, { 'retry-after': String(d.retryAfterSeconds) });
    }
    const m = router.match(req.method, req.path);
    if (m.kind === 'not-found') return scimError(404, `No resource at ${req.path}`);
    if (m.kind === 'method-not-allowed') return scimError(405, `${req.method} not supported on ${req.path}`, undefined, { allow: m.allowed.join(', ') });
    return m.handler(req, m.params);
  };

  const server = await startEmulatorServer({
    name: 'scim',
    port: options.port,
    host: options.host,
    handle,
    tooLarge: () => scimError(413, 'Request body too large'),
    control: {
      reset: () => {
        directory.reset();
        limiter.reset();
      },
      seed: (body) => directory.seed((body ?? {}) as ScimSeed),
      state: () => directory.state(),
    },
  });
  origin = server.url;
  if (options.seed) directory.seed(options.seed);

  return Object.assign(server, {
    baseUrl: `${server.url}${basePath}`,
    tokens,
    directory,
    users: () => directory.state().users,
    groups: () => directory.state().groups,
    user: (id: string) => directory.user(id),
    group: (id: string) => directory.group(id),
    seed: (seed: ScimSeed) => directory.seed(seed),
    reset: () => {
      directory.reset();
      limiter.reset();
      server.log.clear();
      server.faults.clear();
    },
    setRateLimit: (next: ScimAppOptions['rateLimit']) => {
      rateLimit = next;
      limiter.reset();
    },
  });
}
