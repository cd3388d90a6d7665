import { ConnectorError, parseRetryAfter } from '../connector-error';

/** What the classifier needs from an Octokit RequestError (reference §2.6 "@octokit/request"). */
interface OctokitFailure {
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly method?: string; readonly url?: string };
  readonly response?: { readonly headers?: Record<string, string | number | undefined>; readonly data?: unknown };
}

const SECONDARY = /\bsecondary rate\b/i;
/** §2.5 secondary limits: "otherwise, wait at least 1 minute". */
const SECONDARY_FALLBACK_MS = 60_000;

function isOctokitFailure(error: unknown): error is OctokitFailure {
  return typeof error === 'object' && error !== null && typeof (error as OctokitFailure).status === 'number' && typeof (error as OctokitFailure).message === 'string';
}

function header(failure: OctokitFailure, name: string): string | undefined {
  const value = failure.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** The body's own `message` (Octokit's error message appends documentation_url and errors[], §2.6). */
function bodyMessage(failure: OctokitFailure): string {
  const data = failure.response?.data as { message?: unknown; detail?: unknown } | string | undefined;
  if (data && typeof data === 'object') {
    if (typeof data.detail === 'string' && data.detail) return data.detail;
    if (typeof data.message === 'string' && data.message) return data.message;
  }
  if (typeof data === 'string' && data.trim()) return data.trim().slice(0, 300);
  return failure.message;
}

/** 422 validation errors: `{message, errors:[{resource, field, code, message?}]}` (§2.4 "Error bodies"). */
export function validationDetail(data: unknown): string | undefined {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors
    .map((e: Record<string, unknown> | string) => {
      if (typeof e === 'string') return e;
      if (typeof e.message === 'string' && e.message) return e.message;
      return [e.resource, e.field, e.code].filter((part) => typeof part === 'string' && part).join(' ');
    })
    .join('; ');
}

/**
 * How long GitHub asked us to wait, or undefined when the answer is not a rate limit (§2.5):
 * 403 or 429 with `x-ratelimit-remaining: 0` (primary: not before `x-ratelimit-reset`) or a
 * message saying "secondary rate limit" (retry-after, else the reset when remaining is 0, else
 * 1 minute); a plain 429 waits its retry-after (1 minute without one). The primary wait is
 * Octokit's `ceil(reset - now) + 1` seconds (§2.6), so we retry after the reset, not at it.
 */
export function rateLimitWaitMs(status: number, headers: Readonly<Record<string, string | undefined>>, message: string, now = Date.now()): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  const reset = Number(headers['x-ratelimit-reset']);
  const exhausted = headers['x-ratelimit-remaining'] === '0';
  const untilReset = Number.isFinite(reset) && reset > 0 ? (Math.max(0, Math.ceil((reset * 1000 - now) / 1000)) + 1) * 1000 : undefined;
  if (SECONDARY.test(message)) return retryAfter ?? (exhausted ? untilReset : undefined) ?? SECONDARY_FALLBACK_MS;
  if (exhausted) return Math.max(retryAfter ?? 0, untilReset ?? SECONDARY_FALLBACK_MS);
  if (status === 429) return retryAfter ?? SECONDARY_FALLBACK_MS;
  return undefined;
}

/** A 403 that is not a rate limit, said in words: which scope, role or permission is missing. */
function forbidden(failure: OctokitFailure, what: string, text: string): ConnectorError {
  const accepted = header(failure, 'x-accepted-oauth-scopes');
  const granted = header(failure, 'x-oauth-scopes');
  let reason: string;
  if (/synchroni[sz]ed|team sync|identity provider/i.test(text)) {
    // §2.4: team membership writes answer 403 when the team is synchronized with an IdP group.
    reason = 'the team is synchronized with an identity provider group (team sync), so its members are managed by the IdP, not Delta; turn team sync off for it or leave it out of Delta';
  } else if (accepted && !accepted.split(',').map((s) => s.trim()).some((scope) => (granted ?? '').split(',').map((s) => s.trim()).includes(scope))) {
    reason = `missing permission: the token needs the ${accepted} scope (it has: ${granted?.trim() || 'none'})`;
  } else if (/owner/i.test(text)) {
    reason = 'missing permission: the token\'s user must be an owner of the organization';
  } else if (/by integration/i.test(text)) {
    reason = 'missing permission: the GitHub App needs the organization "Members" permission (read and write) and, in EMU mode, cannot be used at all';
  } else if (/scim:enterprise|admin:enterprise/i.test(text)) {
    reason = 'missing permission: the token needs the scim:enterprise scope and must belong to the enterprise setup user';
  } else {
    reason = 'missing permission: the token needs admin:org (classic PAT) or Members read and write (fine-grained PAT or App) and an owner role';
  }
  return new ConnectorError('permanent', `GitHub refused ${what} (403 ${text}): ${reason}.`, 403);
}

/**
 * Every GitHub failure as a ConnectorError (ARCHITECTURE.md, connectors): 401 → unauthorized;
 * 403/429 rate limits → rate_limited with GitHub's wait (§2.5); other 403 → permanent, naming the
 * missing permission; 404 and 422 (with GitHub's `errors[]`) → permanent; 5xx and network
 * failures (Octokit reports them as status 500, §2.6) → retryable.
 */
export function classifyGitHubFailure(error: unknown, now = Date.now()): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (!isOctokitFailure(error)) return new ConnectorError('retryable', error instanceof Error ? error.message : String(error));
  const status = error.status;
  const what = error.request?.method && error.request.url ? `${error.request.method} ${new URL(error.request.url, 'http://github.invalid').pathname}` : 'the request';
  const text = bodyMessage(error);
  if (status === 500 && !error.response) return new ConnectorError('retryable', `GitHub did not answer ${what}: ${error.message}`, undefined);
  const headers: Record<string, string | undefined> = {};
  for (const name of ['retry-after', 'x-ratelimit-remaining', 'x-ratelimit-reset']) headers[name] = header(error, name);
  const wait = rateLimitWaitMs(status, headers, text, now);
  if (wait !== undefined) return new ConnectorError('rate_limited', `GitHub rate limit on ${what} (${status} ${text}); retry in ${Math.ceil(wait / 1000)} s.`, status, wait);
  if (status === 401) return new ConnectorError('unauthorized', `GitHub rejected the credentials (401 ${text}): the token is invalid, expired or revoked.`, 401);
  if (status === 403) return forbidden(error, what, text);
  if (status === 422 && /rate limit/i.test(text)) {
    // §2.4: 50 (or 500) invitations per org per 24 h. Only invitations wait (retryable, an hour),
    // not the whole connection: leavers must still be removed meanwhile.
    return new ConnectorError('retryable', `GitHub refused ${what} (422 ${text}): the organization's invitation limit for 24 hours is reached.`, 422, 3600_000);
  }
  if (status === 422) {
    const detail = validationDetail(error.response?.data);
    return new ConnectorError('permanent', `GitHub refused ${what} (422 ${text}${detail ? `: ${detail}` : ''}).`, 422);
  }
  if (status >= 500 || status === 408) {
    const wait5xx = parseRetryAfter(headers['retry-after'], now);
    return new ConnectorError('retryable', `GitHub failed ${what} (${status} ${text}).`, status, wait5xx);
  }
  if (status === 409) return new ConnectorError('permanent', `GitHub refused ${what} (409 ${text}).`, 409);
  if (status === 404) return new ConnectorError('permanent', `GitHub answered 404 Not Found to ${what}: it does not exist or the token cannot see it.`, 404);
  return new ConnectorError('permanent', `GitHub refused ${what} (${status} ${text}).`, status);
}

/** Whether an Octokit failure has this status (for idempotent deletes and lookups). */
export function hasStatus(error: unknown, ...statuses: number[]): boolean {
  return isOctokitFailure(error) && statuses.includes(error.status);
}

/** The `errors[]` / message text of a 422, for telling "already invited" from other refusals. */
export function failureText(error: unknown): string {
  if (!isOctokitFailure(error)) return '';
  return `${bodyMessage(error)} ${validationDetail(error.response?.data) ?? ''}`;
}
