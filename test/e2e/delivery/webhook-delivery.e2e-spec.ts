import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { ApiProcess, startProcess } from '../../support/api-process';
import { GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TEST_ENCRYPTION_KEY, TestApi, call, eventually, startTestApi } from '../../support/test-api';
import { ReceivedWebhook, WebhookReceiver, startWebhookReceiver } from '../../emulators/webhook/webhook-receiver.emulator';

/**
 * The fan-out engine end to end (issue 5): SCIM writes in the API, a separate worker process on
 * BullMQ/Redis, and a webhook receiver on loopback with fault injection. No change may be lost.
 */
describe('Webhook deliveries', () => {
  let api: TestApi;
  let worker: ApiProcess;
  const redisPrefix = `${process.env.DELTA_TEST_REDIS_PREFIX}_dlv_${randomBytes(3).toString('hex')}`;
  const workerEnv = {
    DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL!,
    REDIS_URL: process.env.DELTA_TEST_REDIS_URL!,
    REDIS_KEY_PREFIX: redisPrefix,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    DELIVERY_BACKOFF_BASE_MS: '200',
    // 8 attempts must outlast the outages the tests stage (a second or two, longer on a loaded machine).
    DELIVERY_BACKOFF_CAP_MS: '2500',
    DELIVERY_MAX_ATTEMPTS: '8',
    DELIVERY_LEASE_MS: '3000',
  };
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startProcess('apps/worker/src/main.js', workerEnv);
  });
  afterAll(async () => {
    await worker.stop();
    await api.close();
    for (const receiver of receivers) await receiver.close();
  });

  async function setup(options: Parameters<typeof startWebhookReceiver>[0] = {}) {
    const scim = await ScimClient.forNewOrganization(api);
    const receiver = await startWebhookReceiver(options);
    receivers.push(receiver);
    const created = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections`, {
      body: { type: 'webhook', name: 'Product', config: { url: `${receiver.url}/hooks` } },
    });
    expect(created.status).toBe(201);
    receiver.setSecret(created.body.signing_secret);
    return { scim, receiver, connection: created.body, secret: created.body.signing_secret as string };
  }

  const types = (events: ReceivedWebhook[]) => events.map((e) => (e.body as any).type);
  const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: userName, primary: true }],
    ...extra,
  });

  it('creates a webhook connection: generated secret shown once, never returned again', async () => {
    const { scim, connection, secret } = await setup();
    expect(secret).toMatch(/^whsec_/);
    expect(connection).toMatchObject({ type: 'webhook', name: 'Product', enabled: true, scope: null, deprovision: { mode: 'suspend' }, status: 'healthy' });
    expect(connection.rate_limit).toEqual({ requests_per_minute: 6000, burst: 100 });
    const read = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}`);
    expect(read.text).not.toContain(secret);
    expect(read.body.credentials).toBeUndefined();
    const list = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections`);
    expect(list.body).toMatchObject({ data: [{ id: connection.id }], next_cursor: null });
    expect(api.logs.text()).not.toContain(secret);
    const bad = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections`, { body: { type: 'carrier-pigeon', name: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    const badConfig = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections`, { body: { type: 'webhook', name: 'x', config: { url: 'ftp://x' } } });
    expect(badConfig.status).toBe(400);
  });

  it('delivers signed events in commit order for a user and a group', async () => {
    const { scim, receiver, secret } = await setup();
    const user = (await scim.post('/Users', newUser('ada@hooks.test'))).body;
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Augusta' }] });
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
    const group = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: user.id }] })).body;
    await scim.delete(`/Users/${user.id}`);

    await receiver.waitFor((e) => (e.body as any).type === 'user.deleted', 15_000).catch(async (error) => {
      const list = await call(api, 'GET', `/v1/organizations/${scim.orgId}/deliveries`);
      throw new Error(`${error}: received ${JSON.stringify(types(receiver.events()))}; deliveries ${JSON.stringify(list.body.data.map((d: any) => [d.event_type, d.state, d.attempts, d.last_error, d.next_attempt_at]))}`);
    });
    await receiver.waitFor((e) => (e.body as any).type === 'group.member_added', 15_000);
    const userEvents = receiver.events().filter((e) => ((e.body as any).data?.id ?? (e.body as any).data?.user?.id) === user.id && !(e.body as any).type.startsWith('group.'));
    expect(types(userEvents)).toEqual(['user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.deleted']);
    const [created, updated] = userEvents.map((e) => e.body as any);
    expect(created).toMatchObject({ type: 'user.created', organization_id: scim.orgId, data: { id: user.id, email_address: 'ada@hooks.test', first_name: 'Ada', active: true } });
    expect(updated.data.changes).toEqual(expect.arrayContaining([expect.stringMatching(/first_name|name/)]));
    const groupEvents = receiver.events().filter((e) => (e.body as any).type.startsWith('group.'));
    expect(types(groupEvents)).toEqual(['group.created', 'group.member_added']);
    expect((groupEvents[1]!.body as any).data).toEqual({ group: { id: group.id, display_name: 'Engineering' }, user: { id: user.id, email_address: 'ada@hooks.test' } });

    for (const event of receiver.events()) {
      expect(event.verified).toBe(true);
      expect((event.body as any).id).toBe(event.id);
      // The receiver's side: the standard library verifies what Delta signed.
      expect(() => new Webhook(secret).verify(event.rawBody, event.headers)).not.toThrow();
    }
  });

  it('retries 500s with backoff and records attempts; a retry keeps the event id', async () => {
    const { scim, receiver } = await setup();
    receiver.faults.next(2, { status: 500 });
    const user = (await scim.post('/Users', newUser('retry@hooks.test'))).body;
    const event = await receiver.waitFor((e) => (e.body as any).type === 'user.created', 15_000);
    const attempts = receiver.log.entries().filter((r) => r.headers['webhook-id'] === event.id);
    expect(attempts).toHaveLength(3);
    // Two refused attempts, then the one that went through: the same event, retried until acknowledged.
    await eventually(() => expect(attempts.map((a) => a.status)).toEqual([500, 500, 204]));
    await eventually(async () => {
      const list = await call(api, 'GET', `/v1/organizations/${scim.orgId}/deliveries?resource_id=${user.id}`);
      expect(list.body.data[0]).toMatchObject({ state: 'succeeded', attempts: 3, last_status: 204, resource_type: 'User', resource_id: user.id });
    });
  });

  it('obeys Retry-After: no call before it, the whole connection waits', async () => {
    const { scim, receiver, connection } = await setup();
    receiver.faults.next(1, { status: 429, headers: { 'retry-after': '2' } });
    await scim.post('/Users', newUser('limited@hooks.test'));
    await eventually(() => expect(receiver.log.entries()[0]?.status).toBe(429), 10_000);
    const refusedAt = receiver.log.entries()[0]!.time;
    // Another resource's change after the refusal: it waits for the same Retry-After.
    await scim.post('/Users', newUser('limited2@hooks.test'));
    const paused = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}`);
    expect(paused.body.status).toBe('paused');
    await receiver.waitFor((e) => (e.body as any).data?.email_address === 'limited2@hooks.test', 15_000);
    await receiver.waitFor((e) => (e.body as any).data?.email_address === 'limited@hooks.test', 15_000);
    const later = receiver.log.entries().slice(1);
    for (const request of later) expect(request.time - refusedAt).toBeGreaterThanOrEqual(1900);
  });

  it('retries any non-2xx answer, dead-letters after the last attempt, lists it, and replays it', async () => {
    const { scim, receiver, connection } = await setup();
    const rule = receiver.faults.always({ status: 400, body: { error: 'we do not like it' } });
    const user = (await scim.post('/Users', newUser('dead@hooks.test'))).body;
    let dead: any;
    await eventually(async () => {
      const list = await call(api, 'GET', `/v1/organizations/${scim.orgId}/deliveries?state=dead&connection_id=${connection.id}`);
      expect(list.body.data).toHaveLength(1);
      dead = list.body.data[0];
    }, 30_000);
    expect(dead).toMatchObject({ resource_id: user.id, state: 'dead', attempts: 8, last_status: 400, last_error: expect.stringContaining('400') });
    receiver.faults.remove(rule);
    const replay = await call(api, 'POST', `/v1/organizations/${scim.orgId}/deliveries/${dead.id}/retry`);
    expect(replay.status).toBe(202);
    await receiver.waitFor((e) => (e.body as any).type === 'user.created', 15_000);
    const bulk = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections/${connection.id}/deliveries/retry-failed`);
    expect(bulk.body).toEqual({ replayed: 0 });
  });

  it('survives a refused connection: delivered when the endpoint is back', async () => {
    const { scim, receiver } = await setup();
    await receiver.stop();
    await scim.post('/Users', newUser('offline@hooks.test'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await receiver.restart();
    await receiver.waitFor((e) => (e.body as any).data?.email_address === 'offline@hooks.test', 20_000);
  });

  it('marks a connection whose credentials are refused unhealthy, and resumes after PATCH', async () => {
    const { scim, receiver, connection } = await setup();
    receiver.setSecret(`whsec_${randomBytes(32).toString('base64')}`); // the receiver now rejects Delta's signature: 401
    await scim.post('/Users', newUser('unhealthy@hooks.test'));
    await eventually(async () => {
      const read = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}`);
      expect(read.body).toMatchObject({ status: 'unhealthy', status_message: expect.stringContaining('401') });
    }, 15_000);
    const requestsWhileUnhealthy = receiver.log.count();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.log.count()).toBe(requestsWhileUnhealthy); // not hammered
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    receiver.setSecret(secret);
    const patched = await call(api, 'PATCH', `/v1/organizations/${scim.orgId}/connections/${connection.id}`, { body: { credentials: { secret } } });
    expect(patched.body.status).toBe('healthy');
    const event = await receiver.waitFor((e) => e.verified && (e.body as any).data?.email_address === 'unhealthy@hooks.test', 15_000);
    expect(event.verified).toBe(true);
  });

  it("does not let one organization's failing endpoint slow another's", async () => {
    const failing = await setup();
    failing.receiver.faults.always({ delayMs: 3000, status: 500 });
    for (let i = 0; i < 20; i++) await failing.scim.post('/Users', newUser(`noisy${i}@hooks.test`));
    const healthy = await setup();
    const started = Date.now();
    await healthy.scim.post('/Users', newUser('quiet@hooks.test'));
    await healthy.receiver.waitFor((e) => (e.body as any).data?.email_address === 'quiet@hooks.test', 10_000);
    expect(Date.now() - started).toBeLessThan(2500);
    failing.receiver.faults.clear();
  });

  it('delivers everything after Redis loses every job (FLUSH of our keys)', async () => {
    const { scim, receiver } = await setup();
    await receiver.stop();
    for (let i = 0; i < 5; i++) await scim.post('/Users', newUser(`flushed${i}@hooks.test`));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const redis = new Redis(process.env.DELTA_TEST_REDIS_URL!);
    try {
      // Only this suite's keys: other test runs share the Redis server.
      const keys = await redis.keys(`${redisPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await receiver.restart();
    await eventually(() => {
      const emails = new Set(receiver.events().map((e) => (e.body as any).data?.email_address));
      for (let i = 0; i < 5; i++) expect(emails).toContain(`flushed${i}@hooks.test`);
    }, 30_000, 200);
  });

  it('delivers a change whose worker was killed mid-call after a restart (at least once, same id)', async () => {
    const { scim, receiver } = await setup();
    receiver.faults.next(1, { hang: true });
    await scim.post('/Users', newUser('killed@hooks.test'));
    await eventually(() => expect(receiver.log.count()).toBe(1), 10_000);
    const firstId = receiver.log.entries()[0]!.headers['webhook-id'];
    await worker.kill();
    worker = await startProcess('apps/worker/src/main.js', workerEnv);
    const event = await receiver.waitFor((e) => (e.body as any).data?.email_address === 'killed@hooks.test', 20_000);
    expect(event.id).toBe(firstId);
    expect(receiver.events().filter((e) => e.id === firstId)).toHaveLength(1);
  });

  it('keeps credentials out of the logs', async () => {
    const { secret } = await setup();
    expect(worker.output.join('\n')).not.toContain(secret);
    expect(api.logs.text()).not.toContain(secret);
  });

  it('resyncs every resource to one connection, with progress', async () => {
    const { scim, receiver, connection } = await setup();
    const user = (await scim.post('/Users', newUser('resync@hooks.test'))).body;
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Resynced', members: [{ value: user.id }] });
    await receiver.waitFor((e) => (e.body as any).type === 'group.member_added', 15_000);
    receiver.clearEvents();
    const started = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections/${connection.id}/resync`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ total: 2, connection_id: connection.id });
    await eventually(async () => {
      const progress = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}/resync`);
      expect(progress.body).toMatchObject({ state: 'done', total: 2, relayed: 2, pending_deliveries: 0 });
    }, 15_000);
    expect(types(receiver.events()).sort()).toEqual(['group.member_added', 'group.updated', 'user.updated']);
  });

  it("isolates tenants: another organization's connection ids are 404", async () => {
    const a = await setup();
    const b = await setup();
    for (const [method, path] of [
      ['GET', `/connections/${a.connection.id}`],
      ['PATCH', `/connections/${a.connection.id}`],
      ['DELETE', `/connections/${a.connection.id}`],
      ['POST', `/connections/${a.connection.id}/test`],
      ['POST', `/connections/${a.connection.id}/resync`],
      ['POST', `/connections/${a.connection.id}/deliveries/retry-failed`],
    ] as const) {
      const res = await call(api, method, `/v1/organizations/${b.scim.orgId}${path}`, method === 'PATCH' ? { body: { name: 'stolen' } } : {});
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const test = await call(api, 'POST', `/v1/organizations/${a.scim.orgId}/connections/${a.connection.id}/test`);
    expect(test.body).toEqual({ ok: true });
  });
});
