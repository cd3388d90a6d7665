import { ConnectorError } from '../connector-error';
import { ScimConflictError } from './scim-error.util';
import { ScimClient, scimEq } from './scim.client';

type Seen = { url: string; init: RequestInit };

function client(respond: (seen: Seen) => Response | Promise<Response>, seen: Seen[] = [], extra: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}) {
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    const s = { url: String(url), init };
    seen.push(s);
    return respond(s);
  }) as unknown as typeof fetch;
  return new ScimClient({ baseUrl: 'https://app.test/scim/v2/', token: 'tok', fetch: fetchImpl, ...extra });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/scim+json', ...headers } });

describe('scimEq', () => {
  it('quotes the value as a JSON string (RFC 7644 §3.4.2.2)', () => {
    expect(scimEq('userName', 'a"b\\c')).toBe('userName eq "a\\"b\\\\c"');
  });
});

describe('ScimClient', () => {
  it('joins paths to the base URL, sends the bearer token and JSON, and encodes the query', async () => {
    const seen: Seen[] = [];
    const c = client(() => json(200, { totalResults: 1, Resources: [{ id: '1' }] }), seen);
    const list = await c.list('/Users', { filter: scimEq('userName', 'a b'), startIndex: 1, count: 5 });
    expect(list).toEqual({ totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ id: '1' }] });
    expect(seen[0]!.url).toBe('https://app.test/scim/v2/Users?filter=userName+eq+%22a+b%22&startIndex=1&count=5');
    expect(seen[0]!.init.headers).toMatchObject({ authorization: 'Bearer tok', accept: 'application/scim+json, application/json' });
    expect(seen[0]!.init.redirect).toBe('manual');
  });

  it('wraps PATCH operations in the PatchOp envelope and tolerates 204', async () => {
    const seen: Seen[] = [];
    const c = client(() => new Response(null, { status: 204 }), seen, { contentType: 'application/json' });
    expect(await c.patch('Groups/g1', [{ op: 'add', path: 'members', value: [{ value: 'u' }] }])).toBeUndefined();
    expect(JSON.parse(seen[0]!.init.body as string)).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: 'u' }] }] });
    expect(seen[0]!.init.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('delete: true when deleted, false on 404, throws otherwise', async () => {
    expect(await client(() => new Response(null, { status: 204 })).delete('Users/1')).toBe(true);
    expect(await client(() => json(404, { detail: 'gone' })).delete('Users/1')).toBe(false);
    await expect(client(() => json(500, {})).delete('Users/1')).rejects.toMatchObject({ kind: 'retryable' });
  });

  it('classifies failures: 409 conflict, 429 with Retry-After, redirect, non-JSON success, network error', async () => {
    await expect(client(() => json(409, { scimType: 'uniqueness', detail: 'dup' })).post('Users', {})).rejects.toBeInstanceOf(ScimConflictError);
    await expect(client(() => json(429, {}, { 'Retry-After': '3' })).get('Users/1')).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    await expect(client(() => new Response(null, { status: 302, headers: { location: 'https://elsewhere.test' } })).get('Users')).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/base_url/) });
    await expect(client(() => new Response('<html>', { status: 200 })).get('Users/1')).rejects.toMatchObject({ kind: 'retryable' });
    await expect(
      client(() => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      }).get('Users'),
    ).rejects.toMatchObject({ kind: 'retryable', message: 'GET /Users: connection refused' });
  });

  it('times out as retryable', async () => {
    const c = client((s) => new Promise((_resolve, reject) => s.init.signal!.addEventListener('abort', () => reject(s.init.signal!.reason))), [], { timeoutMs: 100 });
    await expect(c.get('Users')).rejects.toMatchObject({ kind: 'retryable', message: 'GET /Users: no answer within 0.1 s' });
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new ScimClient({ baseUrl: 'not a url', token: 't' })).toThrow(ConnectorError);
    expect(() => new ScimClient({ baseUrl: 'ftp://x', token: 't' })).toThrow(/http/);
  });

  it('lets a vendor refine the classification', async () => {
    const c = client(() => json(403, {}), [], { refineError: (e) => new ConnectorError('permanent', `refined ${e.path}`, e.status) });
    await expect(c.put('Users/1', {})).rejects.toMatchObject({ kind: 'permanent', message: 'refined /Users/1' });
  });
});
