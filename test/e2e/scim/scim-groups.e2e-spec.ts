import { GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TestApi, startTestApi } from '../../support/test-api';

/** SCIM Groups: members as rows, nested groups, computed user groups, and the outbox. */
describe('SCIM /Groups', () => {
  let api: TestApi;
  let scim: ScimClient;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    api = await startTestApi();
    scim = await ScimClient.forNewOrganization(api);
    for (const name of ['ann', 'ben', 'cat']) {
      ids[name] = (await scim.post('/Users', { schemas: [USER_SCHEMA], userName: `${name}@groups.test`, displayName: name.toUpperCase() })).body.id;
    }
  });
  afterAll(() => api.close());

  const outbox = (resourceId: string) =>
    api.db.database.tenant({ organizationId: scim.orgId }, (tx) =>
      tx.query<{ operation: string; changes: any }>(`SELECT operation, changes FROM outbox WHERE resource_id = $1 ORDER BY id`, [resourceId]),
    );

  it('creates a group with members and reads it with and without them', async () => {
    const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', externalId: 'okta-eng', members: [{ value: ids.ann }, { value: ids.ben, type: 'User' }] });
    expect(created.status).toBe(201);
    expect(created.body.members).toEqual(
      expect.arrayContaining([
        { value: ids.ann, type: 'User', display: 'ANN', $ref: `${api.config.http.publicUrl}/scim/v2/${scim.orgId}/Users/${ids.ann}` },
        expect.objectContaining({ value: ids.ben }),
      ]),
    );
    ids.eng = created.body.id;
    const lean = await scim.get(`/Groups/${ids.eng}?excludedAttributes=members`);
    expect(lean.body.members).toBeUndefined();
    expect(lean.body.displayName).toBe('Engineering');
    const ops = await outbox(ids.eng);
    expect(ops[0]!.operation).toBe('created');
  });

  it('refuses a duplicate displayName (409) and unknown members (400), writing nothing', async () => {
    const dup = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'ENGINEERING' });
    expect(dup.status).toBe(409);
    expect(dup.body.scimType).toBe('uniqueness');
    const unknown = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknown.status).toBe(400);
    expect((await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "Ghosts"')}`)).body.totalResults).toBe(0);
  });

  it('adds and removes members by PATCH; adding an existing member changes nothing', async () => {
    const before = (await scim.get(`/Groups/${ids.eng}`)).body;
    const again = await scim.patch(`/Groups/${ids.eng}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ids.ann }] }] });
    expect(again.status).toBe(204);
    expect((await scim.get(`/Groups/${ids.eng}`)).body.meta.version).toBe(before.meta.version);

    await scim.patch(`/Groups/${ids.eng}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: ids.cat }] },
        { op: 'remove', path: `members[value eq "${ids.ben}"]` },
      ],
    });
    const after = (await scim.get(`/Groups/${ids.eng}`)).body;
    expect(after.members.map((m: any) => m.value).sort()).toEqual([ids.ann, ids.cat].sort());
    expect(after.meta.version).not.toBe(before.meta.version);
    const last = (await outbox(ids.eng)).at(-1)!;
    expect(last.changes).toMatchObject({ membersAdded: [ids.cat], membersRemoved: [ids.ben] });
  });

  it('nests groups: a user lists direct and indirect groups, and filters see both', async () => {
    const staff = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: ids.eng, type: 'Group' }] });
    expect(staff.status).toBe(201);
    ids.staff = staff.body.id;
    const ann = (await scim.get(`/Users/${ids.ann}`)).body;
    expect(ann.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: ids.eng, display: 'Engineering', type: 'direct' }),
        expect.objectContaining({ value: ids.staff, display: 'Staff', type: 'indirect' }),
      ]),
    );
    const inStaff = await scim.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${ids.staff}"`)}&sortBy=userName`);
    expect(inStaff.body.Resources.map((u: any) => u.userName)).toEqual(['ann@groups.test', 'cat@groups.test']);
    const withGroupMembers = await scim.get(`/Groups?filter=${encodeURIComponent('members[type eq "Group"]')}`);
    expect(withGroupMembers.body.Resources.map((g: any) => g.displayName)).toEqual(['Staff']);
    const selfMember = await scim.patch(`/Groups/${ids.staff}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ids.staff }] }] });
    expect(selfMember.status).toBe(400);
  });

  it('renames and replaces members by PUT (Okta group push)', async () => {
    const put = await scim.put(`/Groups/${ids.eng}`, { schemas: [GROUP_SCHEMA], displayName: 'Platform', members: [{ value: ids.ben }] });
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe('Platform');
    expect(put.body.members.map((m: any) => m.value)).toEqual([ids.ben]);
  });

  it('deletes a group: 204, then 404, memberships gone', async () => {
    const temp = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Temp', members: [{ value: ids.ann }] })).body;
    expect((await scim.delete(`/Groups/${temp.id}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${temp.id}`)).status).toBe(404);
    const ann = (await scim.get(`/Users/${ids.ann}`)).body;
    expect(ann.groups.map((g: any) => g.value)).not.toContain(temp.id);
  });

  it('runs Bulk with bulkId references and failOnErrors', async () => {
    const res = await scim.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [GROUP_SCHEMA], displayName: 'Bulk Team', members: [{ type: 'User', value: 'bulkId:u1' }] } },
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: [USER_SCHEMA], userName: 'bulk1@groups.test' } },
        { method: 'PATCH', path: '/Users/bulkId:u1', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Bulked' }] } },
        { method: 'POST', path: '/Users', bulkId: 'dup', data: { schemas: [USER_SCHEMA], userName: 'ann@groups.test' } },
      ],
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.Operations.map((op: any) => [op.bulkId ?? op.method, op]));
    expect(byId.u1.status).toBe('201');
    expect(byId.g1.status).toBe('201');
    expect(byId.PATCH.status).toBe('200');
    expect(byId.dup).toMatchObject({ status: '409', response: { scimType: 'uniqueness' } });
    const group = (await scim.get(byId.g1.location.slice(byId.g1.location.indexOf('/Groups')))).body;
    const userId = byId.u1.location.slice(byId.u1.location.lastIndexOf('/') + 1);
    expect(group.members.map((m: any) => m.value)).toEqual([userId]);
    expect((await scim.get(`/Users/${userId}`)).body.title).toBe('Bulked');

    const stopped = await scim.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      failOnErrors: 1,
      Operations: [
        { method: 'DELETE', path: '/Users/00000000-0000-4000-8000-000000000000' },
        { method: 'POST', path: '/Users', bulkId: 'never', data: { schemas: [USER_SCHEMA], userName: 'never@groups.test' } },
      ],
    });
    expect(stopped.body.Operations).toHaveLength(1);
    expect(stopped.body.Operations[0].status).toBe('404');
    expect((await scim.get(`/Users?filter=${encodeURIComponent('userName eq "never@groups.test"')}`)).body.totalResults).toBe(0);
  });
});
