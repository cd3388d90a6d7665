import { randomBytes } from 'node:crypto';
import { ApiProcess, startProcess } from '../../support/api-process';
import { GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TEST_ENCRYPTION_KEY, TestApi, call, eventually, startTestApi } from '../../support/test-api';
import { ScimAppEmulator, startScimAppEmulator } from '../../emulators/scim/scim-app.emulator';

/**
 * Joiner, mover, leaver through the real engine into a SCIM app (issue 6 lifecycle, issue 5
 * convergence): the IdP's SCIM requests in, the worker converging the app, the emulator's state
 * asserted. Also: an existing account is linked not duplicated, bursts coalesce, scope applies.
 */
describe('Lifecycle into a SCIM app', () => {
  let api: TestApi;
  let worker: ApiProcess;
  let app: ScimAppEmulator;
  const token = 'scim-app-token';

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startProcess('apps/worker/src/main.js', {
      DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL!,
      REDIS_URL: process.env.DELTA_TEST_REDIS_URL!,
      REDIS_KEY_PREFIX: `${process.env.DELTA_TEST_REDIS_PREFIX}_lc_${randomBytes(3).toString('hex')}`,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DELIVERY_BACKOFF_BASE_MS: '200',
      DELIVERY_BACKOFF_CAP_MS: '1000',
    });
    app = await startScimAppEmulator({ tokens: [token] });
  });
  afterAll(async () => {
    await worker.stop();
    await api.close();
    await app.close();
  });
  beforeEach(() => app.reset());

  async function connect(extra: Record<string, unknown> = {}) {
    const scim = await ScimClient.forNewOrganization(api);
    const res = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections`, {
      body: { type: 'scim', name: 'SCIM app', config: { base_url: app.baseUrl }, credentials: { token }, rate_limit: { requests_per_minute: 6000, burst: 100 }, ...extra },
    });
    expect(res.status).toBe(201);
    return { scim, connection: res.body };
  }

  const appUser = (userName: string) => app.users().find((u: any) => String(u.userName).toLowerCase() === userName.toLowerCase()) as any;
  const appGroup = (name: string) => app.groups().find((g: any) => g.displayName === name) as any;
  const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ value: userName, type: 'work', primary: true }],
    ...extra,
  });

  it('joiner: account and group membership; mover: attributes and groups; leaver: deactivated and removed', async () => {
    const { scim } = await connect();
    const user = (await scim.post('/Users', newUser('grace@lc.test'))).body;
    const eng = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: user.id }] })).body;
    await eventually(() => {
      expect(appUser('grace@lc.test')).toMatchObject({ active: true, name: { givenName: 'Grace', familyName: 'Hopper' } });
      expect(appGroup('Engineering')?.members?.map((m: any) => m.value)).toEqual([appUser('grace@lc.test').id]);
    }, 20_000, 100);

    // Mover: new name, new group.
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.familyName', value: 'Murray' }] });
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Navy', members: [{ value: user.id }] });
    await scim.patch(`/Groups/${eng.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user.id}"]` }] });
    await eventually(() => {
      expect(appUser('grace@lc.test').name.familyName).toBe('Murray');
      expect(appGroup('Navy')?.members?.map((m: any) => m.value)).toEqual([appUser('grace@lc.test').id]);
      expect(appGroup('Engineering')?.members ?? []).toEqual([]);
    }, 20_000, 100);

    // Leaver: deactivated in the app at once and out of every group Delta manages there.
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await eventually(() => {
      expect(appUser('grace@lc.test').active).toBe(false);
      expect(appGroup('Navy')?.members ?? []).toEqual([]);
    }, 20_000, 100);

    // Re-hire before deletion: reactivated, back in the groups she is in.
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
    await eventually(() => {
      expect(appUser('grace@lc.test').active).toBe(true);
      expect(appGroup('Navy')?.members?.map((m: any) => m.value)).toEqual([appUser('grace@lc.test').id]);
    }, 20_000, 100);
    expect(app.users().filter((u: any) => u.userName === 'grace@lc.test')).toHaveLength(1);
  });

  it('links an account that already exists in the app instead of duplicating it', async () => {
    app.seed({ users: [{ userName: 'existing@lc.test', active: true, name: { givenName: 'Old' }, emails: [{ value: 'existing@lc.test', primary: true }] }] as any, groups: [] });
    const { scim } = await connect();
    await scim.post('/Users', newUser('existing@lc.test'));
    await eventually(() => expect(appUser('existing@lc.test').name.givenName).toBe('Grace'), 20_000, 100);
    expect(app.users().filter((u: any) => u.userName === 'existing@lc.test')).toHaveLength(1);
  });

  it('coalesces a burst of 50 changes to one user into a few calls', async () => {
    const { scim, connection } = await connect();
    const user = (await scim.post('/Users', newUser('burst@lc.test'))).body;
    await eventually(() => expect(appUser('burst@lc.test')).toBeDefined(), 20_000, 100);
    const before = app.log.count();
    for (let i = 0; i < 50; i++) {
      await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `Title ${i}` }] });
    }
    await eventually(async () => {
      const list = await call(api, 'GET', `/v1/organizations/${scim.orgId}/deliveries?connection_id=${connection.id}&resource_id=${user.id}`);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0].state).toBe('succeeded');
    }, 20_000, 100);
    // One converging delivery per resource: far fewer calls than changes.
    expect(app.log.count() - before).toBeLessThan(50);
  });

  it('honours a group scope: only members of the scoped group are provisioned; leaving the scope deprovisions', async () => {
    const { scim } = await connect({ scope: { groups: ['Contractors'] } });
    const inside = (await scim.post('/Users', newUser('in@lc.test'))).body;
    await scim.post('/Users', newUser('out@lc.test'));
    const group = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Contractors', members: [{ value: inside.id }] })).body;
    await eventually(() => expect(appUser('in@lc.test')?.active).toBe(true), 20_000, 100);
    expect(appUser('out@lc.test')).toBeUndefined();
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${inside.id}"]` }] });
    await eventually(() => expect(appUser('in@lc.test').active).toBe(false), 20_000, 100);
  });

  it('deletes after the retention period with deprovision mode delete (0 days)', async () => {
    const { scim } = await connect({ deprovision: { mode: 'delete', delete_after_days: 0 } });
    const user = (await scim.post('/Users', newUser('gone@lc.test'))).body;
    await eventually(() => expect(appUser('gone@lc.test')).toBeDefined(), 20_000, 100);
    await scim.delete(`/Users/${user.id}`);
    await eventually(() => expect(appUser('gone@lc.test')).toBeUndefined(), 20_000, 100);
  });

  it('marks the connection unhealthy when the app refuses its token', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    const res = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections`, {
      body: { type: 'scim', name: 'Wrong token', config: { base_url: app.baseUrl }, credentials: { token: 'wrong' } },
    });
    await scim.post('/Users', newUser('refused@lc.test'));
    await eventually(async () => {
      const read = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${res.body.id}`);
      expect(read.body).toMatchObject({ status: 'unhealthy', status_message: expect.stringMatching(/credentials|401/) });
    }, 20_000, 100);
    const test = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections/${res.body.id}/test`);
    expect(test.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
