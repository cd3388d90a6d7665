import { ConnectorError } from '../connector-error';
import { classifyGoogleError, describeGoogleFailure, isGoogleStatus } from './google-error.util';

/** The shape gaxios 7 gives a failed call: response.status, parsed data, Headers. */
function gaxiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`HTTP ${status}`), { config: {}, status, response: { status, data, headers: new Headers(headers) } });
}
const directory = (status: number, reason: string, message = 'm', domain = 'global') => gaxiosError(status, { error: { code: status, message, errors: [{ reason, domain, message }] } });
const context = { action: 'create user a@example.com', clientEmail: 'sa@p.iam.gserviceaccount.com', subject: 'admin@example.com', scopes: ['scope-a', 'scope-b'] };

describe('classifyGoogleError (reference §3.1 error table, §3.2, §3.4)', () => {
  it.each([
    [directory(403, 'userRateLimitExceeded', 'q', 'usageLimits'), 'rate_limited'],
    [directory(403, 'quotaExceeded', 'q', 'usageLimits'), 'rate_limited'],
    [directory(403, 'rateLimitExceeded', 'q', 'usageLimits'), 'rate_limited'],
    [directory(429, 'rateLimitExceeded', 'q', 'usageLimits'), 'rate_limited'],
    [directory(403, 'forbidden', 'Not Authorized to access this resource/api'), 'permanent'],
    [directory(403, 'accessNotConfigured'), 'unauthorized'],
    [directory(403, 'insufficientPermissions'), 'unauthorized'],
    [directory(401, 'authError'), 'unauthorized'],
    [directory(404, 'notFound', 'Resource Not Found: userKey'), 'permanent'],
    [directory(409, 'duplicate', 'Entity already exists.'), 'permanent'],
    [directory(400, 'invalid', 'Invalid Input: memberKey'), 'permanent'],
    [directory(503, 'backendError'), 'retryable'],
    [directory(500, 'backendError'), 'retryable'],
    [gaxiosError(409, { error: { code: 409, status: 'ABORTED', message: 'concurrent policy changes' } }), 'retryable'],
    [gaxiosError(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }), 'unauthorized'],
    [gaxiosError(401, { error: 'unauthorized_client', error_description: 'Client is unauthorized' }), 'unauthorized'],
    [gaxiosError(503, { error: 'temporarily_unavailable' }), 'retryable'],
  ])('%#: → %s', (error, kind) => {
    expect(classifyGoogleError(error, context).kind).toBe(kind);
  });

  it('gives rate limits a wait: Retry-After when sent, else the documented backoff', () => {
    const told = gaxiosError(429, { error: { code: 429, errors: [{ reason: 'rateLimitExceeded' }] } }, { 'retry-after': '7' });
    expect(classifyGoogleError(told, context).retryAfterMs).toBe(7000);
    const concurrency = classifyGoogleError(directory(403, 'quotaExceeded'), context).retryAfterMs!;
    expect(concurrency).toBeGreaterThanOrEqual(1000);
    expect(concurrency).toBeLessThan(2000);
    expect(classifyGoogleError(directory(403, 'userRateLimitExceeded'), context).retryAfterMs).toBeGreaterThanOrEqual(15_000);
  });

  it('says in words what is missing', () => {
    const delegation = classifyGoogleError(gaxiosError(401, { error: 'unauthorized_client', error_description: 'x' }), context);
    expect(delegation.message).toContain('domain-wide delegation is not granted for scope scope-a, scope-b to sa@p.iam.gserviceaccount.com acting as admin@example.com');
    expect(classifyGoogleError(directory(403, 'forbidden'), context).message).toContain('admin@example.com lacks the admin privilege');
    expect(classifyGoogleError(directory(404, 'notFound', 'Resource Not Found: userKey'), context).message).toBe('create user a@example.com: not found (HTTP 404 notFound: Resource Not Found: userKey)');
  });

  it('network failures are retryable; signing failures mean a bad key', () => {
    const refused = Object.assign(new Error('fetch failed'), { config: {}, cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    expect(classifyGoogleError(refused, context)).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ECONNREFUSED') });
    const badKey = Object.assign(new Error('error:1E08010C:DECODER routines::unsupported'), { code: 'ERR_OSSL_UNSUPPORTED' });
    expect(classifyGoogleError(badKey, context)).toMatchObject({ kind: 'unauthorized', message: expect.stringContaining('private_key') });
  });

  it('passes ConnectorErrors through and reads string bodies', () => {
    const own = new ConnectorError('permanent', 'mine');
    expect(classifyGoogleError(own, context)).toBe(own);
    const text = gaxiosError(502, '<html>Bad Gateway</html>');
    expect(describeGoogleFailure(text)).toMatchObject({ status: 502, message: '<html>Bad Gateway</html>' });
    expect(isGoogleStatus(directory(409, 'duplicate'), 409)).toBe(true);
    expect(isGoogleStatus(directory(409, 'duplicate'), 409, 'notFound')).toBe(false);
    expect(isGoogleStatus(new Error('x'), 404)).toBe(false);
  });
});
