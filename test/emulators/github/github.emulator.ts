import { setTimeout as sleep } from 'node:timers/promises';
import { type EmulatorRequest, type EmulatorResponse, type EmulatorServer, type FaultInjector, type RequestLog, Router, startEmulatorServer } from '../support';
import { GitHubState, type SeedOrg } from './github-emulator.state';
import { DOCS, type GitHubRoute, message } from './github-http.types';
import { githubOrgRoutes } from './github-orgs.handler';
import { GITHUB_DEFAULT_LIMITS, GitHubRateLimits, type GitHubLimits } from './github-rate-limit.util';
import { githubScimGroupRoutes } from './github-scim-groups.handler';
import { githubScimUserRoutes } from './github-scim-users.handler';
import { githubTeamRoutes } from './github-teams.handler';

export interface GitHubSeed {
  users?: Array<{ login: string; email?: string; name?: string }>;
  /** token → owner login and classic PAT scopes (default `admin:org`, `scim:enterprise`). */
  tokens?: Record<string, { login: string; scopes?: string[] }>;
  orgs?: SeedOrg[];
  teams?: Array<{ org: string; name: string; synced?: boolean; members?: string[] }>;
  enterprises?: string[];
}

export interface GitHubEmulatorOptions extends GitHubSeed {
  port?: number;
  /** Rate limits of reference §2.5 (defaults are the documented numbers); `false` never refuses, headers stay. */
  limits?: false | Partial<GitHubLimits>;
  /** Invitations per org per 24 h (§2.4): 50, or 500 for paid or month-old orgs. Default 500. */
  invitationLimit?: number;
  groupPatchNoContent?: boolean;
  /** Time each request holds a concurrency slot, to exercise the concurrent-request limit. */
  latencyMs?: number;
  /** Accepted `X-GitHub-Api-Version` values (§2.1). */
  apiVersions?: string[];
}

export interface GitHubEmulator {
  url: string;
  port: number;
  state: GitHubState;
  faults: FaultInjector;
  requests: RequestLog;
  server: EmulatorServer;
  /** Emulated clock for rate-limit windows: `advance(ms)` lets a test reach the reset without sleeping. */
  clock: { now(): number; advance(ms: number): void };
  /** Back to the seed given at start; clock, limits, log and faults reset. */
  reset(): void;
  close(): Promise<void>;
}

function seed(state: GitHubState, data: GitHubSeed): void {
  for (const u of data.users ?? []) state.addUser(u.login, u);
  for (const o of data.orgs ?? []) state.addOrg(o);
  for (const [token, t] of Object.entries(data.tokens ?? {})) state.addToken(token, t.login, t.scopes);
  for (const t of data.teams ?? []) state.addTeam(t.org, t.name, t);
  for (const e of data.enterprises ?? []) state.addEnterprise(e);
}

/** Starts the GitHub REST + SCIM emulator of reference §4.2 on 127.0.0.1. */
export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const state = new GitHubState();
  seed(state, options);
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const limits = new GitHubRateLimits({ ...GITHUB_DEFAULT_LIMITS, ...(options.limits || {}) }, options.limits !== false, now);
  const versions = options.apiVersions ?? ['2022-11-28', '2026-03-10'];

  const routes: GitHubRoute[] = [
    ...githubOrgRoutes(state, { invitationLimit: options.invitationLimit ?? 500, now }),
    ...githubTeamRoutes(state),
    ...githubScimUserRoutes(state),
    ...githubScimGroupRoutes(state, { groupPatchNoContent: options.groupPatchNoContent ?? false }),
  ];
  const router = new Router();
  const byPattern = new Map<string, GitHubRoute>();
  for (const route of routes) {
    router.on(route.method, route.pattern, () => ({ status: 500 }));
    byPattern.set(`${route.method} ${route.pattern}`, route);
  }

  let origin = '';
  const handle = async (req: EmulatorRequest): Promise<EmulatorResponse> => {
    // §2.1: User-Agent is required; the status GitHub uses is [unconfirmed] (§5), 403 chosen per §4.2.
    if (!req.header('user-agent')) return message(403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.');
    const version = req.header('x-github-api-version');
    if (version && !versions.includes(version)) return message(400, `Invalid API version: ${version}`);
    // §2.1: both `Bearer <token>` and the legacy `token <token>` are accepted.
    const credentials = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '')?.[1];
    if (!credentials) return message(401, 'Requires authentication');
    const token = state.tokens.get(credentials);
    if (!token) return message(401, 'Bad credentials');
    const user = state.user(token.login)!;
    const common = { 'x-oauth-scopes': token.scopes.join(', '), 'x-github-api-version-selected': version ?? '2022-11-28' };

    if (req.method === 'GET' && req.path === '/rate_limit') {
      // §2.5: GET /rate_limit does not count against the primary limit.
      return { status: 200, headers: common, body: { resources: {}, rate: { limit: GITHUB_DEFAULT_LIMITS.core } } };
    }
    const found = router.match(req.method, req.path);
    const route = found.kind === 'found' ? byPattern.get(`${req.method} ${found.pattern}`) : undefined;
    const rate = limits.take(token.login, user.id, route?.resource ?? 'core', req.method, route?.pattern ?? req.path);
    const headers = { ...common, ...rate.headers };
    if (rate.refusal) return { ...rate.refusal, headers: { ...headers, ...rate.refusal.headers } };
    if (!route || found.kind !== 'found') return { ...message(404, 'Not Found', DOCS), headers };
    if (req.bodyError) return { ...message(400, 'Problems parsing JSON'), headers };

    const exit = limits.enter(token.login);
    try {
      if (options.latencyMs) await sleep(options.latencyMs);
      const reply = route.handler({ method: req.method, path: req.path, params: found.params, query: req.query, headers: req.headers, body: req.body, login: user.login, scopes: token.scopes, origin });
      return { status: reply.status, headers: { ...headers, ...reply.headers }, body: reply.body };
    } finally {
      exit();
    }
  };

  const server = await startEmulatorServer({
    name: 'github',
    port: options.port,
    handle,
    control: {
      reset: () => reset(),
      seed: (body) => {
        seed(state, (body ?? {}) as GitHubSeed);
        return { ok: true };
      },
      state: () => ({ users: [...state.users.values()], orgs: [...state.orgs.values()].map((o) => ({ login: o.login, members: Object.fromEntries(o.members), teams: [...o.teams.keys()] })) }),
      routes: (control) =>
        control.post('/orgs/:org/invitations/accept', (req, params) => {
          const body = (req.body ?? {}) as { key: string | number; login?: string };
          state.acceptInvitation(params.org, body.key, body.login);
          return { status: 200, body: { ok: true } };
        }),
    },
  });
  origin = server.url;
  const reset = () => {
    offsetMs = 0;
    state.reset();
    seed(state, options);
    limits.reset();
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
