import { randomUUID } from 'node:crypto';
import type { AppConnector, DesiredGroup, DesiredUser } from '@delta/connectors/app-connector';
import { createGoogleConnector } from '@delta/connectors/google/google-workspace.connector';
import { SCOPES } from '../../emulators/google/google-emulator.state';
import { googleQuotaFault } from '../../emulators/google/google-quota.util';
import type { GoogleEmulator } from '../../emulators/google/google.emulator';
import { ADMIN, SA_EMAIL, serviceAccount, startSeededGoogle } from '../emulators/google-test.util';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USERS = '/admin/directory/v1/users';

/** Delta's view of a user as the engine hands it over (mapped fields + the stored SCIM user). */
function desiredUser(email: string, fields: { department?: string; title?: string; first?: string; last?: string; active?: boolean } = {}): DesiredUser {
  const [first, last] = [fields.first ?? 'Ann', fields.last ?? 'Lee'];
  return {
    id: randomUUID(),
    userName: email,
    externalId: `okta-${email}`,
    email,
    firstName: first,
    lastName: last,
    displayName: `${first} ${last}`,
    active: fields.active ?? true,
    scim: { userName: email, title: fields.title, [ENTERPRISE]: { department: fields.department } },
    profile: { email_address: email, first_name: first, last_name: last },
  };
}

const group = (displayName: string): DesiredGroup => ({ id: randomUUID(), displayName, externalId: null });

describe('Google Workspace connector over the real Google clients (reference §3)', () => {
  let google: GoogleEmulator;
  let sa: ReturnType<typeof serviceAccount>['json'];
  const connector = (config: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}, fetchImpl?: typeof fetch): AppConnector =>
    createGoogleConnector({
      organizationId: 'org-1',
      connectionId: 'conn-1',
      config: { base_url: google.url, domain: 'example.com', org_unit_map: { Engineering: '/Engineering', Sales: '/Sales', Marketing: '/Marketing' }, ...config },
      credentials: { service_account_json: JSON.stringify(sa), subject: ADMIN, ...credentials },
      fetch: fetchImpl,
    });
  const stored = (email: string) => google.state.findUser(email)!;

  beforeAll(async () => {
    ({ google, sa } = await startSeededGoogle({
      orgUnits: ['/Engineering', '/Sales'],
      policies: { 'projects/delta-prod': [{ role: 'roles/viewer', members: ['group:ops@example.com'] }] },
    }));
  });
  afterEach(() => google.reset());
  afterAll(() => google.close());

  it('test() passes with delegated credentials', async () => {
    await expect(connector().test()).resolves.toBeUndefined();
  });

  it('joiner: user inserted with OU from department, Delta id in externalIds; group created; member added', async () => {
    const google1 = connector();
    const ann = desiredUser('ann@example.com', { department: 'Engineering', title: 'Engineer' });
    const remote = await google1.createUser(ann);
    expect(remote).toMatchObject({ active: true, email: 'ann@example.com', externalId: ann.id });
    expect(stored('ann@example.com')).toMatchObject({
      id: remote.id,
      name: { givenName: 'Ann', familyName: 'Lee' },
      orgUnitPath: '/Engineering',
      externalIds: [{ type: 'custom', customType: 'delta', value: ann.id }],
      organizations: [expect.objectContaining({ department: 'Engineering', title: 'Engineer', primary: true })],
    });
    const insert = google.requests.last({ method: 'POST', path: USERS })!.body as { password: string };
    expect(insert.password).toMatch(/^[\x21-\x7e]{32}$/);
    expect(await google1.findUser({ externalId: ann.id })).toMatchObject({ id: remote.id });
    expect(await google1.findUser({ email: 'ann@example.com' })).toMatchObject({ id: remote.id });
    expect(await google1.findUser({ email: 'nobody@example.com' })).toBeUndefined();

    const eng = await google1.createGroup(group('Engineering Team'));
    expect(google.state.findGroup('engineering-team@example.com')).toMatchObject({ id: eng.id, name: 'Engineering Team' });
    await google1.addMembers(eng.id, [remote.id]);
    await google1.addMembers(eng.id, [remote.id]); // 409 "Member already exists." is success
    expect([...google.state.members.get(eng.id)!.keys()]).toEqual([remote.id]);
    expect(await google1.findGroup(group('Engineering Team'))).toMatchObject({ id: eng.id });
  });

  it('mover: attributes and OU change, group change, group rename keeps the address', async () => {
    const google1 = connector();
    const ann = desiredUser('ann@example.com', { department: 'Engineering' });
    const remote = await google1.createUser(ann);
    const [eng, sales] = [await google1.createGroup(group('Engineering')), await google1.createGroup(group('Sales'))];
    await google1.addMembers(eng.id, [remote.id]);

    await google1.updateUser(remote.id, { ...ann, lastName: 'Lee-Smith', profile: { ...ann.profile, last_name: 'Lee-Smith' }, scim: { title: 'AE', [ENTERPRISE]: { department: 'Sales' } } });
    expect(stored('ann@example.com')).toMatchObject({ name: { familyName: 'Lee-Smith' }, orgUnitPath: '/Sales', organizations: [expect.objectContaining({ department: 'Sales', title: 'AE' })] });
    await google1.removeMembers(eng.id, [remote.id]);
    await google1.removeMembers(eng.id, [remote.id]); // 404 is success
    await google1.addMembers(sales.id, [remote.id]);
    expect(google.state.members.get(eng.id)!.size).toBe(0);
    expect(google.state.members.get(sales.id)!.has(remote.id)).toBe(true);

    await google1.updateGroup(sales.id, { ...group('Sales EMEA') });
    expect(google.state.groups.get(sales.id)).toMatchObject({ name: 'Sales EMEA', email: 'sales@example.com' });
  });

  it('leaver: suspended, signed out, OAuth tokens revoked, removed from groups; re-hire unsuspends; delete', async () => {
    const google1 = connector();
    const ann = desiredUser('ann@example.com', { department: 'Engineering' });
    const remote = await google1.createUser(ann);
    const eng = await google1.createGroup(group('Engineering'));
    const handMade = google.state.addGroup('all-staff@example.com');
    await google1.addMembers(eng.id, [remote.id]);
    await google1.addMembers(handMade.id, [remote.id]);
    google.state.appTokens.set(remote.id, [
      { clientId: 'app-1', displayText: 'Slack', scopes: ['email'], anonymous: false, nativeApp: false },
      { clientId: 'app-2', displayText: 'Zoom', scopes: ['profile'], anonymous: false, nativeApp: true },
    ]);

    await google1.deactivateUser(remote.id);
    expect(stored('ann@example.com').suspended).toBe(true);
    expect(google.state.signOuts.get(remote.id)).toBe(1);
    expect(google.state.appTokens.get(remote.id)).toEqual([]);
    expect(google.state.members.get(eng.id)!.size + google.state.members.get(handMade.id)!.size).toBe(0);
    await expect(google1.deactivateUser(remote.id)).resolves.toBeUndefined();

    await google1.reactivateUser(remote.id, ann);
    expect(stored('ann@example.com').suspended).toBe(false);
    expect((await google1.listUsers()).items).toEqual(expect.arrayContaining([expect.objectContaining({ id: remote.id, active: true, externalId: ann.id })]));

    await google1.deleteUser(remote.id);
    expect(google.state.findUser('ann@example.com')).toBeUndefined();
    await expect(google1.deleteUser(remote.id)).resolves.toBeUndefined();
    await google1.deleteGroup(eng.id);
    await expect(google1.deleteGroup(eng.id)).resolves.toBeUndefined();
    expect(google.state.groups.has(eng.id)).toBe(false);
  });

  it('leaver with deprovision.remove_from_all_groups false keeps memberships Delta does not manage', async () => {
    const google1 = connector({ deprovision: { remove_from_all_groups: false } });
    const remote = await google1.createUser(desiredUser('ann@example.com'));
    const handMade = google.state.addGroup('all-staff@example.com');
    await google1.addMembers(handMade.id, [remote.id]);
    await google1.deactivateUser(remote.id);
    expect(google.state.members.get(handMade.id)!.has(remote.id)).toBe(true);
  });

  it('an account that already exists is linked, not duplicated; its group too', async () => {
    const existing = google.state.addUser('bob@example.com', { externalIds: [{ type: 'organization', value: 'HR-7' }] });
    const existingGroup = google.state.addGroup('engineering@example.com', { name: 'eng (old)' });
    const google1 = connector();
    const bob = desiredUser('bob@example.com', { first: 'Bob', last: 'Ross', department: 'Sales' });
    const remote = await google1.createUser(bob);
    expect(remote).toMatchObject({ id: existing.id, externalId: bob.id });
    expect([...google.state.users.values()].filter((u) => u.primaryEmail === 'bob@example.com')).toHaveLength(1);
    expect(stored('bob@example.com')).toMatchObject({
      orgUnitPath: '/Sales',
      name: { givenName: 'Bob', familyName: 'Ross' },
      externalIds: [{ type: 'organization', value: 'HR-7' }, { type: 'custom', customType: 'delta', value: bob.id }],
    });
    expect(await google1.createGroup(group('Engineering'))).toMatchObject({ id: existingGroup.id, displayName: 'Engineering' });
    expect(google.state.groups.size).toBe(1);
  });

  it('unknown org unit → permanent with a clear message', async () => {
    const google1 = connector();
    await expect(google1.createUser(desiredUser('ann@example.com', { department: 'Legal' }))).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('no Google organizational unit for "Legal"') });
    await expect(google1.createUser(desiredUser('ann@example.com', { department: 'Marketing' }))).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('organizational unit /Marketing does not exist'),
    });
  });

  it('quota exceeded → rate_limited with a wait, not hidden by the client retries', async () => {
    const google1 = connector();
    google.faults.next(1, googleQuotaFault('userRateLimitExceeded'), { method: 'POST', path: USERS });
    await expect(google1.createUser(desiredUser('ann@example.com'))).rejects.toMatchObject({ kind: 'rate_limited', status: 403, retryAfterMs: expect.any(Number) });
    expect(google.requests.count({ method: 'POST', path: USERS })).toBe(1);
    google.faults.next(1, googleQuotaFault('quotaExceeded'), { method: 'POST', path: USERS });
    await expect(google1.createUser(desiredUser('ann@example.com'))).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: expect.any(Number) });
    google.faults.next(1, googleQuotaFault('rateLimitExceeded'), { method: 'GET', path: USERS });
    await expect(google1.findUser({ externalId: 'x' })).rejects.toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(google.requests.count({ method: 'GET', path: USERS })).toBe(1);
    // A 503 on an idempotent GET is retried by gaxios itself (§3.3) and never reaches the engine.
    google.faults.next(1, googleQuotaFault('backendError'), { method: 'GET', path: USERS });
    await expect(google1.findUser({ externalId: 'x' })).resolves.toBeUndefined();
    expect(google.requests.count({ method: 'GET', path: USERS })).toBe(3);
    google.faults.next(1, googleQuotaFault('backendError'), { method: 'POST', path: USERS });
    await expect(google1.createUser(desiredUser('ann@example.com'))).rejects.toMatchObject({ kind: 'retryable', status: 503 });
  });

  it('real per-user quota bucket → rate_limited', async () => {
    const limited = await startSeededGoogle({ quotas: { perUserPerMinute: 1 } });
    try {
      const google1 = createGoogleConnector({
        organizationId: 'org-1',
        connectionId: 'conn-1',
        config: { base_url: limited.google.url },
        credentials: { service_account_json: limited.sa, subject: ADMIN },
      });
      await google1.listUsers();
      await expect(google1.listUsers()).rejects.toMatchObject({ kind: 'rate_limited', message: expect.stringContaining('userRateLimitExceeded') });
    } finally {
      await limited.google.close();
    }
  });

  it('missing delegation, a bad key or a non-admin subject → unauthorized with a clear message; test() fails', async () => {
    google.state.serviceAccounts.get(SA_EMAIL)!.delegatedScopes = [SCOPES.user, SCOPES.group];
    await expect(connector().test()).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.stringMatching(/domain-wide delegation is not granted for scope .*admin\.directory\.user\.security/),
    });
    google.reset();
    const stranger = { ...sa, private_key: serviceAccount().json.private_key };
    await expect(connector({}, { service_account_json: JSON.stringify(stranger) }).createUser(desiredUser('ann@example.com'))).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.stringContaining('invalid_grant'),
    });
    await expect(connector({}, { subject: 'nobody@example.com' }).test()).rejects.toMatchObject({ kind: 'unauthorized', message: expect.stringContaining('nobody@example.com') });
    expect(() => connector({}, { service_account_json: '{"client_email": "x"}' })).toThrow(expect.objectContaining({ kind: 'unauthorized' }));
    await expect(connector({}, { service_account_json: JSON.stringify({ ...sa, private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n' }) }).test()).rejects.toMatchObject({
      kind: 'unauthorized',
    });
  });
});
