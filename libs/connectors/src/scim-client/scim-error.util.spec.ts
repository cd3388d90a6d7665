import { isScimConflict, isScimNotFound, parseScimErrorBody, ScimConflictError, scimHttpError } from './scim-error.util';

describe('parseScimErrorBody', () => {
  it.each([
    ['RFC 7644 §3.12', { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'taken' }, { status: 409, scimType: 'uniqueness', detail: 'taken' }],
    ['Slack v2 with legacy Errors', { schemas: [], status: '400', detail: 'bad', Errors: { description: 'legacy', code: 400 } }, { status: 400, detail: 'bad' }],
    ['Slack v1 Errors only', { Errors: { description: 'invalid_authentication', code: 401 } }, { status: 401, detail: 'invalid_authentication' }],
    ['Errors as an array', { Errors: [{ description: 'first', code: 404 }] }, { status: 404, detail: 'first' }],
    ['numeric status, message', { status: 500, message: 'boom' }, { status: 500, detail: 'boom' }],
    ['nonsense status', { status: 'oops' }, {}],
  ])('reads %s', (_name, body, expected) => {
    expect(parseScimErrorBody(JSON.stringify(body))).toEqual(expected);
  });

  it('keeps a non-JSON body as text and ignores an empty one', () => {
    expect(parseScimErrorBody('<html>Bad Gateway</html>')).toEqual({ detail: '<html>Bad Gateway</html>' });
    expect(parseScimErrorBody('')).toEqual({});
    expect(parseScimErrorBody('[1]')).toEqual({});
  });
});

describe('scimHttpError', () => {
  it('types every 409 as a permanent conflict the connector can act on', () => {
    const e = scimHttpError('POST', '/Users', 409, null, JSON.stringify({ status: '409', detail: 'userName taken' }));
    expect(e).toBeInstanceOf(ScimConflictError);
    expect(isScimConflict(e)).toBe(true);
    expect(e).toMatchObject({ kind: 'permanent', status: 409, scimType: 'uniqueness', method: 'POST', path: '/Users' });
    expect(e.message).toBe('POST /Users → HTTP 409: userName taken');
  });

  it.each([
    [429, '7', 'rate_limited', 7000],
    [429, null, 'rate_limited', 60_000],
    [401, null, 'unauthorized', undefined],
    [403, null, 'unauthorized', undefined],
    [404, null, 'permanent', undefined],
    [400, null, 'permanent', undefined],
    [500, null, 'retryable', undefined],
    [503, '2', 'rate_limited', 2000],
  ])('HTTP %i (Retry-After %s) → %s', (status, retryAfter, kind, wait) => {
    const e = scimHttpError('GET', '/Users', status, retryAfter, '');
    expect(e.kind).toBe(kind);
    expect(e.retryAfterMs).toBe(wait);
    expect(isScimNotFound(e)).toBe(status === 404);
  });

  it('puts scimType and detail in the message', () => {
    expect(scimHttpError('GET', '/Users', 400, null, JSON.stringify({ scimType: 'invalidFilter', detail: 'no' })).message).toBe('GET /Users → HTTP 400 (invalidFilter): no');
  });
});
