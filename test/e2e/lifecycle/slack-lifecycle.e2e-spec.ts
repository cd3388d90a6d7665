import type { ApiProcess } from '../../support/api-process';
import { GROUP_SCHEMA, PATCH_OP } from '../../support/scim-client';
import { type TestApi, call, eventually, startTestApi } from '../../support/test-api';
import { type SlackScimEmulator, startSlackScimEmulator } from '../../emulators/slack/slack-scim.emulator';
import { connect, deliveriesIn, firstRefusalAndNext, idpUser, recordAnswers, startLifecycleWorker } from './lifecycle-test.util';

const TOKEN = 'xoxp-lifecycle-token';
const SLACK_CONNECTION = (baseUrl: string, extra: Record<string, unknown> = {}) => ({ type: 'slack', name: 'Slack', config: { base_url: baseUrl }, credentials: { token: TOKEN }, ...extra });

/**
 * Issue 6 lifecycle into Slack through the real engine: the IdP's SCIM requests into the API, the
 * worker (its own process) converging the Slack SCIM v2 emulator, whose state is asserted.
 * Slack has no hard delete (downstream-apis.md §1.3): deprovision mode `delete` deactivates.
 */
describe('Lifecycle into Slack (SCIM v2) through the engine', () => {
  let api: TestApi;
  let worker: ApiProcess;
  let slack: SlackScimEmulator;

  beforeAll(async () => {
    [api, worker, slack] = await Promise.all([startTestApi(), startLifecycleWorker('lc_slack'), startSlackScimEmulator({ tokens: [TOKEN], limits: false })]);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await slack?.close();
  });
  afterEach(() => {
    slack.reset();
    slack.setLimits(false);
  });

  const slackUser = (email: string) => slack.users().find((u: any) => u.emails?.some((e: any) => e.value === email)) as any;
  const slackGroup = (name: string) => slack.groups().find((g: any) => g.displayName === name) as any;
  const memberIds = (name: string) => (slackGroup(name)?.members ?? []).map((m: any) => m.value);

  it('joiner, mover, leaver (deactivated, out of every managed group), re-hire before deletion', async () => {
    const { scim } = await connect(api, SLACK_CONNECTION(slack.baseUrl, { deprovision: { mode: 'delete', delete_after_days: 30 } }));
    // Joiner: account and groups.
    const ada = (await scim.post('/Users', idpUser('ada@slack.test', { given: 'Ada', family: 'King' }))).body;
    const eng = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: ada.id }] })).body;
    await eventually(() => {
      expect(slackUser('ada@slack.test')).toMatchObject({ active: true, name: { givenName: 'Ada', familyName: 'King' }, externalId: ada.id });
      expect(memberIds('Engineering')).toEqual([slackUser('ada@slack.test').id]);
    }, 20_000, 100);
    const slackId = slackUser('ada@slack.test').id;

    // Mover: attributes and a group change.
    await scim.patch(`/Users/${ada.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.familyName', value: 'Lovelace' }] });
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Analytical Engines', members: [{ value: ada.id }] });
    await scim.patch(`/Groups/${eng.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ada.id}"]` }] });
    await eventually(() => {
      expect(slackUser('ada@slack.test').name.familyName).toBe('Lovelace');
      expect(memberIds('Analytical Engines')).toEqual([slackId]);
      expect(memberIds('Engineering')).toEqual([]);
    }, 20_000, 100);

    // Leaver: deactivated at once (Slack's DELETE /Users/{id} = deactivate, which also ends her
    // sessions, §1.3) and removed from every group Delta manages; the account stays.
    await scim.patch(`/Users/${ada.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await eventually(() => {
      expect(slackUser('ada@slack.test').active).toBe(false);
      expect(memberIds('Analytical Engines')).toEqual([]);
    }, 20_000, 100);
    expect(slack.log.entries({ method: 'DELETE', path: `/scim/v2/Users/${slackId}` })).not.toHaveLength(0);

    // Re-hire before the 30 days are up: the same account, active again, back in her groups.
    await scim.patch(`/Users/${ada.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
    await eventually(() => {
      expect(slackUser('ada@slack.test').active).toBe(true);
      expect(memberIds('Analytical Engines')).toEqual([slackId]);
    }, 20_000, 100);
    expect(slack.users().filter((u: any) => u.emails?.some((e: any) => e.value === 'ada@slack.test'))).toHaveLength(1);
    expect(slackUser('ada@slack.test').id).toBe(slackId);
  });

  it('deletion after the retention period (0 days) deactivates: Slack has no hard delete', async () => {
    const { scim } = await connect(api, SLACK_CONNECTION(slack.baseUrl, { deprovision: { mode: 'delete', delete_after_days: 0 } }));
    const bob = (await scim.post('/Users', idpUser('bob@slack.test'))).body;
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: bob.id }] });
    await eventually(() => expect(memberIds('Ops')).toHaveLength(1), 20_000, 100);
    const before = slack.log.count({ method: 'DELETE' });
    await scim.delete(`/Users/${bob.id}`);
    // Deactivated, then "deleted" (deactivated again) at once: two DELETEs, the account is still listed.
    await eventually(() => expect(slack.log.count({ method: 'DELETE' }) - before).toBeGreaterThanOrEqual(2), 20_000, 100);
    expect(slackUser('bob@slack.test')).toMatchObject({ active: false });
    expect(memberIds('Ops')).toEqual([]);
    expect(slack.users()).toHaveLength(1);
  });

  it('links an account that already exists in Slack (matched by email) instead of duplicating it', async () => {
    const [existing] = slack.seed({ users: [{ userName: 'cleo', active: false, emails: [{ value: 'cleo@slack.test', primary: true }], name: { givenName: 'Old' } }] as any, groups: [] }).users;
    const { scim } = await connect(api, SLACK_CONNECTION(slack.baseUrl));
    await scim.post('/Users', idpUser('cleo@slack.test', { given: 'Cleo' }));
    await eventually(() => expect(slack.user(String(existing!.id))).toMatchObject({ active: true, name: { givenName: 'Cleo' } }), 20_000, 100);
    expect(slack.users()).toHaveLength(1);
    // A create may be tried first (Slack refuses the duplicate email with 409); it never creates a second account.
    expect(slack.log.entries({ method: 'POST', path: '/scim/v2/Users' }).filter((e) => e.status !== undefined && e.status < 300)).toHaveLength(0);
  });

  it("reaches Slack's rate limit, waits the Retry-After, and loses no change (30 users)", async () => {
    // A small org-wide write budget (ref §1.6 shape, scaled down): 429 + integer Retry-After.
    slack.setLimits({ windowMs: 1000, orgWrites: { limit: 10, burst: 5 }, orgReads: { limit: 1000, burst: 1000 } });
    const answers = recordAnswers(slack.server);
    const { scim, connection } = await connect(api, SLACK_CONNECTION(slack.baseUrl));
    const users = Array.from({ length: 30 }, (_, i) => `user${i}@slack.test`);
    const created = await Promise.all(users.map((email) => scim.post('/Users', idpUser(email, { family: `N${email.slice(4, -11)}` }))));
    expect(created.map((r) => r.status)).toEqual(users.map(() => 201));
    await eventually(() => {
      for (const email of users) expect(slackUser(email)).toMatchObject({ active: true, name: { familyName: `N${email.slice(4, -11)}` } });
    }, 30_000, 200);
    expect(slack.users()).toHaveLength(30);

    const { refusal, next } = firstRefusalAndNext(answers, slack.log.entries(), (a) => a.status === 429);
    const retryAfterMs = Number(refusal.headers['retry-after']) * 1000;
    expect(retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(next.time - refusal.at).toBeGreaterThanOrEqual(retryAfterMs - 5);
    expect(await deliveriesIn(api, scim.orgId, connection.id, 'dead')).toEqual([]);
  });

  it('a token Slack rejects marks the connection unhealthy with a message in words; test() says unauthorized', async () => {
    const { scim, connection } = await connect(api, { ...SLACK_CONNECTION(slack.baseUrl), credentials: { token: 'xoxp-revoked' } });
    await scim.post('/Users', idpUser('dan@slack.test'));
    await eventually(async () => {
      const read = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}`);
      expect(read.body).toMatchObject({ status: 'unhealthy', status_message: expect.stringMatching(/rejected the (credentials|token)/) });
    }, 20_000, 100);
    const test = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections/${connection.id}/test`);
    expect(test.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(slack.users()).toEqual([]);
  });
});
