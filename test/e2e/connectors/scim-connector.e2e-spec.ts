import type { AppConnector, DesiredUser } from '../../../libs/connectors/src/app-connector';
import { ConnectorError } from '../../../libs/connectors/src/connector-error';
import { createScimConnector } from '../../../libs/connectors/src/scim/scim.connector';
import { startScimAppEmulator, type ScimAppEmulator } from '../../emulators/scim/scim-app.emulator';

const TOKEN = 'scim-connector-test';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function person(name: string, over: Partial<DesiredUser> = {}): DesiredUser {
  const email = `${name}@example.com`;
  const first = name[0]!.toUpperCase() + name.slice(1);
  return {
    id: `delta-${name}`,
    userName: `${name}@idp.example`,
    externalId: `idp-${name}`,
    email,
    firstName: first,
    lastName: 'Tester',
    displayName: `${first} Tester`,
    active: true,
    scim: { userName: `${name}@idp.example`, displayName: `${first} Tester`, [ENTERPRISE]: { department: 'Finance' } },
    profile: { email_address: email, first_name: first, last_name: 'Tester', public_metadata: { cost_center: 'CC-7' } },
    ...over,
  };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

/** The generic SCIM connector against the RFC 7644 app emulator over HTTP. */
describe('SCIM connector', () => {
  let app: ScimAppEmulator;
  const connect = (config: Record<string, unknown> = {}, token = TOKEN): AppConnector =>
    createScimConnector({ organizationId: 'org-1', connectionId: 'conn-1', config: { base_url: app.baseUrl, ...config }, credentials: { token } });

  beforeAll(async () => {
    app = await startScimAppEmulator({ tokens: [TOKEN] });
  });
  afterEach(() => {
    app.reset();
    app.setRateLimit(undefined);
  });
  afterAll(() => app.close());

  it('requires base_url and a token, and validates update_method', () => {
    const settings = { organizationId: 'o', connectionId: 'c', credentials: { token: TOKEN } };
    expect(() => createScimConnector({ ...settings, config: {} })).toThrow(/config.base_url is required/);
    expect(() => createScimConnector({ ...settings, config: { base_url: 'https://x.test', update_method: 'post' } })).toThrow(/update_method/);
    expect(() => createScimConnector({ ...settings, config: { base_url: 'https://x.test' }, credentials: {} })).toThrow(expect.objectContaining({ kind: 'unauthorized' }));
  });

  it('joiner: creates the user (scim+json, externalId ← Delta id), a group with externalId, and adds the member', async () => {
    const c = connect();
    const u = await c.createUser(person('ada'));
    expect(app.user(u.id)).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
      externalId: 'delta-ada',
      active: true,
      name: { givenName: 'Ada', familyName: 'Tester' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      displayName: 'Ada Tester',
    });
    const post = app.log.last({ method: 'POST' })!;
    expect(post.headers['content-type']).toBe('application/scim+json');
    expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const g = await c.createGroup({ id: 'delta-g1', displayName: 'Finance', externalId: 'idp-g1' });
    expect(app.group(g.id)).toMatchObject({ displayName: 'Finance', externalId: 'delta-g1' });
    await c.addMembers(g.id, [u.id]);
    expect(app.group(g.id)?.members).toEqual([expect.objectContaining({ value: u.id })]);
  });

  it('mover: PATCH update; findUser by externalId survives a rename; group rename and membership change', async () => {
    const c = connect();
    const a = await c.createUser(person('ada'));
    const b = await c.createUser(person('bob'));
    const g = await c.createGroup({ id: 'delta-g1', displayName: 'Finance', externalId: null });
    await c.addMembers(g.id, [a.id]);

    const renamed = person('ada', { profile: { email_address: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace' } });
    await c.updateUser(a.id, renamed);
    expect(app.log.last({ method: 'PATCH' })?.body).toMatchObject({ Operations: expect.arrayContaining([{ op: 'replace', path: 'userName', value: 'ada.lovelace@example.com' }]) });
    expect(app.user(a.id)).toMatchObject({ userName: 'ada.lovelace@example.com', name: { familyName: 'Lovelace' } });
    expect(await c.findUser({ externalId: 'delta-ada', userName: 'ada@example.com', email: 'ada@example.com' })).toMatchObject({ id: a.id, userName: 'ada.lovelace@example.com' });

    await c.updateGroup(g.id, { id: 'delta-g1', displayName: 'Finance EMEA', externalId: null });
    expect(await c.findGroup({ id: 'delta-g1', displayName: 'whatever', externalId: null })).toMatchObject({ id: g.id, displayName: 'Finance EMEA' });
    await c.addMembers(g.id, [b.id]);
    await c.removeMembers(g.id, [a.id]);
    expect(app.group(g.id)?.members).toEqual([expect.objectContaining({ value: b.id })]);

    const e = await failure(c.updateUser('missing-id', renamed));
    expect(e).toMatchObject({ kind: 'permanent', status: 404, message: expect.stringMatching(/no longer exists/) });
  });

  it('update_method put: replaces the user, deactivates with PUT active false, renames a group keeping its members', async () => {
    const c = connect({ update_method: 'put' });
    const a = await c.createUser(person('ada'));
    const g = await c.createGroup({ id: 'g', displayName: 'Ops', externalId: null });
    await c.addMembers(g.id, [a.id]);
    await c.updateUser(a.id, person('ada', { firstName: null, profile: { email_address: 'ada@example.com', last_name: 'Tester' }, scim: {} }));
    expect(app.log.last({ path: `/scim/v2/Users/${a.id}` })?.method).toBe('PUT');
    expect(app.user(a.id)).toMatchObject({ name: { familyName: 'Tester' }, displayName: 'Ada Tester' });
    expect((app.user(a.id)?.name as Record<string, unknown>).givenName).toBeUndefined();
    await c.deactivateUser(a.id);
    expect(app.user(a.id)).toMatchObject({ active: false, userName: 'ada@example.com' });
    await c.updateGroup(g.id, { id: 'g', displayName: 'Ops 2', externalId: null });
    expect(app.group(g.id)).toMatchObject({ displayName: 'Ops 2', members: [expect.objectContaining({ value: a.id })] });
  });

  it('leaver: deactivate (PATCH active false), removal from groups, hard delete, all idempotent; re-hire reactivates', async () => {
    const c = connect();
    const a = await c.createUser(person('ada'));
    const g = await c.createGroup({ id: 'g', displayName: 'Ops', externalId: null });
    await c.addMembers(g.id, [a.id]);
    await c.deactivateUser(a.id);
    expect(app.log.last({ method: 'PATCH' })?.body).toMatchObject({ Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(app.user(a.id)).toMatchObject({ active: false });
    await c.deactivateUser(a.id);
    await c.removeMembers(g.id, [a.id]);
    expect(app.group(g.id)?.members).toEqual([]);

    await c.reactivateUser(a.id, person('ada', { active: false }));
    expect(app.user(a.id)).toMatchObject({ active: true });

    await c.deleteUser(a.id);
    expect(app.user(a.id)).toBeUndefined();
    await c.deleteUser(a.id);
    await c.deactivateUser(a.id);
    await c.deleteGroup(g.id);
    await c.deleteGroup(g.id);
    await c.removeMembers(g.id, [a.id]);
    expect(app.groups()).toEqual([]);
  });

  it('links accounts that already exist: findUser by userName/email, 409 on create links the user, 409 on group create links the group', async () => {
    const seeded = app.seed({ users: [{ userName: 'ada@example.com', emails: [{ value: 'ada@example.com' }] }], groups: [{ displayName: 'Finance' }] });
    const c = connect();
    expect(await c.findUser({ externalId: 'delta-ada', userName: 'nobody', email: 'ada@example.com' })).toMatchObject({ id: seeded.users[0]!.id });
    const linked = await c.createUser(person('ada'));
    expect(linked.id).toBe(seeded.users[0]!.id);
    expect(app.users()).toHaveLength(1);
    expect(app.user(linked.id)).toMatchObject({ externalId: 'delta-ada' });
    const group = await c.createGroup({ id: 'delta-fin', displayName: 'Finance', externalId: null });
    expect(group.id).toBe(seeded.groups[0]!.id);
    expect(app.groups()).toHaveLength(1);
  });

  it('rate limit reached: 429 → rate_limited with the Retry-After wait', async () => {
    app.setRateLimit({ requests: 2, windowMs: 60_000 });
    const c = connect();
    await c.findUser({ email: 'a@example.com' });
    await c.findUser({ userName: 'b@example.com' });
    const e = await failure(c.createUser(person('c')));
    expect(e).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('test(): ok; rejected token → unauthorized; wrong base_url → permanent, both in words', async () => {
    await expect(connect().test()).resolves.toBeUndefined();
    const unauthorized = await failure(connect({}, 'wrong').test());
    expect(unauthorized).toMatchObject({ kind: 'unauthorized', status: 401, message: expect.stringMatching(/rejected the bearer token/) });
    const notFound = await failure(connect({ base_url: `${app.url}/nope` }).test());
    expect(notFound).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/must be the SCIM root/) });
    app.faults.next(1, { status: 403, body: { detail: 'forbidden' } }, { path: '/scim/v2/Users' });
    expect(await failure(connect().test())).toMatchObject({ kind: 'unauthorized', message: expect.stringMatching(/not allowed to manage users/) });
    const call = await failure(connect({}, 'wrong').listUsers());
    expect(call).toMatchObject({ kind: 'unauthorized', message: expect.stringMatching(/Authorization failure/) });
  });

  it('test() refuses update_method patch when the app says PATCH is unsupported', async () => {
    app.faults.next(1, { status: 200, body: { patch: { supported: false } } }, { path: '/scim/v2/ServiceProviderConfig' });
    expect(await failure(connect().test())).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/update_method to "put"/) });
  });

  it('pages through listUsers', async () => {
    app.seed({ users: Array.from({ length: 7 }, (_, i) => ({ userName: `u${i}` })) });
    const c = connect({ page_size: 3 });
    const first = await c.listUsers();
    expect(first).toMatchObject({ next: '4' });
    const second = await c.listUsers(first.next);
    const third = await c.listUsers(second.next);
    expect(third.next).toBeUndefined();
    expect([...first.items, ...second.items, ...third.items].map((u) => u.userName)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    await expect(c.listUsers('zero')).rejects.toThrow(/cursor/);
  });

  it('applies a per-connection attribute_mapping override onto the app schema (incl. an extension)', async () => {
    const c = connect({
      attribute_mapping: { title: `scim:${ENTERPRISE}:department`, [`${ENTERPRISE}:costCenter`]: 'public_metadata.cost_center', 'name.familyName': null },
    });
    const u = await c.createUser(person('ada'));
    expect(app.user(u.id)).toMatchObject({ title: 'Finance', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { costCenter: 'CC-7' } });
    expect(app.user(u.id)?.name).toEqual({ givenName: 'Ada' });
    await c.updateUser(u.id, person('ada', { profile: { email_address: 'ada@example.com', first_name: 'Ada', public_metadata: { cost_center: 'CC-9' } } }));
    expect(app.user(u.id)?.[ENTERPRISE]).toEqual({ costCenter: 'CC-9' });
    expect(() => connect({ attribute_mapping: { 'bad path!': 'first_name' } })).toThrow(/not a SCIM attribute path/);
    expect(() => connect({ attribute_mapping: { externalId: 'first_name' } })).toThrow(/set by Delta itself/);
  });

  it('adds and removes members in chunks of members_per_request (default 100)', async () => {
    const { users } = app.seed({ users: Array.from({ length: 250 }, (_, i) => ({ userName: `m${i}` })) });
    const ids = users.map((u) => String(u.id));
    const c = connect();
    const g = await c.createGroup({ id: 'g', displayName: 'All', externalId: null });
    await c.addMembers(g.id, ids);
    const patches = app.log.entries({ method: 'PATCH', path: `/scim/v2/Groups/${g.id}` });
    expect(patches.map((p) => ((p.body as { Operations: Array<{ value: unknown[] }> }).Operations[0]!.value).length)).toEqual([100, 100, 50]);
    expect(app.group(g.id)?.members).toHaveLength(250);
    await c.removeMembers(g.id, ids.slice(0, 120));
    expect(app.group(g.id)?.members).toHaveLength(130);
    const removes = app.log.entries({ method: 'PATCH', path: `/scim/v2/Groups/${g.id}` }).slice(3);
    expect(removes).toHaveLength(2);
    expect((removes[0]!.body as { Operations: unknown[] }).Operations[0]).toEqual({ op: 'remove', path: `members[value eq "${ids[0]}"]` });
  });

  it('classifies 5xx as retryable and 400 as permanent, with the SCIM detail in the message', async () => {
    const c = connect();
    app.faults.next(1, { status: 502 });
    expect((await failure(c.listGroups())).kind).toBe('retryable');
    const e = await failure(c.addMembers((await c.createGroup({ id: 'g', displayName: 'G', externalId: null })).id, ['no-such-user']));
    expect(e).toMatchObject({ kind: 'permanent', status: 400, message: expect.stringMatching(/invalidValue.*Unknown member/) });
  });
});
