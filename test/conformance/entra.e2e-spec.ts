import { ENTERPRISE, GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../support/scim-client';
import { TestApi, startTestApi } from '../support/test-api';

/**
 * What Microsoft Entra ID sends (landscape.md §1.10; Microsoft's "Known issues and resolutions
 * with SCIM 2.0 protocol compliance"), both without and with `?aadOptscim062020` on the tenant URL.
 */
describe.each([
  ['without aadOptscim062020', ''],
  ['with aadOptscim062020', 'aadOptscim062020'],
])('Entra ID conformance %s', (_label, flag) => {
  let api: TestApi;
  let entra: ScimClient;
  beforeAll(async () => {
    api = await startTestApi();
    entra = await ScimClient.forNewOrganization(api, flag);
  });
  afterAll(() => api.close());

  const newUser = (n: string) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: `entra-object-id-${n}`,
    userName: `Test_User_${n}@contoso.example`,
    active: true,
    displayName: `Test User ${n}`,
    emails: [{ primary: true, type: 'work', value: `Test_User_${n}@contoso.example` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENTERPRISE]: { department: 'Finance', employeeNumber: '701984' },
  });

  it('tests the connection: discovery and a lookup of a random userName', async () => {
    expect((await entra.get('/ServiceProviderConfig')).status).toBe(200);
    const probe = await entra.get(`/Users?filter=${encodeURIComponent('userName eq "4a2b6d1e-probe"')}`);
    expect(probe.status).toBe(200);
    expect(probe.body.totalResults).toBe(0);
  });

  it('creates, then finds by userName and by externalId (also unquoted)', async () => {
    const body = newUser('1');
    const created = await entra.post('/Users', body);
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE]).toEqual({ department: 'Finance', employeeNumber: '701984' });
    const byExternal = await entra.get(`/Users?filter=${encodeURIComponent(`externalId eq "${body.externalId}"`)}`);
    expect(byExternal.body.Resources.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    const unquoted = await entra.get(`/Users?filter=${encodeURIComponent(`externalId eq ${body.externalId}`)}`);
    expect(unquoted.body.totalResults).toBe(1);
    const byEmail = await entra.get(`/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${body.userName}"`)}`);
    expect(byEmail.body.totalResults).toBe(1);
  });

  it('updates with capitalized ops, string booleans, dotted and URN pathless keys, and a bare manager id', async () => {
    const user = (await entra.post('/Users', newUser('2'))).body;
    const manager = (await entra.post('/Users', newUser('2m'))).body;
    const patched = await entra.patch(`/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Renamed User' },
        { op: 'Add', value: { 'name.givenName': 'Grace', [`${ENTERPRISE}:employeeNumber`]: '42' } },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.id },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'renamed@contoso.example' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('Renamed User');
    expect(patched.body.name.givenName).toBe('Grace');
    expect(patched.body[ENTERPRISE]).toMatchObject({ employeeNumber: '42', department: 'Finance', manager: { value: manager.id } });
    expect(patched.body.emails).toEqual([expect.objectContaining({ type: 'work', value: 'renamed@contoso.example' })]);

    const disabled = await entra.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(disabled.body.active).toBe(false);
    const enabled = await entra.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
    expect(enabled.body.active).toBe(true);

    const noop = await entra.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [] });
    expect(noop.status).toBe(200);
    expect(noop.body.meta.version).toBe(enabled.body.meta.version);
  });

  it('adds and removes group members, including removal through value', async () => {
    const u1 = (await entra.post('/Users', newUser('3a'))).body;
    const u2 = (await entra.post('/Users', newUser('3b'))).body;
    const group = (await entra.post('/Groups', { schemas: [GROUP_SCHEMA], externalId: 'entra-group-3', displayName: 'Group 3', members: [] })).body;
    await entra.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: u1.id }, { value: u2.id }] }] });
    // Adding an existing member changes nothing (RFC 7644 §3.5.2.1).
    const before = (await entra.get(`/Groups/${group.id}`)).body;
    await entra.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: u1.id }] }] });
    expect((await entra.get(`/Groups/${group.id}`)).body.meta.version).toBe(before.meta.version);

    await entra.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: u1.id }] }] });
    const after = (await entra.get(`/Groups/${group.id}`)).body;
    expect(after.members.map((m: { value: string }) => m.value)).toEqual([u2.id]);
    const byMember = await entra.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${u2.id}"]`)}&excludedAttributes=members`);
    expect(byMember.body.Resources.map((g: { id: string }) => g.id)).toEqual([group.id]);
  });
});
