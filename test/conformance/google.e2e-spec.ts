import { LIST_RESPONSE, PATCH_OP, ScimClient, USER_SCHEMA } from '../support/scim-client';
import { TestApi, startTestApi } from '../support/test-api';

/** Google Workspace auto-provisioning: the count=1 probe, userName without emails, suspension. */
describe('Google Workspace conformance', () => {
  let api: TestApi;
  let google: ScimClient;
  beforeAll(async () => {
    api = await startTestApi();
    google = await ScimClient.forNewOrganization(api);
  });
  afterAll(() => api.close());

  it('answers the GET /Users?count=1 probe on an empty organization', async () => {
    const probe = await google.get('/Users?count=1');
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('creates a user from userName only, counts it, suspends and deletes it', async () => {
    const created = await google.post('/Users', {
      schemas: [USER_SCHEMA],
      userName: 'ana@acme.example',
      name: { givenName: 'Ana', familyName: 'Silva' },
      externalId: '103829348572910293847',
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
    });
    expect(created.status).toBe(201);
    expect(created.body.emails).toBeUndefined();
    const probe = await google.get('/Users?count=1');
    expect(probe.body.totalResults).toBe(1);
    expect(probe.body.Resources).toHaveLength(1);
    const countOnly = await google.get('/Users?count=0');
    expect(countOnly.body).toMatchObject({ totalResults: 1, itemsPerPage: 0, Resources: [] });

    const suspended = await google.patch(`/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(suspended.body.active).toBe(false);
    expect((await google.delete(`/Users/${created.body.id}`)).status).toBe(204);
    expect((await google.get(`/Users/${created.body.id}`)).status).toBe(404);
    expect((await google.delete(`/Users/${created.body.id}`)).status).toBe(404);
  });
});
