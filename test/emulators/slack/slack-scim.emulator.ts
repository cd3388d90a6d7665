import { randomInt } from 'node:crypto';
import { bearerToken, json, RateLimiter, Router, startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../support';
import { ScimDirectory, type Json, type ScimKind, type ScimSeed } from '../scim/scim-directory';
import { resourceTypes, schema, serviceProviderConfig } from './slack-discovery';
import { resolveSlackLimits, slackBuckets, type SlackRateLimitOptions } from './slack-rate-limits';

/**
 * Slack SCIM API v2 (ref §1 and §4.1): `/scim/v2/Users|Groups`, xoxp- bearer tokens, DELETE of a
 * user = deactivate, DELETE of a group = gone, org-wide + per-endpoint rate limits with 429 and
 * Retry-After in whole seconds, v2 error bodies carrying the legacy `Errors` object too.
 */

export const SLACK_SCIM_BASE_PATH = '/scim/v2';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface SlackScimOptions {
  port?: number;
  host?: string;
  /** Accepted tokens; each must start with `xoxp-` (ref §1.2: user tokens only). Default `['xoxp-slack-test-token']`. */
  tokens?: string[];
  /** `false` turns rate limiting off (fast tests); otherwise overrides of the documented limits (ref §1.6). */
  limits?: false | SlackRateLimitOptions;
  /**
   * Also put the legacy `Errors: {description, code}` object in v2 error bodies (ref §4.1 "Optionally
   * include the legacy Errors object too, so parsers are tested against both"). Default true.
   */
  legacyErrors?: boolean;
  seed?: ScimSeed;
}

export interface SlackScimEmulator extends EmulatorServer {
  /** `url + /scim/v2`: what the connector is configured with. */
  baseUrl: string;
  tokens: string[];
  directory: ScimDirectory;
  users(): Json[];
  groups(): Json[];
  user(id: string): Json | undefined;
  group(id: string): Json | undefined;
  seed(seed: ScimSeed): { users: Json[]; groups: Json[] };
  /** Writes to this user now answer 403, as for an Owner acted on by an Admin's token (ref §1.2). */
  protectUser(id: string): void;
  reset(): void;
  setLimits(limits: false | SlackRateLimitOptions): void;
}

export async function startSlackScimEmulator(options: SlackScimOptions = {}): Promise<SlackScimEmulator> {
  const tokens = [...(options.tokens ?? ['xoxp-slack-test-token'])];
  const bad = tokens.find((t) => !t.startsWith('xoxp-'));
  if (bad) throw new Error(`Slack SCIM accepts only xoxp- user tokens (ref §1.2), got ${bad}`);
  const legacy = options.legacyErrors ?? true;
  const error = (status: number, detail: string, scimType?: string, headers?: Record<string, string>) => slackError(status, detail, legacy, scimType, headers);
  let limits = options.limits === false ? undefined : resolveSlackLimits(options.limits);
  const limiter = new RateLimiter();
  const protectedUsers = new Set<string>();
  let origin = '';

  const directory = new ScimDirectory({
    basePath: SLACK_SCIM_BASE_PATH,
    baseUrl: () => origin,
    newId: slackId,
    error,
    userDelete: 'deactivate',
    uniqueEmails: true,
    requireEmail: true,
    // Not documented for Slack IdP groups, so not enforced.
    uniqueGroupDisplayName: false,
    pageSize: { default: 10, max: 1000 },
    // ref §1.5: eq on userName, email (also as emails.value) for users, displayName for groups;
    // the full grammar is unconfirmed, so anything else is refused rather than guessed.
    userFilter: { aliases: { email: 'emails.value' }, supported: ['username', 'emails.value'], operators: ['eq'] },
    groupFilter: { supported: ['displayname'], operators: ['eq'] },
    contentType: 'application/json',
  });
  const router = new Router(SLACK_SCIM_BASE_PATH);
  directory.register(router);
  router
    .get('/ServiceProviderConfig', () => json(200, serviceProviderConfig(origin + SLACK_SCIM_BASE_PATH)))
    .get('/ResourceTypes', () => json(200, resourceTypes(origin + SLACK_SCIM_BASE_PATH)))
    .get('/Schemas/Users', () => json(200, schema('Users')))
    .get('/Schemas/Groups', () => json(200, schema('Groups')));

  const handle = (req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
    const token = bearerToken(req);
    // ref §1.7: 401 for a bad token; a bot token (xoxb-) is not accepted either (§1.2, exact answer unconfirmed).
    if (!token || !tokens.includes(token)) return error(401, token ? 'invalid_authentication' : 'not_authed');
    const m = router.match(req.method, req.path);
    if (m.kind === 'not-found') return error(404, `Unknown path ${req.path}`);
    if (m.kind === 'method-not-allowed') return error(405, `${req.method} not allowed on ${req.path}`, undefined, { allow: m.allowed.join(', ') });
    if (limits) {
      const d = limiter.takeAll(slackBuckets(limits, req.method, req.path.slice(SLACK_SCIM_BASE_PATH.length)));
      // ref §1.6: 429 with Retry-After as integer seconds; the body is unconfirmed, so a plain v2 error.
      if (!d.allowed) return error(429, `rate_limited (${d.bucket})`, undefined, { 'retry-after': String(d.retryAfterSeconds) });
    }
    const userId = /^\/scim\/v2\/Users\/([^/]+)\/?$/.exec(req.path)?.[1];
    if (userId && req.method !== 'GET' && protectedUsers.has(userId)) {
      return error(403, 'Cannot modify an account with more permissions than the token owner');
    }
    return m.handler(req, m.params);
  };

  const resetAll = () => {
    directory.reset();
    limiter.reset();
    protectedUsers.clear();
  };
  const server = await startEmulatorServer({
    name: 'slack',
    port: options.port,
    host: options.host,
    handle,
    tooLarge: () => error(413, 'Request body too large'),
    control: {
      reset: resetAll,
      seed: (body) => directory.seed((body ?? {}) as ScimSeed),
      state: () => directory.state(),
    },
  });
  origin = server.url;
  if (options.seed) directory.seed(options.seed);

  return Object.assign(server, {
    baseUrl: `${server.url}${SLACK_SCIM_BASE_PATH}`,
    tokens,
    directory,
    users: () => directory.state().users,
    groups: () => directory.state().groups,
    user: (id: string) => directory.user(id),
    group: (id: string) => directory.group(id),
    seed: (seed: ScimSeed) => directory.seed(seed),
    protectUser: (id: string) => {
      protectedUsers.add(id);
    },
    reset: () => {
      resetAll();
      server.log.clear();
      server.faults.clear();
    },
    setLimits: (next: false | SlackRateLimitOptions) => {
      limits = next === false ? undefined : resolveSlackLimits(next);
      limiter.reset();
    },
  });
}

/**
 * ref §1.7 / §4.1: RFC 7644 fields (`schemas`, `detail`, `status`) and, unless turned off, the
 * legacy `Errors {description, code}` that Slack's SDKs still parse.
 */
export function slackError(status: number, detail: string, legacy = true, scimType?: string, headers?: Record<string, string>): EmulatorResponse {
  const body: Json = { schemas: [SCIM_ERROR_SCHEMA], status: String(status), detail };
  if (scimType) body.scimType = scimType;
  if (legacy) body.Errors = { description: detail, code: status };
  return json(status, body, headers);
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Slack ids: `W…` for Enterprise Grid users, `S…` for user groups (ref §1.3), 11 characters. */
export function slackId(kind: ScimKind): string {
  let id = kind === 'User' ? 'W' : 'S';
  for (let i = 0; i < 10; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}
