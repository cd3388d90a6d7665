import { startScimAppEmulator, type ScimAppEmulator } from '../../emulators/scim/scim-app.emulator';

const TOKEN = 'app-token';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A generic RFC 7644 service provider over real HTTP. */
describe('generic SCIM app emulator', () => {
  let app: ScimAppEmulator;

  beforeAll(async () => {
    app = await startScimAppEmulator({ tokens: [TOKEN], pageSize: { default: 2, max: 3 } });
  });
  afterEach(() => app.reset());
  afterAll(() => app.close());

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/scim+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('answers 401 with an RFC 7644 error body for a missing or wrong token', async () => {
    for (const token of [null, 'nope']) {
      const res = await call('GET', '/Users', undefined, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/scim+json');
      expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
    }
  });

  it('runs the user lifecycle with a hard DELETE', async () => {
    const created = await call('POST', '/Users', { userName: 'ann', externalId: 'X-1', active: true });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${app.baseUrl}/Users/${created.body.id}`);
    const id = created.body.id as string;
    expect((await call('PUT', `/Users/${id}`, { userName: 'ann', displayName: 'Ann' })).body).toMatchObject({ displayName: 'Ann', active: true });
    const patched = await call('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ann@example.com' }],
    });
    expect(patched.body.emails).toEqual([{ type: 'work', value: 'ann@example.com' }]);
    expect(patched.body.meta.version).toBe('W/"3"');
    expect((await call('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await call('GET', `/Users/${id}`)).status).toBe(404);
    expect(app.users()).toHaveLength(0);
  });

  it('answers RFC 7644 errors: 409 uniqueness, 400 invalidValue/invalidSyntax/invalidFilter, 404', async () => {
    await call('POST', '/Users', { userName: 'bo' });
    expect((await call('POST', '/Users', { userName: 'BO' })).body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness' });
    expect((await call('POST', '/Users', {})).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect((await call('PATCH', `/Users/${app.users()[0].id}`, { Operations: [{ op: 'jump' }] })).body).toMatchObject({ scimType: 'invalidSyntax' });
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`)).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await call('DELETE', '/Groups/none')).status).toBe(404);
  });

  it('filters on userName, externalId (case-exact) and displayName', async () => {
    app.seed({ users: [{ userName: 'cy', externalId: 'Ext-C' }, { userName: 'di' }], groups: [{ displayName: 'Ops' }] });
    const q = async (path: string, f: string) => (await call('GET', `${path}?filter=${encodeURIComponent(f)}`)).body.totalResults;
    expect(await q('/Users', 'userName eq "CY"')).toBe(1);
    expect(await q('/Users', 'externalId eq "Ext-C"')).toBe(1);
    expect(await q('/Users', 'externalId eq "ext-c"')).toBe(0);
    expect(await q('/Groups', 'displayName eq "Ops"')).toBe(1);
  });

  it('paginates with the configured default and maximum', async () => {
    app.seed({ users: ['a', 'b', 'c', 'd', 'e'].map((userName) => ({ userName })) });
    expect((await call('GET', '/Users')).body).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 1 });
    expect((await call('GET', '/Users?startIndex=4&count=10')).body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['d', 'e']);
    expect((await call('GET', '/Users?count=0')).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('manages group membership with PATCH and drops members of a deleted user', async () => {
    const { users } = app.seed({ users: [{ userName: 'm1' }, { userName: 'm2' }] });
    const g = await call('POST', '/Groups', { displayName: 'G', members: [{ value: users[0].id }] });
    await call('PATCH', `/Groups/${g.body.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: users[1].id }] }] });
    expect(app.group(g.body.id)?.members).toHaveLength(2);
    await call('DELETE', `/Users/${users[0].id}`);
    expect(app.group(g.body.id)?.members).toEqual([{ value: users[1].id, display: 'm2' }]);
    expect((await call('POST', '/Groups', { displayName: 'g' })).status).toBe(409);
  });

  it('rate limits with 429 + Retry-After, then succeeds after waiting', async () => {
    app.setRateLimit({ requests: 1, windowMs: 1000 });
    try {
      expect((await call('GET', '/Users')).status).toBe(200);
      const limited = await call('GET', '/Users');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '429' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBe(1);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      expect((await call('GET', '/Users')).status).toBe(200);
    } finally {
      app.setRateLimit(undefined);
    }
  });

  it('injects 500, slow, hang and reset faults', async () => {
    app.faults.next(1, { status: 500 });
    expect((await call('GET', '/Users')).status).toBe(500);
    app.faults.next(1, { delayMs: 100 });
    const t = Date.now();
    expect((await call('GET', '/Users')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(90);
    app.faults.next(1, { hang: true });
    await expect(fetch(`${app.baseUrl}/Users`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(150) })).rejects.toThrow();
    app.faults.next(1, { reset: true });
    await expect(call('GET', '/Users')).rejects.toThrow('fetch failed');
  });
});
