import { ScimClient } from '../../support/scim-client';
import { TestApi, call, eventually, startTestApi } from '../../support/test-api';
import { seedUsers, startTestWorker } from './mapping-test.util';

/** Background re-mapping after a mapping change: progress, events only for changed users, resumption. */
describe('attribute mapping remap', () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  const mappings = (orgId: string) => `/v1/organizations/${orgId}/scim/attribute-mappings`;

  it('re-maps 10,000 users with progress visible until succeeded, emitting updates only for changed profiles', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    await seedUsers(api, scim.orgId, 10_000, { titleEvery: 5 });
    const saved = await call(api, 'PUT', mappings(scim.orgId), { body: { mapping: { title: 'public_metadata.title' } } });
    expect(saved.status).toBe(200);
    expect(saved.body.remap).toMatchObject({ state: 'pending', processed: 0, total: 10_000, mapping_version: 1 });
    const started = Date.now();
    const seen: { state: string; processed: number }[] = [];
    await eventually(
      async () => {
        const progress = (await call(api, 'GET', mappings(scim.orgId))).body.remap;
        seen.push({ state: progress.state, processed: progress.processed });
        expect(progress.state).toBe('succeeded');
      },
      25_000,
      25,
    );
    const seconds = (Date.now() - started) / 1000;
    const run = (await call(api, 'GET', `${mappings(scim.orgId)}/remaps/${saved.body.remap.id}`)).body;
    expect(run).toMatchObject({ state: 'succeeded', processed: 10_000, total: 10_000, changed: 2_000, error: null, finished_at: expect.any(String) });
    // Progress only moves forward, and was observable before the end.
    const processed = seen.map((s) => s.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(seen.some((s) => s.state !== 'succeeded')).toBe(true);
    process.stdout.write(`remap of 10,000 users: ${seconds.toFixed(2)} s (${Math.round(10_000 / seconds)} users/s); progress seen: ${JSON.stringify(seen.slice(0, 40))}\n`);

    const outbox = await api.db.database.system((tx) =>
      tx.query<{ n: number; changes: any }>(
        `SELECT count(*)::int AS n, changes FROM outbox WHERE organization_id = $1 AND resource_type = 'User' GROUP BY changes`,
        [scim.orgId],
      ),
    );
    expect(outbox).toEqual([{ n: 2_000, changes: { operation: 'updated', changedAttributes: [], profileChanges: ['public_metadata.title'] } }]);
    const titled = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users?email_address=USER-000005@seed.example`);
    expect(titled.body.data[0].public_metadata).toEqual({ title: 'Title 5' });
  }, 40_000);

  it('resumes an interrupted run from its committed cursor', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    await seedUsers(api, scim.orgId, 1_200, { profile: 'empty' });
    const ids = await api.db.database.tenant({ organizationId: scim.orgId }, (tx) =>
      tx.query<{ id: string }>(`SELECT id FROM users WHERE organization_id = $1 ORDER BY id`, [scim.orgId]),
    );
    const cursor = ids[499]!.id;
    // A run a worker died in after its first batch: running, lease expired.
    const [run] = await api.db.database.tenant({ organizationId: scim.orgId }, (tx) =>
      tx.query<{ id: string }>(
        `INSERT INTO remap_runs (organization_id, mapping_version, state, processed, total, cursor, lease_until)
         VALUES ($1, 0, 'running', 500, 1200, $2, now() - interval '1 minute') RETURNING id`,
        [scim.orgId, cursor],
      ),
    );
    const restarted = await startTestWorker(api);
    try {
      await eventually(async () => {
        const progress = (await call(api, 'GET', `${mappings(scim.orgId)}/remaps/${run!.id}`)).body;
        expect(progress).toMatchObject({ state: 'succeeded', processed: 1_200 });
      }, 15_000);
    } finally {
      await restarted.close();
    }
    const mapped = await api.db.database.tenant({ organizationId: scim.orgId }, (tx) =>
      tx.query<{ before: number; after: number }>(
        `SELECT count(*) FILTER (WHERE id <= $2 AND profile <> '{}')::int AS before, count(*) FILTER (WHERE id > $2 AND profile <> '{}')::int AS after
         FROM users WHERE organization_id = $1`,
        [scim.orgId, cursor],
      ),
    );
    // Users before the cursor were the dead worker's batch (not redone); the rest were mapped, silently (first mapping).
    expect(mapped[0]).toEqual({ before: 0, after: 700 });
    const events = await api.db.database.system((tx) => tx.query(`SELECT 1 FROM outbox WHERE organization_id = $1`, [scim.orgId]));
    expect(events).toHaveLength(0);
  });

  it('lets a newer mapping version supersede a running remap', async () => {
    const scim = await ScimClient.forNewOrganization(api);
    await seedUsers(api, scim.orgId, 3_000);
    const first = await call(api, 'PUT', mappings(scim.orgId), { body: { mapping: { title: 'public_metadata.title' } } });
    const second = await call(api, 'PUT', mappings(scim.orgId), { body: { default_role: 'viewer' } });
    await eventually(async () => {
      expect((await call(api, 'GET', `${mappings(scim.orgId)}/remaps/${second.body.remap.id}`)).body).toMatchObject({ state: 'succeeded', processed: 3_000, changed: 3_000 });
    }, 20_000);
    const old = (await call(api, 'GET', `${mappings(scim.orgId)}/remaps/${first.body.remap.id}`)).body;
    expect(old.state).toBe('failed');
    expect(old.error).toMatch(/superseded/);
    const user = await call(api, 'GET', `/v1/organizations/${scim.orgId}/users?limit=1`);
    expect(user.body.data[0].organization_role).toBe('viewer');
  });
});
