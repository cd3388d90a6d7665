import { retry } from '@octokit/plugin-retry';
import { type ThrottlingOptions, throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { githubAppAuthStrategy } from './github-app-auth.util';
import type { GitHubCredentials } from './github-config.util';

const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** Knobs a test may turn down; production uses the defaults. */
export interface GitHubClientTuning {
  /** plugin-retry base: waits (n+1)² × base ms between transient-failure retries (§2.6). Default 1000. */
  readonly retryBaseMs?: number;
  /** Retries of 5xx and network failures; default 2 (1 s + 4 s), then the engine's backoff takes over. */
  readonly retries?: number;
  /** Per-attempt timeout (Octokit has none built in, §2.6). Default 20 s. */
  readonly timeoutMs?: number;
  /** Spacing of search calls per connection; default 2000 ms as Octokit's own search group (§2.6). */
  readonly searchSpacingMs?: number;
}

export const GITHUB_API_VERSION = '2022-11-28';
export const GITHUB_USER_AGENT = 'Delta-Provisioning/1.0';

/**
 * Request scheduling for a server workload (§2.6): Octokit's own Bottleneck groups live at module
 * level with a 1 s spacing of every write (3 s for invitations) for every client sharing
 * `throttle.id` "no-id". Ours are module-level too, so all connector instances of one connection
 * in this process share them, but keyed by connection (`throttle.id`): connections never wait on
 * each other. Per connection: at most 10 requests in flight (the secondary limit is 100 per token,
 * §2.5) and writes one at a time, with no artificial spacing: the engine's per-connection rate
 * limit (Redis-backed, shared by every worker) paces the throughput, and rate-limit answers go
 * back to it as `rate_limited` instead of being slept on here.
 */
const groups = {
  global: new Bottleneck.Group({ maxConcurrent: 10 }),
  auth: new Bottleneck.Group({ maxConcurrent: 1 }),
  write: new Bottleneck.Group({ maxConcurrent: 1 }),
  notifications: new Bottleneck.Group({ maxConcurrent: 1 }),
};
const searchGroups = new Map<number, Bottleneck.Group>();
function searchGroup(spacingMs: number): Bottleneck.Group {
  let group = searchGroups.get(spacingMs);
  if (!group) searchGroups.set(spacingMs, (group = new Bottleneck.Group({ maxConcurrent: 1, minTime: spacingMs })));
  return group;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A per-attempt timeout around the injected fetch, so a hung socket fails as a retryable error. */
function timedFetch(base: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

export interface GitHubClientOptions {
  readonly baseUrl: string;
  readonly credentials: GitHubCredentials;
  /** Keys the scheduling groups: one queue set per connection. */
  readonly connectionId: string;
  readonly fetch?: typeof fetch;
  readonly tuning?: GitHubClientTuning;
}

/**
 * One Octokit per connector (§2.6 "Composition"): `@octokit/rest` + throttling + retry, pointed at
 * `baseUrl`, sending `User-Agent` (required, §2.1), `Accept: application/vnd.github+json` and
 * `X-GitHub-Api-Version` (Octokit sends neither by default, §2.1, §2.6).
 * - throttling: the handlers never ask for a retry, so a primary or secondary limit surfaces at
 *   once and the engine reschedules the delivery after GitHub's wait (§2.5: do not keep sending
 *   while limited);
 * - retry: 429 is added to `doNotRetry` (plugin-retry would otherwise retry it after 1, 4, 9 s,
 *   §2.6), so only 5xx and network failures get short in-process retries.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const tuning = options.tuning ?? {};
  const auth =
    options.credentials.kind === 'token'
      ? { auth: options.credentials.token }
      : {
          authStrategy: githubAppAuthStrategy as never,
          auth: { appId: options.credentials.appId, privateKey: options.credentials.privateKey, installationId: options.credentials.installationId },
        };
  const octokit = new GitHubOctokit({
    ...auth,
    baseUrl: options.baseUrl,
    userAgent: GITHUB_USER_AGENT,
    log: silent,
    request: { fetch: timedFetch(options.fetch ?? fetch, tuning.timeoutMs ?? 20_000) },
    throttle: {
      id: `delta-github:${options.connectionId}`,
      ...groups,
      search: searchGroup(tuning.searchSpacingMs ?? 2000),
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
      // `global` and `auth` are read by the plugin (dist-src/index.js) but missing from its types.
    } as ThrottlingOptions,
    retry: { retries: tuning.retries ?? 2, retryAfterBaseValue: tuning.retryBaseMs ?? 1000, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });
  octokit.hook.before('request', (request) => {
    request.headers['x-github-api-version'] = GITHUB_API_VERSION;
    if (!request.headers.accept || request.headers.accept === 'application/vnd.github.v3+json') request.headers.accept = 'application/vnd.github+json';
  });
  return octokit;
}
