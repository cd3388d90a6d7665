import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EmulatorRequest, type EmulatorResponse, type EmulatorServer, type FaultInjector, type RequestLog, Router, bearerToken, startEmulatorServer } from '../support';
import { GoogleState, type IamPolicy } from './google-emulator.state';
import { googleGroupRoutes } from './google-groups.handler';
import { type GoogleRoute, googleError } from './google-http.types';
import { googleIamRoutes } from './google-iam.handler';
import { GOOGLE_DEFAULT_QUOTAS, GoogleQuotas, type GoogleQuotaLimits } from './google-quota.util';
import { tokenEndpoint } from './google-token.handler';
import { googleUserRoutes } from './google-users.handler';

export interface GoogleSeed {
  /** Service accounts allowed to use the JWT bearer grant, with the scopes delegated to them (§3.2). */
  serviceAccounts?: Array<{ clientEmail: string; publicKey: string | KeyObject; delegatedScopes?: string[] }>;
  /** Super admins: users created with `isAdmin: true`, the only valid `sub` values. */
  admins?: string[];
  users?: Array<{ primaryEmail: string } & Record<string, any>>;
  groups?: Array<{ email: string; name?: string; members?: string[] }>;
  /** Resource (`projects/p`) → IAM bindings; an unknown resource answers 403. */
  policies?: Record<string, IamPolicy['bindings']>;
}

export interface GoogleEmulatorOptions extends GoogleSeed {
  port?: number;
  customerId?: string;
  /** The Workspace's domains; member emails outside them join groups as EXTERNAL. */
  domains?: string[];
  /** Org unit paths `orgUnitPath` may name; `/` is always there. */
  orgUnits?: string[];
  /** Quota buckets of reference §3.1 (default the documented 2,400/min per user); `false` never refuses. */
  quotas?: false | Partial<GoogleQuotaLimits>;
  /** Time each API request holds its concurrency slots. */
  latencyMs?: number;
}

export interface GoogleEmulator {
  url: string;
  port: number;
  state: GoogleState;
  faults: FaultInjector;
  requests: RequestLog;
  server: EmulatorServer;
  /** Emulated clock for token expiry and quota windows. */
  clock: { now(): number; advance(ms: number): void };
  reset(): void;
  close(): Promise<void>;
}

function seed(state: GoogleState, data: GoogleSeed): void {
  for (const sa of data.serviceAccounts ?? []) state.addServiceAccount(sa.clientEmail, sa.publicKey, sa.delegatedScopes);
  for (const email of data.admins ?? []) state.addUser(email, { isAdmin: true });
  for (const u of data.users ?? []) state.addUser(u.primaryEmail, u);
  for (const g of data.groups ?? []) {
    const group = state.addGroup(g.email, g);
    for (const email of g.members ?? []) {
      const user = state.findUser(email);
      if (user) state.members.get(group.id)!.set(user.id, { kind: 'admin#directory#member', id: user.id, email: user.primaryEmail, role: 'MEMBER', type: 'USER', status: 'ACTIVE' });
    }
  }
  for (const [resource, bindings] of Object.entries(data.policies ?? {})) state.setPolicy(resource, bindings);
}

/** Starts the Google emulator of reference §4.3: OAuth token endpoint, Directory API, CRM IAM. */
export async function startGoogleEmulator(options: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  const state = new GoogleState(options.customerId, options.domains);
  seed(state, options);
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const quotas = new GoogleQuotas({ ...GOOGLE_DEFAULT_QUOTAS, ...(options.quotas || {}) }, options.quotas !== false, now);
  const orgUnits = new Set(['/', ...(options.orgUnits ?? [])]);
  let origin = '';
  const token = tokenEndpoint(state, { now, isAdmin: (email) => Boolean(state.findUser(email)?.isAdmin), ownUrl: () => `${origin}/token` });

  const router = new Router();
  const byPattern = new Map<string, GoogleRoute>();
  for (const route of [...googleUserRoutes(state, { orgUnits }), ...googleGroupRoutes(state), ...googleIamRoutes(state)]) {
    router.on(route.method, route.pattern, () => ({ status: 500 }));
    byPattern.set(`${route.method} ${route.pattern}`, route);
  }

  const handle = async (req: EmulatorRequest): Promise<EmulatorResponse> => {
    if (req.method === 'POST' && req.path === '/token') return token(req);
    const found = router.match(req.method, req.path);
    const route = found.kind === 'found' ? byPattern.get(`${req.method} ${found.pattern}`) : undefined;
    if (!route || found.kind !== 'found') return googleError(404, 'notFound', `Not Found: ${req.method} ${req.path}`);
    const principal = state.accessTokens.get(bearerToken(req) ?? '');
    if (!principal || principal.expiresAt <= now()) {
      return {
        ...googleError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'),
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      };
    }
    if (!route.scopes.some((s) => principal.scopes.includes(s))) {
      return googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
    }
    // The Directory API acts as an admin: without `sub` there is no delegation (§3.2).
    if (route.delegated && !principal.sub) return googleError(403, 'forbidden', 'Not Authorized to access this resource/api');
    if (req.bodyError) return googleError(400, 'parseError', 'Invalid JSON payload received.');
    const quota = route.delegated ? quotas.take(principal.clientEmail, principal.sub!, state.customerId) : { release: () => undefined };
    if (quota.refusal) return quota.refusal;
    try {
      if (options.latencyMs) await sleep(options.latencyMs);
      return route.handler({ req, params: found.params, query: req.query, body: req.body, principal });
    } finally {
      quota.release();
    }
  };

  const server = await startEmulatorServer({
    name: 'google',
    port: options.port,
    handle,
    control: {
      reset: () => reset(),
      seed: (body) => {
        seed(state, (body ?? {}) as GoogleSeed);
        return { ok: true };
      },
      state: () => ({ users: [...state.users.values()], groups: [...state.groups.values()], policies: Object.fromEntries(state.policies) }),
      routes: (control) =>
        control.post('/iam/concurrent-change', (req) => {
          const { resource, role, member } = (req.body ?? {}) as { resource: string; role?: string; member?: string };
          return { status: 200, body: state.concurrentIamChange(resource, role, member) };
        }),
    },
  });
  origin = server.url;
  const reset = () => {
    offsetMs = 0;
    state.reset();
    seed(state, options);
    quotas.reset();
    server.log.clear();
    server.faults.clear();
  };

  return {
    get url() {
      return server.url;
    },
    get port() {
      return server.port;
    },
    state,
    faults: server.faults,
    requests: server.log,
    server,
    clock: { now, advance: (ms) => (offsetMs += ms) },
    reset,
    close: () => server.close(),
  };
}
