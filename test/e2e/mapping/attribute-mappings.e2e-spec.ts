import { ENTERPRISE, GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TestApi, call, startTestApi } from '../../support/test-api';

const GSUITE = 'urn:ietf:params:scim:schemas:gsuite:1.0:User';

/** Shaped like Google Workspace sends users: the address only as userName, a custom schema. */
const googleUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA, ENTERPRISE, GSUITE],
  userName,
  name: { givenName: 'Ana', familyName: 'Silva' },
  externalId: `g-${userName}`,
  active: true,
  title: 'Account Executive',
  [ENTERPRISE]: { department: 'Sales' },
  [GSUITE]: { authnRole: 'admin' },
  ...extra,
});

/** Shaped like Entra ID sends users: a UPN as userName, the mailbox in emails, the enterprise extension. */
const entraUser = (upn: string, mail: string) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  externalId: `e-${upn}`,
  userName: upn,
  active: 'True',
  displayName: 'Bo Chen',
  emails: [{ primary: true, type: 'work', value: mail }],
  name: { formatted: 'Bo Chen', familyName: 'Chen', givenName: 'Bo' },
  [ENTERPRISE]: { department: 'Engineering' },
});

describe('attribute mappings and the user API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const mappings = (orgId: string) => `/v1/organizations/${orgId}/scim/attribute-mappings`;
  const outboxOf = (orgId: string, userId: string) =>
    api.db.database.system((tx) =>
      tx.query<{ operation: string; changes: any; snapshot: any }>(
        `SELECT operation, changes, snapshot FROM outbox WHERE organization_id = $1 AND resource_id = $2 ORDER BY id`,
        [orgId, userId],
      ),
    );

  it('maps Google Workspace users with the defaults: userName → email_address, no emails needed', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    const created = await scim.post('/Users', googleUser('ana@acme.example'));
    expect(created.status).toBe(201);
    const user = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${created.body.id}`);
    expect(user.status).toBe(200);
    expect(user.body).toEqual({
      id: created.body.id,
      email_address: 'ana@acme.example',
      first_name: 'Ana',
      last_name: 'Silva',
      external_id: 'g-ana@acme.example',
      active: true,
      organization_role: 'member',
      public_metadata: {},
      private_metadata: {},
      groups: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const [row] = await outboxOf(scim.orgId, created.body.id);
    expect(row!.snapshot.profile).toMatchObject({ email_address: 'ana@acme.example', organization_role: 'member' });
  });

  it('applies the Google guide example: department and title into public_metadata, a custom attribute as the role', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    const before = await scim.post('/Users', googleUser('early@acme.example'));
    const saved = await call(api, 'PUT', mappings(scim.orgId), {
      body: {
        mapping: {
          [`${ENTERPRISE}.department`]: 'public_metadata.department',
          title: 'public_metadata.title',
          [`${GSUITE}.authnRole`]: 'organization_role',
        },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
    expect(saved.body.mapping).toEqual(
      expect.arrayContaining([
        { path: 'userName', target: 'email_address', source: 'default' },
        { path: `${ENTERPRISE}.department`, target: 'public_metadata.department', source: 'custom' },
        { path: 'title', target: 'public_metadata.title', source: 'custom' },
        { path: `${GSUITE}.authnRole`, target: 'organization_role', source: 'custom' },
      ]),
    );
    expect(saved.body.remap).toMatchObject({ mapping_version: 1, state: 'pending', total: 1 });

    // A new write maps with the new version at once (the cache was evicted).
    const created = await scim.post('/Users', googleUser('late@acme.example'));
    const user = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${created.body.id}`);
    expect(user.body).toMatchObject({
      email_address: 'late@acme.example',
      organization_role: 'admin',
      public_metadata: { department: 'Sales', title: 'Account Executive' },
    });

    // Google's PATCH of the custom attribute changes the role and the outbox says which fields changed.
    const patched = await scim.patch(`/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${GSUITE}:authnRole`, value: 'billing' }, { op: 'replace', path: 'title', value: 'VP Sales' }],
    });
    expect(patched.status).toBe(200);
    const rows = await outboxOf(scim.orgId, created.body.id);
    expect(rows[rows.length - 1]).toMatchObject({
      operation: 'updated',
      changes: { profileChanges: ['organization_role', 'public_metadata.title'] },
      snapshot: { profile: { organization_role: 'billing', public_metadata: { title: 'VP Sales', department: 'Sales' } } },
    });
    // The user saved before the change is still on the old mapping until the worker re-maps it.
    const early = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${before.body.id}`);
    expect(early.body.organization_role).toBe('member');
  });

  it("maps Entra's enterprise-extension department (colon form) and prefers the primary email over the UPN", async () => {
    const scim = await ScimClient.forNewOrganization(api);
    const saved = await call(api, 'PUT', mappings(scim.orgId), {
      body: {
        mapping: { [`${ENTERPRISE}:department`]: 'public_metadata.department' },
        expressions: { 'private_metadata.upn': 'user.userName.lowerAscii()' },
      },
    });
    expect(saved.status).toBe(200);
    const created = await scim.post('/Users', entraUser('Bo.Chen@acme.onmicrosoft.com', 'bo@acme.example'));
    expect(created.status).toBe(201);
    const user = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${created.body.id}`);
    expect(user.body).toMatchObject({
      email_address: 'bo@acme.example',
      first_name: 'Bo',
      active: true,
      public_metadata: { department: 'Engineering' },
      private_metadata: { upn: 'bo.chen@acme.onmicrosoft.com' },
    });
    // Entra's PATCH of the department (no-path replace with a dotted key, as Entra sends it).
    await scim.patch(`/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Research' }],
    });
    const after = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${created.body.id}`);
    expect(after.body.public_metadata).toEqual({ department: 'Research' });
  });

  it('derives the role from group membership: joining Admins makes an admin, leaving returns to the default', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    await call(api, 'PUT', mappings(scim.orgId), {
      body: { group_roles: [{ group: 'Admins', role: 'admin' }, { group: 'Billing', role: 'billing' }], default_role: 'viewer' },
    });
    const alice = (await scim.post('/Users', googleUser('alice@acme.example', { [GSUITE]: {} }))).body;
    const bob = (await scim.post('/Users', googleUser('bob@acme.example', { [GSUITE]: {} }))).body;
    const role = async (id: string) => (await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${id}`)).body.organization_role;
    expect(await role(alice.id)).toBe('viewer');

    const admins = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'admins', members: [{ value: alice.id }] });
    expect(admins.status).toBe(201);
    expect(await role(alice.id)).toBe('admin');
    expect(await role(bob.id)).toBe('viewer');
    const events = await outboxOf(scim.orgId, alice.id);
    expect(events[events.length - 1]).toMatchObject({ operation: 'updated', changes: { profileChanges: ['organization_role'] } });

    const billing = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Billing', members: [{ value: alice.id }, { value: bob.id }] });
    expect(await role(alice.id)).toBe('admin'); // first matching rule wins
    expect(await role(bob.id)).toBe('billing');

    await scim.patch(`/Groups/${admins.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${alice.id}"]` }] });
    expect(await role(alice.id)).toBe('billing');
    const user = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users/${alice.id}`);
    expect(user.body.groups).toEqual([{ id: billing.body.id, display_name: 'Billing' }]);

    await scim.delete(`/Groups/${billing.body.id}`);
    expect(await role(alice.id)).toBe('viewer');
    expect(await role(bob.id)).toBe('viewer');

    // Renaming a group re-evaluates its members (rules match display names).
    const renamed = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: bob.id }] });
    expect(await role(bob.id)).toBe('viewer');
    const rename = await scim.patch(`/Groups/${renamed.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Billing' }] });
    expect(rename.status).toBeLessThan(300);
    expect(await role(bob.id)).toBe('billing');
    // A PUT replacing the members moves the role with them.
    await scim.put(`/Groups/${renamed.body.id}`, { schemas: [GROUP_SCHEMA], displayName: 'Billing', members: [{ value: alice.id }] });
    expect(await role(bob.id)).toBe('viewer');
    expect(await role(alice.id)).toBe('billing');
  });

  it('validates a PUT as a whole, names every bad key and saves nothing', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    const bad = await call(api, 'PUT', mappings(scim.orgId), {
      body: {
        mapping: { 'emails[type eq': 'email_address', title: 'nickname', 'name.givenName': 'public_metadata.first' },
        expressions: { 'public_metadata.login': 'user.userName.lowerAscii(', first_name: '1 + 2' },
        group_roles: [{ group: 'Admins', role: 'admin role' }],
        colour: 'blue',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    const keys = bad.body.error.details.map((d: { key: string }) => d.key);
    expect(keys).toEqual(
      expect.arrayContaining(['colour', 'mapping.emails[type eq', 'mapping.title', 'expressions.public_metadata.login', 'expressions.first_name', 'group_roles[0].role']),
    );
    expect(keys).not.toContain('mapping.name.givenName');
    for (const detail of bad.body.error.details) expect(typeof detail.message).toBe('string');
    const current = await call(api, 'GET', mappings(scim.orgId));
    expect(current.body).toMatchObject({ version: 0, expressions: [], group_roles: [], default_role: 'member', remap: null });
    expect(current.body.mapping.every((e: { source: string }) => e.source === 'default')).toBe(true);
    expect((await call(api, 'GET', `${mappings(scim.orgId)}/versions`)).body).toEqual({ data: [], next_cursor: null });
    expect((await call(api, 'PUT', mappings(scim.orgId), { rawBody: '[1]' })).status).toBe(400);
  });

  it('keeps every version, newest first, paged', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    for (const role of ['a', 'b', 'c']) {
      expect((await call(api, 'PUT', mappings(scim.orgId), { body: { default_role: role, mapping: { title: 'public_metadata.title' } } })).status).toBe(200);
    }
    // Dropping a default shows it with a null target.
    const dropped = await call(api, 'PUT', mappings(scim.orgId), { body: { mapping: { 'name.familyName': null } } });
    expect(dropped.body.mapping).toContainEqual({ path: 'name.familyName', target: null, source: 'custom' });
    const first = await call(api, 'GET', `${mappings(scim.orgId)}/versions?limit=3`);
    expect(first.body.data.map((v: { version: number }) => v.version)).toEqual([4, 3, 2]);
    expect(first.body.data[1]).toMatchObject({ version: 3, default_role: 'c', mapping: { title: 'public_metadata.title' }, expressions: {}, group_roles: [] });
    expect(first.body.data[0].created_by).toEqual(expect.any(String));
    const second = await call(api, 'GET', `${mappings(scim.orgId)}/versions?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ version: 1, default_role: 'a' })], next_cursor: null });
    const current = await call(api, 'GET', mappings(scim.orgId));
    expect(current.body.version).toBe(4);
    expect(current.body.remap).toMatchObject({ mapping_version: 4 });
    // Older unfinished remaps were superseded by the newest.
    const older = await api.db.database.system((tx) =>
      tx.query<{ state: string; mapping_version: number }>(`SELECT state, mapping_version FROM remap_runs WHERE organization_id = $1 ORDER BY created_at`, [scim.orgId]),
    );
    expect(older.map((r) => r.state)).toEqual(['failed', 'failed', 'failed', 'pending']);
  });

  it('previews a proposed mapping for recent users and for a given SCIM body, saving nothing', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    const created = await scim.post('/Users', googleUser('pre@acme.example'));
    const body = { mapping: { title: 'public_metadata.title' }, expressions: { first_name: 'user.name.givenName.upperAscii()' } };
    const preview = await call(api, 'POST', `${mappings(scim.orgId)}/preview`, { body });
    expect(preview.status).toBe(200);
    expect(preview.body.data).toEqual([
      {
        user_id: created.body.id,
        current: expect.objectContaining({ first_name: 'Ana', public_metadata: {} }),
        proposed: expect.objectContaining({ first_name: 'ANA', public_metadata: { title: 'Account Executive' } }),
        changes: ['first_name', 'public_metadata.title'],
        errors: [],
      },
    ]);
    const given = await call(api, 'POST', `${mappings(scim.orgId)}/preview`, {
      body: { ...body, user: { schemas: [USER_SCHEMA], userName: 'x@acme.example', name: { givenName: 'Xi' }, title: 'CTO' } },
    });
    expect(given.body.data).toEqual([expect.objectContaining({ user_id: null, proposed: expect.objectContaining({ email_address: 'x@acme.example', first_name: 'XI' }) })]);
    const badUser = await call(api, 'POST', `${mappings(scim.orgId)}/preview`, { body: { ...body, mapping: { title: 'nope' }, user: { name: {} } } });
    expect(badUser.status).toBe(400);
    expect(badUser.body.error.details.map((d: { key: string }) => d.key)).toEqual(expect.arrayContaining(['mapping.title', 'user']));
    expect((await call(api, 'GET', mappings(scim.orgId))).body.version).toBe(0);
  });

  it('isolates tenants and requires the admin key on every route', async () => {
    const a = await ScimClient.forNewOrganization(api);
    const b = await ScimClient.forNewOrganization(api);
    const bUser = (await b.post('/Users', googleUser('b@acme.example'))).body;
    const bGroup = (await b.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'B', members: [{ value: bUser.id }] })).body;
    const saved = await call(api, 'PUT', mappings(b.orgId), { body: { default_role: 'b' } });
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/organizations/${a.orgId}/users/${bUser.id}`],
      ['GET', `/v1/organizations/${a.orgId}/groups/${bGroup.id}`],
      ['GET', `/v1/organizations/${a.orgId}/groups/${bGroup.id}/members`],
      ['GET', `${mappings(a.orgId)}/remaps/${saved.body.remap.id}`],
    ];
    for (const [method, path] of routes) {
      const res = await call(api, method, path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 404, 'not_found']);
    }
    expect((await call(api, 'GET', `/v1/organizations/${a.orgId}/users`)).body.data).toEqual([]);
    expect((await call(api, 'GET', `/v1/organizations/${a.orgId}/groups`)).body.data).toEqual([]);
    expect((await call(api, 'GET', mappings(a.orgId))).body.default_role).toBe('member');
    const missingOrg = '00000000-0000-4000-8000-000000000000';
    const all: [string, string, unknown?][] = [
      ['GET', mappings(b.orgId)],
      ['PUT', mappings(b.orgId), { default_role: 'x' }],
      ['GET', `${mappings(b.orgId)}/versions`],
      ['POST', `${mappings(b.orgId)}/preview`, {}],
      ['GET', `${mappings(b.orgId)}/remaps/${saved.body.remap.id}`],
      ['GET', `/v1/organizations/${b.orgId}/users`],
      ['GET', `/v1/organizations/${b.orgId}/users/${bUser.id}`],
      ['GET', `/v1/organizations/${b.orgId}/groups`],
      ['GET', `/v1/organizations/${b.orgId}/groups/${bGroup.id}`],
      ['GET', `/v1/organizations/${b.orgId}/groups/${bGroup.id}/members`],
    ];
    for (const [method, path, body] of all) {
      expect([path, (await call(api, method, path, { body, auth: null })).status]).toEqual([path, 401]);
      expect([path, (await call(api, method, path, { body, auth: b.token })).status]).toEqual([path, 401]);
      const other = path.replace(b.orgId, missingOrg);
      expect([other, (await call(api, method, other, { body })).status]).toEqual([other, 404]);
    }
    // A SCIM token of B does not reach B's mapping either (admin key only), and A's mapping is unchanged.
    expect((await call(api, 'GET', mappings(a.orgId))).body.version).toBe(0);
  });
});
