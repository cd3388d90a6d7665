import { ConnectorError } from '../connector-error';
import { classifyGitHubFailure, rateLimitWaitMs, validationDetail } from './github-error.util';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const epoch = (ms: number) => String(Math.floor(ms / 1000));

function failure(status: number, data: unknown, headers: Record<string, string> = {}) {
  const message = typeof data === 'object' && data && 'message' in data ? String((data as { message: string }).message) : 'x';
  return { status, message, request: { method: 'PUT', url: 'https://api.github.com/orgs/acme/memberships/alice' }, response: { headers, data } };
}

describe('rateLimitWaitMs (reference §2.5, §2.6)', () => {
  it.each<[string, number, Record<string, string>, string, number | undefined]>([
    ['primary 403: ceil(reset - now) + 1 s', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epoch(NOW + 30_000) }, 'API rate limit exceeded', 31_000],
    ['primary 429 likewise', 429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epoch(NOW + 30_000) }, 'API rate limit exceeded', 31_000],
    ['primary with a reset in the past: 1 s', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epoch(NOW - 5000) }, 'API rate limit exceeded', 1000],
    ['secondary with retry-after', 403, { 'retry-after': '7', 'x-ratelimit-remaining': '4000' }, 'You have exceeded a secondary rate limit', 7000],
    ['secondary without retry-after, remaining 0: the reset', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epoch(NOW + 10_000) }, 'secondary rate limit', 11_000],
    ['secondary with neither: one minute', 429, {}, 'You have exceeded a secondary rate limit', 60_000],
    ['plain 429 with retry-after', 429, { 'retry-after': '3' }, 'slow down', 3000],
    ['plain 429 without: one minute', 429, {}, 'slow down', 60_000],
    ['a permission 403 is no rate limit', 403, { 'x-ratelimit-remaining': '4999' }, 'Must have admin rights', undefined],
    ['a 500 is no rate limit', 500, { 'x-ratelimit-remaining': '0' }, 'secondary rate limit', undefined],
  ])('%s', (_label, status, headers, message, expected) => expect(rateLimitWaitMs(status, headers, message, NOW)).toBe(expected));
});

describe('classifyGitHubFailure', () => {
  it.each<[string, ReturnType<typeof failure>, string, RegExp]>([
    ['401', failure(401, { message: 'Bad credentials' }), 'unauthorized', /Bad credentials.*invalid, expired or revoked/],
    ['primary limit', failure(403, { message: 'API rate limit exceeded for user ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epoch(NOW + 60_000) }), 'rate_limited', /rate limit on PUT \/orgs\/acme\/memberships\/alice/],
    ['secondary limit', failure(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '9' }), 'rate_limited', /retry in 9 s/],
    ['missing scope', failure(403, { message: 'Resource not accessible by personal access token' }, { 'x-accepted-oauth-scopes': 'admin:org', 'x-oauth-scopes': 'repo' }), 'permanent', /needs the admin:org scope \(it has: repo\)/],
    ['not an owner', failure(403, { message: 'You must be an organization owner to perform this action.' }), 'permanent', /must be an owner/],
    ['team sync', failure(403, { message: 'This team is synchronized with an identity provider group' }), 'permanent', /team sync/],
    ['App permission', failure(403, { message: 'Resource not accessible by integration' }), 'permanent', /"Members" permission/],
    ['404', failure(404, { message: 'Not Found' }), 'permanent', /404 Not Found to PUT \/orgs\/acme\/memberships\/alice/],
    ['422 with errors[]', failure(422, { message: 'Validation Failed', errors: [{ resource: 'Team', field: 'name', code: 'custom', message: 'Name must be unique for this org' }] }), 'permanent', /422 Validation Failed: Name must be unique for this org/],
    ['invitation limit (§2.4)', failure(422, { message: 'Over invitation rate limit' }), 'retryable', /invitation limit for 24 hours/],
    ['502', failure(502, { message: 'Server Error' }), 'retryable', /502 Server Error/],
  ])('%s', (_label, error, kind, message) => {
    const classified = classifyGitHubFailure(error, NOW);
    expect(classified.kind).toBe(kind);
    expect(classified.status).toBe(error.status);
    expect(classified.message).toMatch(message);
  });

  it('a rate limit carries the wait', () => {
    const error = failure(429, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '12' });
    expect(classifyGitHubFailure(error, NOW).retryAfterMs).toBe(12_000);
  });

  it('network failures (status 500 without a response, §2.6) are retryable; ConnectorErrors pass through', () => {
    const network = classifyGitHubFailure({ status: 500, message: 'other side closed', request: { method: 'GET', url: 'https://api.github.com/user' } });
    expect(network).toMatchObject({ kind: 'retryable', message: 'GitHub did not answer GET /user: other side closed' });
    const own = new ConnectorError('unauthorized', 'x');
    expect(classifyGitHubFailure(own)).toBe(own);
    expect(classifyGitHubFailure(new Error('boom')).kind).toBe('retryable');
  });

  it('validationDetail joins messages, or resource/field/code', () => {
    expect(validationDetail({ errors: [{ message: 'a' }, { resource: 'Team', field: 'name', code: 'missing_field' }, 'b'] })).toBe('a; Team name missing_field; b');
    expect(validationDetail({ message: 'x' })).toBeUndefined();
  });
});
