import { GROUP_SCHEMA, LIST_RESPONSE, PATCH_OP, ScimClient, USER_SCHEMA } from '../support/scim-client';
import { TestApi, startTestApi } from '../support/test-api';

/**
 * The sequence Okta's SCIM 2.0 client sends (Okta SCIM 2.0 reference): look up by userName before
 * creating, create, read, update by PUT, deactivate by PATCH active=false, push groups (create,
 * PATCH members add/remove, rename by PUT).
 */
describe('Okta conformance', () => {
  let api: TestApi;
  let okta: ScimClient;
  beforeAll(async () => {
    api = await startTestApi();
    okta = await ScimClient.forNewOrganization(api);
  });
  afterAll(() => api.close());

  const user = {
    schemas: [USER_SCHEMA],
    userName: 'isabella.lopez@acme.example',
    name: { givenName: 'Isabella', familyName: 'Lopez' },
    emails: [{ primary: true, value: 'isabella.lopez@acme.example', type: 'work' }],
    displayName: 'Isabella Lopez',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    password: 'Okta-sends-1-sometimes!',
    active: true,
  };

  it('provisions a user: lookup, create, read, update, deactivate, reactivate', async () => {
    const lookup = await okta.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}&startIndex=1&count=100`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({ schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await okta.post('/Users', user);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toContain('application/scim+json');
    expect(created.headers.get('location')).toBe(created.body.meta.location);
    expect(created.headers.get('etag')).toBe(created.body.meta.version);
    expect(created.body).toMatchObject({ userName: user.userName, active: true, externalId: user.externalId, name: user.name });
    expect(created.body.password).toBeUndefined();
    const id = created.body.id;

    const found = await okta.get(`/Users?filter=${encodeURIComponent(`userName eq "ISABELLA.LOPEZ@acme.example"`)}&startIndex=1&count=100`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(id);

    const again = await okta.post('/Users', user);
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe('uniqueness');

    const updated = await okta.put(`/Users/${id}`, { ...user, id, name: { givenName: 'Isabella', familyName: 'Lopez-Garcia' } });
    expect(updated.status).toBe(200);
    expect(updated.body.name.familyName).toBe('Lopez-Garcia');
    expect(updated.body.meta.version).not.toBe(created.body.meta.version);

    const deactivated = await okta.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await okta.get(`/Users/${id}`)).body.active).toBe(false);

    const reactivated = await okta.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    expect(reactivated.body.active).toBe(true);
  });

  it('pushes a group: create, add and remove members, rename by PUT', async () => {
    const a = (await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'a.member@acme.example', active: true })).body;
    const b = (await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'b.member@acme.example', active: true })).body;
    const group = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [] });
    expect(group.status).toBe(201);
    const gid = group.body.id;

    const add = await okta.patch(`/Groups/${gid}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: a.id, display: a.userName }, { value: b.id, display: b.userName }] }],
    });
    expect([200, 204]).toContain(add.status);
    let read = await okta.get(`/Groups/${gid}`);
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());
    expect((await okta.get(`/Users/${a.id}`)).body.groups).toEqual([expect.objectContaining({ value: gid, display: 'Engineering' })]);

    const remove = await okta.patch(`/Groups/${gid}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${a.id}"]` }] });
    expect([200, 204]).toContain(remove.status);
    read = await okta.get(`/Groups/${gid}`);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([b.id]);

    const renamed = await okta.put(`/Groups/${gid}`, { schemas: [GROUP_SCHEMA], id: gid, displayName: 'Engineering (all)', members: [{ value: b.id }] });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('Engineering (all)');
    const byName = await okta.get(`/Groups?filter=${encodeURIComponent('displayName eq "Engineering (all)"')}&excludedAttributes=members`);
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0].members).toBeUndefined();

    expect((await okta.delete(`/Groups/${gid}`)).status).toBe(204);
    expect((await okta.get(`/Groups/${gid}`)).status).toBe(404);
  });
});
