import type { ApiProcess } from '../../support/api-process';
import { GROUP_SCHEMA, PATCH_OP, ENTERPRISE } from '../../support/scim-client';
import { type TestApi, call, eventually, startTestApi } from '../../support/test-api';
import type { GoogleEmulator } from '../../emulators/google/google.emulator';
import { ADMIN, serviceAccount, startSeededGoogle } from '../emulators/google-test.util';
import { connect, deliveriesIn, firstRefusalAndNext, idpUser, recordAnswers, startLifecycleWorker } from './lifecycle-test.util';

const USERS = '/admin/directory/v1/users';
const OTHER_WRITER = { role: 'roles/viewer', members: ['group:ops@example.com'] };

/**
 * Issue 6 lifecycle into Google Workspace through the real engine: the IdP's SCIM requests into
 * the API, the worker converging the Google emulator (Directory API, OAuth token endpoint, CRM
 * IAM) with the official clients pointed at it by `config.base_url`, the emulator's state asserted.
 */
describe('Lifecycle into Google Workspace through the engine', () => {
  let api: TestApi;
  let worker: ApiProcess;
  let google: GoogleEmulator;
  let sa: Record<string, unknown>;

  const googleConnection = (extra: { config?: Record<string, unknown>; credentials?: Record<string, unknown>; deprovision?: Record<string, unknown> } = {}, emulator = () => ({ google, sa })) => ({
    type: 'google',
    name: 'Google Workspace',
    config: { base_url: emulator().google.url, domain: 'example.com', org_unit_map: { Engineering: '/Engineering', Sales: '/Sales' }, ...extra.config },
    credentials: { service_account_json: JSON.stringify(emulator().sa), subject: ADMIN, ...extra.credentials },
    ...(extra.deprovision ? { deprovision: extra.deprovision } : {}),
  });

  beforeAll(async () => {
    const started = await Promise.all([
      startTestApi(),
      startLifecycleWorker('lc_google'),
      startSeededGoogle({ orgUnits: ['/Engineering', '/Sales'], policies: { 'projects/delta-prod': [OTHER_WRITER] } }),
    ]);
    [api, worker] = started;
    ({ google, sa } = started[2]);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await google?.close();
  });
  afterEach(() => google.reset());

  const googleUser = (email: string) => google.state.findUser(email);
  const googleGroup = (email: string) => google.state.findGroup(email);
  const memberIds = (email: string) => [...(google.state.members.get(googleGroup(email)?.id ?? '')?.keys() ?? [])];

  it('joiner (OU from department, groups), mover (attributes, OU, groups), leaver (suspended, signed out, tokens revoked, out of groups), re-hire', async () => {
    const { scim } = await connect(api, googleConnection({ deprovision: { mode: 'delete', delete_after_days: 30 } }));
    const ann = (await scim.post('/Users', idpUser('ann@example.com', { given: 'Ann', family: 'Lee', department: 'Engineering', title: 'Engineer' }))).body;
    const eng = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: ann.id }] })).body;
    await eventually(() => {
      expect(googleUser('ann@example.com')).toMatchObject({
        suspended: false,
        name: { givenName: 'Ann', familyName: 'Lee' },
        orgUnitPath: '/Engineering',
        externalIds: [{ type: 'custom', customType: 'delta', value: ann.id }],
      });
      expect(memberIds('engineering@example.com')).toEqual([googleUser('ann@example.com')!.id]);
    }, 20_000, 100);
    const remoteId = googleUser('ann@example.com')!.id;

    // Mover: last name and department (so the OU), and a new group instead of the old one.
    await scim.patch(`/Users/${ann.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'name.familyName', value: 'Lee-Smith' },
        { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
      ],
    });
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Sales', members: [{ value: ann.id }] });
    await scim.patch(`/Groups/${eng.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ann.id}"]` }] });
    await eventually(() => {
      expect(googleUser('ann@example.com')).toMatchObject({ name: { familyName: 'Lee-Smith' }, orgUnitPath: '/Sales' });
      expect(memberIds('sales@example.com')).toEqual([remoteId]);
      expect(memberIds('engineering@example.com')).toEqual([]);
    }, 20_000, 100);

    // Leaver: suspended at once, sessions ended, third-party OAuth grants revoked, out of her groups.
    google.state.appTokens.set(remoteId, [
      { clientId: 'slack-app', displayText: 'Slack', scopes: ['email'], anonymous: false, nativeApp: false },
      { clientId: 'zoom-app', displayText: 'Zoom', scopes: ['profile'], anonymous: false, nativeApp: true },
    ]);
    await scim.patch(`/Users/${ann.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await eventually(() => {
      expect(googleUser('ann@example.com')!.suspended).toBe(true);
      expect(google.state.signOuts.get(remoteId)).toBeGreaterThanOrEqual(1);
      expect(google.state.appTokens.get(remoteId)).toEqual([]);
      expect(memberIds('sales@example.com')).toEqual([]);
    }, 20_000, 100);

    // Re-hire before the 30 days: the same account unsuspended, back in Sales.
    await scim.patch(`/Users/${ann.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
    await eventually(() => {
      expect(googleUser('ann@example.com')).toMatchObject({ id: remoteId, suspended: false });
      expect(memberIds('sales@example.com')).toEqual([remoteId]);
    }, 20_000, 100);
    expect([...google.state.users.values()].filter((u) => u.primaryEmail === 'ann@example.com')).toHaveLength(1);
  });

  it('deletes the account after the retention period (deprovision mode delete, 0 days)', async () => {
    const { scim } = await connect(api, googleConnection({ deprovision: { mode: 'delete', delete_after_days: 0 } }));
    const bo = (await scim.post('/Users', idpUser('bo@example.com'))).body;
    await eventually(() => expect(googleUser('bo@example.com')).toBeDefined(), 20_000, 100);
    await scim.delete(`/Users/${bo.id}`);
    await eventually(() => expect(googleUser('bo@example.com')).toBeUndefined(), 20_000, 100);
    expect(google.requests.count({ method: 'DELETE', path: new RegExp(`^${USERS}/\\d+$`) })).toBe(1);
  });

  it('links an account that already exists in Workspace instead of duplicating it', async () => {
    const existing = google.state.addUser('cy@example.com', { name: { givenName: 'Old', familyName: 'Name' } });
    const { scim } = await connect(api, googleConnection());
    await scim.post('/Users', idpUser('cy@example.com', { given: 'Cy', family: 'Twombly', department: 'Sales' }));
    await eventually(() => expect(googleUser('cy@example.com')).toMatchObject({ id: existing.id, name: { givenName: 'Cy', familyName: 'Twombly' }, orgUnitPath: '/Sales' }), 20_000, 100);
    expect([...google.state.users.values()].filter((u) => u.primaryEmail === 'cy@example.com')).toHaveLength(1);
    // A create may be tried first (Google refuses the duplicate with 409); it never creates a second account.
    expect(google.requests.entries({ method: 'POST', path: USERS }).filter((e) => e.status !== undefined && e.status < 300)).toHaveLength(0);
  });

  it('a group with config.iam.bindings grants its role on the project, keeping the bindings Delta did not make', async () => {
    const { scim } = await connect(api, googleConnection({ config: { iam: { bindings: [{ group: 'Platform', project: 'delta-prod', role: 'roles/editor' }] } } }));
    const dee = (await scim.post('/Users', idpUser('dee@example.com'))).body;
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Platform', members: [{ value: dee.id }] });
    await eventually(() => {
      expect(google.state.policies.get('projects/delta-prod')!.bindings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ role: 'roles/editor', members: ['group:platform@example.com'] }),
          expect.objectContaining(OTHER_WRITER),
        ]),
      );
      expect(memberIds('platform@example.com')).toEqual([googleUser('dee@example.com')!.id]);
    }, 20_000, 100);
  });

  it('reaches the per-user query quota, waits before calling again, and loses no change (120 users)', async () => {
    // The documented per-user-per-minute quota (§3.1), scaled down; the refusal is 403
    // userRateLimitExceeded without Retry-After, for which the connector waits a quarter minute.
    const limited = await startSeededGoogle({ orgUnits: ['/Engineering', '/Sales'], quotas: { perUserPerMinute: 100 } });
    try {
      const answers = recordAnswers(limited.google.server.server);
      // The emulated minute passes as soon as the quota bites; the engine still has to wait.
      let minutePassed = false;
      limited.google.requests.on('answered', (e: { status?: number }) => {
        if (e.status !== 403 || minutePassed) return;
        minutePassed = true;
        limited.google.clock.advance(60_000);
      });
      const { scim, connection } = await connect(api, googleConnection({}, () => limited));
      // Enough joiners (one create call each) to pass the emulated 100/min quota.
      const emails = Array.from({ length: 120 }, (_, i) => `u${i}@example.com`);
      const created = await Promise.all(emails.map((email, i) => scim.post('/Users', idpUser(email, { family: `N${i}` }))));
      expect(created.map((r) => r.status)).toEqual(emails.map(() => 201));
      await eventually(() => {
        emails.forEach((email, i) => expect(limited.google.state.findUser(email)).toMatchObject({ suspended: false, name: { familyName: `N${i}` } }));
      }, 35_000, 200);
      const { refusal, next } = firstRefusalAndNext(answers, limited.google.requests.entries(), (a) => a.status === 403);
      expect(next.time - refusal.at).toBeGreaterThanOrEqual(15_000);
      expect(answers.filter((a) => a.status === 403)).toHaveLength(1);
      expect(await deliveriesIn(api, scim.orgId, connection.id, 'dead')).toEqual([]);
    } finally {
      await limited.google.close();
    }
  }, 60_000);

  it('a key Google does not accept marks the connection unhealthy with a message in words; test() says unauthorized', async () => {
    const stranger = { ...sa, private_key: serviceAccount().json.private_key };
    const { scim, connection } = await connect(api, googleConnection({ credentials: { service_account_json: JSON.stringify(stranger) } }));
    await scim.post('/Users', idpUser('eve@example.com'));
    await eventually(async () => {
      const read = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}`);
      expect(read.body).toMatchObject({ status: 'unhealthy', status_message: expect.stringMatching(/rejected the credentials.*signed token request/) });
    }, 20_000, 100);
    const test = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections/${connection.id}/test`);
    expect(test.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(googleUser('eve@example.com')).toBeUndefined();
  });
});
