import { ENTERPRISE, ERROR, LIST_RESPONSE, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TestApi, call, startTestApi } from '../../support/test-api';

/** SCIM Users (RFC 7644 §3) on real PostgreSQL: the behaviour an IdP relies on, end to end. */
describe('SCIM /Users', () => {
  let api: TestApi;
  let scim: ScimClient;
  beforeAll(async () => {
    api = await startTestApi();
    scim = await ScimClient.forNewOrganization(api);
  });
  afterAll(() => api.close());

  const user = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: userName, type: 'work', primary: true }],
    ...extra,
  });

  const expectScimError = (res: { status: number; body: any; headers: Headers }, status: number, scimType?: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/scim+json');
    expect(res.body).toMatchObject({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}) });
    expect(typeof res.body.detail).toBe('string');
  };

  it('creates a user: 201, Location, ETag, server attributes, never the password', async () => {
    const res = await scim.post('/Users', user('create@acme.test', { password: 'S3cret-pass!', id: 'client-id-ignored' }));
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`${api.url}/scim/v2/${scim.orgId}/Users/${res.body.id}`.replace(api.url, api.config.http.publicUrl));
    expect(res.headers.get('etag')).toBe(res.body.meta.version);
    expect(res.body.meta).toMatchObject({ resourceType: 'User', location: res.headers.get('location') });
    expect(res.body.password).toBeUndefined();
    expect(res.body.active).toBe(true);
    expect(res.text).not.toContain('S3cret-pass!');
  });

  it('refuses a userName differing only in case with 409 uniqueness', async () => {
    expect((await scim.post('/Users', user('Case@Acme.test'))).status).toBe(201);
    expectScimError(await scim.post('/Users', user('case@ACME.test')), 409, 'uniqueness');
  });

  it('gives exactly one 201 to simultaneous creates of one userName', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => scim.post('/Users', user('race@acme.test'))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(11);
    const list = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "race@acme.test"')}`);
    expect(list.body.totalResults).toBe(1);
  });

  it('rejects bad bodies with the SCIM error schema and writes nothing', async () => {
    expectScimError(await scim.request('POST', '/Users', undefined, {}), 400);
    const malformed = await call(api, 'POST', `/scim/v2/${scim.orgId}/Users`, {
      auth: scim.token,
      rawBody: '{"userName": ',
      headers: { 'content-type': 'application/scim+json' },
    });
    expectScimError(malformed, 400, 'invalidSyntax');
    expectScimError(await scim.post('/Users', { schemas: [USER_SCHEMA] }), 400);
    expectScimError(await scim.post('/Users', user('typed@acme.test', { active: 'maybe' })), 400, 'invalidValue');
    expect((await scim.get(`/Users?filter=${encodeURIComponent('userName eq "typed@acme.test"')}`)).body.totalResults).toBe(0);
  });

  it('accepts application/json as well as application/scim+json', async () => {
    const res = await call(api, 'POST', `/scim/v2/${scim.orgId}/Users`, { auth: scim.token, body: user('json@acme.test') });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toContain('application/scim+json');
  });

  it('answers 413 for a body over the limit', async () => {
    // (One app per process: passport strategies are process-wide, so the limit is the default 1 MiB.)
    const res = await scim.post('/Users', user('big@acme.test', { title: 'x'.repeat(api.config.http.bodyLimitBytes + 1) }));
    expectScimError(res, 413);
    expect((await scim.get(`/Users?filter=${encodeURIComponent('userName eq "big@acme.test"')}`)).body.totalResults).toBe(0);
  });

  it('reads, replaces and deletes: 404 after DELETE', async () => {
    const created = (await scim.post('/Users', user('lifecycle@acme.test', { externalId: 'ext-life' }))).body;
    const read = await scim.get(`/Users/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created);

    const replaced = await scim.put(`/Users/${created.id}`, { schemas: [USER_SCHEMA], userName: 'lifecycle@acme.test', externalId: 'ext-life', displayName: 'Replaced' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.displayName).toBe('Replaced');
    expect(replaced.body.name).toBeUndefined();
    expect(replaced.body.meta.version).not.toBe(created.meta.version);
    expect(replaced.body.meta.created).toBe(created.meta.created);

    expect((await scim.delete(`/Users/${created.id}`)).status).toBe(204);
    expectScimError(await scim.get(`/Users/${created.id}`), 404);
    expectScimError(await scim.delete(`/Users/${created.id}`), 404);
    expectScimError(await scim.get('/Users/not-a-uuid'), 404);
  });

  it('ignores readOnly attributes (id, groups) sent on PUT', async () => {
    // RFC 7643 §4.1.2: groups is readOnly and ignored on input; id is readOnly.
    const created = (await scim.post('/Users', user('mutable@acme.test'))).body;
    const res = await scim.put(`/Users/${created.id}`, { ...user('mutable@acme.test'), id: 'other', groups: [{ value: 'x' }] });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.id);
  });

  it('honours ETags: If-Match mismatch 412, If-None-Match 304', async () => {
    const created = await scim.post('/Users', user('etag@acme.test'));
    const etag = created.headers.get('etag')!;
    expect((await scim.get(`/Users/${created.body.id}`, { 'if-none-match': etag })).status).toBe(304);
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Engineer' }] };
    expectScimError(await scim.patch(`/Users/${created.body.id}`, patch, { 'if-match': 'W/"999"' }), 412);
    expect((await scim.get(`/Users/${created.body.id}`)).body.title).toBeUndefined();
    const ok = await scim.patch(`/Users/${created.body.id}`, patch, { 'if-match': etag });
    expect(ok.status).toBe(200);
    expect(ok.body.title).toBe('Engineer');
    expect((await scim.get(`/Users/${created.body.id}`, { 'if-none-match': etag })).status).toBe(200);
  });

  it('applies a PATCH atomically: one bad operation and nothing changes', async () => {
    const created = (await scim.post('/Users', user('atomic@acme.test', { title: 'Before' }))).body;
    const res = await scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'title', value: 'After' },
        { op: 'replace', path: 'active', value: 'not-a-boolean' },
      ],
    });
    expectScimError(res, 400, 'invalidValue');
    const after = (await scim.get(`/Users/${created.id}`)).body;
    expect(after.title).toBe('Before');
    expect(after.meta.version).toBe(created.meta.version);
  });

  it('PATCHes value-filter paths and deactivates', async () => {
    const created = (await scim.post('/Users', user('filterpath@acme.test', { emails: [{ value: 'a@acme.test', type: 'work' }, { value: 'b@home.test', type: 'home' }] }))).body;
    const res = await scim.patch(`/Users/${created.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@acme.test' },
        { op: 'remove', path: 'emails[type eq "home"]' },
        { op: 'replace', path: 'active', value: false },
        { op: 'add', path: `${ENTERPRISE}:department`, value: 'R&D' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ value: 'new@acme.test', type: 'work' }]);
    expect(res.body.active).toBe(false);
    expect(res.body[ENTERPRISE]).toEqual({ department: 'R&D' });
    expectScimError(await scim.patch(`/Users/${created.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'nosuch' }] }), 400, 'invalidPath');
    expectScimError(await scim.patch(`/Users/${created.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'jump', path: 'title' }] }), 400);
  });

  describe('lists', () => {
    let org: ScimClient;
    beforeAll(async () => {
      org = await ScimClient.forNewOrganization(api);
      for (const [i, name] of ['carol', 'alice', 'Bob', 'dave', 'erin'].entries()) {
        await org.post('/Users', user(`${name}@list.test`, { externalId: `ext-${i}`, title: i % 2 ? 'Engineer' : 'Manager', active: i !== 4 }));
      }
    });

    it('pages with startIndex and count, and count=0 answers only the total', async () => {
      const page = await org.get('/Users?startIndex=2&count=2&sortBy=userName');
      expect(page.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 5, startIndex: 2, itemsPerPage: 2 });
      expect(page.body.Resources.map((u: any) => u.userName)).toEqual(['Bob@list.test', 'carol@list.test']);
      const total = await org.get('/Users?count=0');
      expect(total.body).toEqual({ schemas: [LIST_RESPONSE], totalResults: 5, startIndex: 1, itemsPerPage: 0, Resources: [] });
      const past = await org.get('/Users?startIndex=50');
      expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    });

    it('sorts case-insensitively, both ways', async () => {
      const asc = await org.get('/Users?sortBy=userName&sortOrder=ascending');
      expect(asc.body.Resources.map((u: any) => u.userName)).toEqual(['alice@list.test', 'Bob@list.test', 'carol@list.test', 'dave@list.test', 'erin@list.test']);
      const desc = await org.get('/Users?sortBy=userName&sortOrder=descending&count=2');
      expect(desc.body.Resources.map((u: any) => u.userName)).toEqual(['erin@list.test', 'dave@list.test']);
      expectScimError(await org.get('/Users?sortBy=nosuch'), 400);
    });

    it('filters in SQL with the full grammar', async () => {
      const names = async (filter: string) => {
        const res = await org.get(`/Users?filter=${encodeURIComponent(filter)}&sortBy=userName`);
        expect(res.status).toBe(200);
        return res.body.Resources.map((u: any) => u.userName);
      };
      expect(await names('userName eq "BOB@LIST.TEST"')).toEqual(['Bob@list.test']);
      expect(await names('externalId eq "ext-1"')).toEqual(['alice@list.test']);
      expect(await names('title eq "engineer" and active eq true')).toEqual(['alice@list.test', 'dave@list.test']);
      expect(await names('not (title eq "Engineer") or userName sw "b"')).toEqual(['Bob@list.test', 'carol@list.test', 'erin@list.test']);
      expect(await names('emails[type eq "work" and value ew "@list.test"] and active eq false')).toEqual(['erin@list.test']);
      expect(await names('emails[type eq "work"].value eq "dave@list.test"')).toEqual(['dave@list.test']);
      expect(await names(`meta.lastModified gt "2000-01-01T00:00:00Z" and userName co "AR"`)).toEqual(['carol@list.test']);
      expect(await names(`urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "lovelace" and externalId pr`)).toHaveLength(5);
    });

    it('answers 400 invalidFilter for anything malformed or unsupported', async () => {
      for (const filter of ['userName eq', 'userName xx "a"', '(userName eq "a"', 'nosuch eq "a"', 'active gt true', 'password eq "x"']) {
        expectScimError(await org.get(`/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
      }
    });

    it('honours attributes and excludedAttributes, on lists and writes', async () => {
      const only = await org.get(`/Users?attributes=userName,name.givenName&filter=${encodeURIComponent('userName eq "alice@list.test"')}`);
      expect(only.body.Resources[0]).toEqual({ schemas: [USER_SCHEMA], id: expect.any(String), userName: 'alice@list.test', name: { givenName: 'Ada' } });
      const without = await org.get(`/Users?excludedAttributes=emails,meta&filter=${encodeURIComponent('userName eq "alice@list.test"')}`);
      expect(without.body.Resources[0].emails).toBeUndefined();
      expect(without.body.Resources[0].id).toBeDefined();
      const created = await org.request('POST', '/Users?attributes=userName', user('projected@list.test'));
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual(['id', 'schemas', 'userName']);
    });

    it('searches with POST /.search, per resource type and at the root', async () => {
      const typed = await org.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title eq "Manager"', sortBy: 'userName', count: 2 });
      expect(typed.status).toBe(200);
      expect(typed.body.totalResults).toBe(3);
      expect(typed.body.Resources.map((u: any) => u.userName)).toEqual(['Bob@list.test', 'carol@list.test']);
      const root = await org.post('/.search', { filter: 'userName sw "alice"' });
      expect(root.status).toBe(200);
      expect(root.body.Resources.map((u: any) => u.userName)).toEqual(['alice@list.test']);
    });
  });

  it('serves discovery: ResourceTypes, Schemas and a truthful ServiceProviderConfig', async () => {
    const spc = (await scim.get('/ServiceProviderConfig')).body;
    expect(spc).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 1000 }, sort: { supported: true }, etag: { supported: true }, bulk: { supported: true } });
    const types = (await scim.get('/ResourceTypes')).body;
    expect(types.Resources.map((r: any) => r.name).sort()).toEqual(['Group', 'User']);
    expect((await scim.get('/ResourceTypes/User')).body.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    const schemas = (await scim.get('/Schemas')).body;
    expect(schemas.totalResults).toBe(3);
    const userSchema = (await scim.get(`/Schemas/${USER_SCHEMA}`)).body;
    expect(userSchema.attributes.find((a: any) => a.name === 'userName')).toMatchObject({ uniqueness: 'server', caseExact: false, required: true });
    expectScimError(await scim.get('/Schemas/urn:nope'), 404);
  });
});
