import { GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TestApi, call, startTestApi } from '../../support/test-api';

/** Principle 3: an organization's token never reads or changes another's data, on any route. */
describe('SCIM tenant isolation', () => {
  let api: TestApi;
  let a: ScimClient;
  let b: ScimClient;
  let userA: string;
  let groupA: string;
  beforeAll(async () => {
    api = await startTestApi();
    a = await ScimClient.forNewOrganization(api);
    b = await ScimClient.forNewOrganization(api);
    userA = (await a.post('/Users', { schemas: [USER_SCHEMA], userName: 'secret@a.test', externalId: 'ext-a' })).body.id;
    groupA = (await a.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'A team', members: [{ value: userA }] })).body.id;
  });
  afterAll(() => api.close());

  it("refuses B's token on every route of A's endpoint", async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/ServiceProviderConfig'],
      ['GET', '/ResourceTypes'],
      ['GET', '/Schemas'],
      ['GET', '/Users'],
      ['POST', '/Users', { schemas: [USER_SCHEMA], userName: 'x@b.test' }],
      ['GET', `/Users/${userA}`],
      ['PUT', `/Users/${userA}`, { schemas: [USER_SCHEMA], userName: 'x@b.test' }],
      ['PATCH', `/Users/${userA}`, { schemas: [PATCH_OP], Operations: [] }],
      ['DELETE', `/Users/${userA}`],
      ['POST', '/Users/.search', {}],
      ['GET', '/Groups'],
      ['GET', `/Groups/${groupA}`],
      ['DELETE', `/Groups/${groupA}`],
      ['POST', '/.search', {}],
      ['POST', '/Bulk', { Operations: [] }],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(api, method, `/scim/v2/${a.orgId}${path}`, { auth: b.token, body });
      expect([method, path, res.status]).toEqual([method, path, 401]);
    }
  });

  it("does not find A's resources through B's own endpoint", async () => {
    for (const [method, path, body] of [
      ['GET', `/Users/${userA}`],
      ['PUT', `/Users/${userA}`, { schemas: [USER_SCHEMA], userName: 'stolen@b.test' }],
      ['PATCH', `/Users/${userA}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
      ['DELETE', `/Users/${userA}`],
      ['GET', `/Groups/${groupA}`],
      ['PATCH', `/Groups/${groupA}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }],
      ['DELETE', `/Groups/${groupA}`],
    ] as [string, string, unknown?][]) {
      const res = await b.request(method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    expect((await b.get(`/Users?filter=${encodeURIComponent('externalId eq "ext-a"')}`)).body.totalResults).toBe(0);
    expect((await b.get(`/Groups?filter=${encodeURIComponent(`members.value eq "${userA}"`)}`)).body.totalResults).toBe(0);
    const borrow = await b.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'B team', members: [{ value: userA }] });
    expect(borrow.status).toBe(400);
    // A's data is intact.
    expect((await a.get(`/Users/${userA}`)).body.userName).toBe('secret@a.test');
    expect((await a.get(`/Groups/${groupA}`)).body.members.map((m: any) => m.value)).toEqual([userA]);
  });

  it('lets B create the same userName as A (uniqueness is per organization)', async () => {
    expect((await b.post('/Users', { schemas: [USER_SCHEMA], userName: 'secret@a.test' })).status).toBe(201);
  });
});
