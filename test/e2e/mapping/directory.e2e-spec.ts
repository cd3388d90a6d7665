import { GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TestApi, call, startTestApi } from '../../support/test-api';

/** The product's read API: users with mapped fields, filters and keyset pages; groups and members. */
describe('/v1 users and groups', () => {
  let api: TestApi;
  let scim: ScimClient;
  const users: { id: string; userName: string }[] = [];
  let engineering: string;
  beforeAll(async () => {
    api = await startTestApi();
    scim = await ScimClient.forNewOrganization(api);
    for (let i = 1; i <= 5; i++) {
      const userName = `User${i}@Acme.example`;
      const res = await scim.post('/Users', { schemas: [USER_SCHEMA], userName, externalId: `x-${i}`, active: i !== 3, name: { givenName: `G${i}`, familyName: `F${i}` } });
      users.push({ id: res.body.id, userName });
    }
    const sub = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Platform', members: [{ value: users[0]!.id }] });
    engineering = (
      await scim.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Engineering',
        externalId: 'eng',
        members: [{ value: users[0]!.id }, { value: users[1]!.id }, { value: users[2]!.id }, { value: sub.body.id }],
      })
    ).body.id;
  });
  afterAll(() => api.close());

  const path = (rest: string) => `/v1/organizations/${scim.orgId}${rest}`;

  it('lists users in creation order, paged with a cursor', async () => {
    const first = await call(api, 'GET', path('/users?limit=2'));
    expect(first.status).toBe(200);
    expect(first.body.data.map((u: { id: string }) => u.id)).toEqual([users[0]!.id, users[1]!.id]);
    const rest: string[] = [];
    let cursor = first.body.next_cursor;
    while (cursor) {
      const page = await call(api, 'GET', path(`/users?limit=2&cursor=${cursor}`));
      rest.push(...page.body.data.map((u: { id: string }) => u.id));
      cursor = page.body.next_cursor;
    }
    expect(rest).toEqual(users.slice(2).map((u) => u.id));
    expect((await call(api, 'GET', path('/users?limit=0'))).status).toBe(400);
    expect((await call(api, 'GET', path('/users?cursor=nope'))).status).toBe(400);
  });

  it('filters by email_address (case-insensitive), external_id, active and updated_since', async () => {
    const byEmail = await call(api, 'GET', path('/users?email_address=user2@ACME.example'));
    expect(byEmail.body.data).toEqual([expect.objectContaining({ id: users[1]!.id, email_address: 'User2@Acme.example', first_name: 'G2', last_name: 'F2' })]);
    expect((await call(api, 'GET', path('/users?external_id=x-4'))).body.data.map((u: { id: string }) => u.id)).toEqual([users[3]!.id]);
    expect((await call(api, 'GET', path('/users?active=false'))).body.data.map((u: { id: string }) => u.id)).toEqual([users[2]!.id]);
    expect((await call(api, 'GET', path('/users?active=true'))).body.data).toHaveLength(4);
    const since = new Date().toISOString();
    await scim.patch(`/Users/${users[4]!.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Changed' }] });
    const updated = await call(api, 'GET', path(`/users?updated_since=${encodeURIComponent(since)}`));
    expect(updated.body.data).toEqual([expect.objectContaining({ id: users[4]!.id, first_name: 'Changed' })]);
    expect((await call(api, 'GET', path('/users?active=maybe'))).status).toBe(400);
    expect((await call(api, 'GET', path('/users?updated_since=yesterday'))).status).toBe(400);
  });

  it('shows one user with its groups, direct and nested', async () => {
    const user = await call(api, 'GET', path(`/users/${users[0]!.id}`));
    expect(user.status).toBe(200);
    expect(Object.keys(user.body).sort()).toEqual(
      ['active', 'created_at', 'email_address', 'external_id', 'first_name', 'groups', 'id', 'last_name', 'organization_role', 'private_metadata', 'public_metadata', 'updated_at'].sort(),
    );
    expect(user.body.groups.map((g: { display_name: string }) => g.display_name).sort()).toEqual(['Engineering', 'Platform']);
    expect((await call(api, 'GET', path('/users/not-a-uuid'))).status).toBe(404);
    expect((await call(api, 'GET', path('/users/00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('lists groups and shows one with its member count and paged members', async () => {
    const groups = await call(api, 'GET', path('/groups'));
    expect(groups.body.data.map((g: { display_name: string }) => g.display_name)).toEqual(['Platform', 'Engineering']);
    const group = await call(api, 'GET', path(`/groups/${engineering}`));
    expect(group.body).toEqual({ id: engineering, display_name: 'Engineering', external_id: 'eng', member_count: 4, created_at: expect.any(String), updated_at: expect.any(String) });
    const members: any[] = [];
    let cursor: string | null = '';
    do {
      const page: any = await call(api, 'GET', path(`/groups/${engineering}/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.status).toBe(200);
      members.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(members).toHaveLength(4);
    expect(members.filter((m) => m.type === 'user').map((m) => m.id).sort()).toEqual(users.slice(0, 3).map((u) => u.id).sort());
    expect(members.find((m) => m.type === 'group')).toMatchObject({ display_name: 'Platform' });
    expect(members.find((m) => m.id === users[0]!.id)).toMatchObject({ email_address: 'User1@Acme.example', organization_role: 'member' });
  });
});
