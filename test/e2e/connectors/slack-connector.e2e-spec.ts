import type { AppConnector, DesiredUser } from '../../../libs/connectors/src/app-connector';
import { ConnectorError } from '../../../libs/connectors/src/connector-error';
import { createSlackConnector, SLACK_DEFAULT_BASE_URL, SLACK_DEPROVISION_DELETE } from '../../../libs/connectors/src/slack/slack.connector';
import { startSlackScimEmulator, type SlackScimEmulator } from '../../emulators/slack/slack-scim.emulator';

const TOKEN = 'xoxp-connector-test';
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
    scim: { userName: `${name}@idp.example`, displayName: `${first} Tester`, [ENTERPRISE]: { department: 'Engineering' } },
    profile: { email_address: email, first_name: first, last_name: 'Tester' },
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

/** The Slack connector against the Slack SCIM v2 emulator over HTTP (downstream-apis.md §1, §4.1). */
describe('Slack connector', () => {
  let slack: SlackScimEmulator;
  const connect = (config: Record<string, unknown> = {}, token = TOKEN): AppConnector =>
    createSlackConnector({ organizationId: 'org-1', connectionId: 'conn-1', config: { base_url: slack.baseUrl, ...config }, credentials: { token } });

  beforeAll(async () => {
    slack = await startSlackScimEmulator({ tokens: [TOKEN], limits: false });
  });
  afterEach(() => {
    slack.reset();
    slack.setLimits(false);
  });
  afterAll(() => slack.close());

  it('defaults base_url to the v2 root and documents that delete behaves as suspend', () => {
    expect(SLACK_DEFAULT_BASE_URL).toBe('https://api.slack.com/scim/v2');
    expect(SLACK_DEPROVISION_DELETE).toMatchObject({ hardDelete: false, behavesAs: 'suspend' });
    expect(createSlackConnector({ organizationId: 'o', connectionId: 'c', config: {}, credentials: { token: TOKEN } }).type).toBe('slack');
  });

  it('joiner: creates the user with userName, emails and externalId, a group, and adds the member', async () => {
    const c = connect();
    const created = await c.createUser(person('ada'));
    expect(created).toMatchObject({ id: expect.stringMatching(/^W/), active: true, email: 'ada@example.com' });
    expect(slack.user(created.id)).toMatchObject({
      userName: 'ada@example.com',
      externalId: 'delta-ada',
      active: true,
      name: { givenName: 'Ada', familyName: 'Tester' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      displayName: 'Ada Tester',
    });
    expect(slack.log.last({ method: 'POST' })?.headers['content-type']).toMatch(/^application\/json/);
    const group = await c.createGroup({ id: 'g-eng', displayName: 'Engineering', externalId: null });
    expect(group.id).toMatch(/^S/);
    await c.addMembers(group.id, [created.id]);
    expect(slack.group(group.id)?.members).toEqual([expect.objectContaining({ value: created.id })]);
    expect(await c.findGroup({ id: 'g-eng', displayName: 'Engineering', externalId: null })).toMatchObject({ id: group.id });
  });

  it('mover: updates attributes with PATCH, renames the group and changes membership', async () => {
    const c = connect();
    const a = await c.createUser(person('ada'));
    const b = await c.createUser(person('bob'));
    const g = await c.createGroup({ id: 'g1', displayName: 'Sales', externalId: null });
    await c.addMembers(g.id, [a.id]);

    await c.updateUser(a.id, person('ada', { lastName: 'Lovelace', profile: { email_address: 'ada.l@example.com', first_name: 'Ada', last_name: 'Lovelace' } }));
    expect(slack.log.last({ method: 'PATCH' })?.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] });
    expect(slack.user(a.id)).toMatchObject({ name: { familyName: 'Lovelace' }, emails: [{ value: 'ada.l@example.com', primary: true }] });

    await c.updateGroup(g.id, { id: 'g1', displayName: 'Sales EMEA', externalId: null });
    await c.addMembers(g.id, [b.id]);
    await c.removeMembers(g.id, [a.id]);
    expect(slack.group(g.id)).toMatchObject({ displayName: 'Sales EMEA', members: [expect.objectContaining({ value: b.id })] });
  });

  it('leaver: deactivation by DELETE, removal from groups, delete = deactivate, all idempotent; re-hire reactivates', async () => {
    const c = connect();
    const a = await c.createUser(person('ada'));
    const g = await c.createGroup({ id: 'g1', displayName: 'Ops', externalId: null });
    await c.addMembers(g.id, [a.id]);

    await c.deactivateUser(a.id);
    expect(slack.log.last({ path: `/scim/v2/Users/${a.id}` })?.method).toBe('DELETE');
    expect(slack.user(a.id)).toMatchObject({ active: false });
    await c.deactivateUser(a.id);
    await c.removeMembers(g.id, [a.id]);
    await c.removeMembers(g.id, [a.id]);
    expect(slack.group(g.id)?.members).toEqual([]);

    await c.deleteUser(a.id);
    expect(slack.user(a.id)).toMatchObject({ active: false });
    expect(slack.users()).toHaveLength(1);
    await c.deleteUser('WDOESNOTEXIST');
    expect((await c.listUsers()).items).toEqual([expect.objectContaining({ id: a.id, active: false })]);

    await c.reactivateUser(a.id, person('ada'));
    expect(slack.user(a.id)).toMatchObject({ active: true });

    await c.deleteGroup(g.id);
    expect(slack.group(g.id)).toBeUndefined();
    await c.deleteGroup(g.id);
    await c.removeMembers(g.id, [a.id]);
  });

  it('links an account that already exists: findUser by email, and a 409 on create links instead of duplicating', async () => {
    const existing = { id: String(slack.seed({ users: [{ userName: 'ada', emails: [{ value: 'ada@example.com', primary: true }], active: false }] }).users[0]!.id) };
    const c = connect();
    expect(await c.findUser({ email: 'ada@example.com', userName: 'ada@example.com', externalId: 'delta-ada' })).toMatchObject({ id: existing.id, active: false });
    expect(slack.log.entries({ method: 'GET' }).map((e) => e.query.filter)).toEqual(['email eq "ada@example.com"']);
    expect(await c.findUser({ email: 'nobody@example.com' })).toBeUndefined();

    const linked = await c.createUser(person('ada'));
    expect(linked.id).toBe(existing.id);
    expect(slack.users()).toHaveLength(1);
    expect(slack.user(existing.id)).toMatchObject({ active: true, externalId: 'delta-ada' });
  });

  it('a create whose answer was lost is retryable, and the retry links the account instead of duplicating (§4.1)', async () => {
    const c = connect();
    slack.faults.next(1, { reset: true, afterHandling: true }, { method: 'POST', path: '/scim/v2/Users' });
    expect((await failure(c.createUser(person('ada')))).kind).toBe('retryable');
    expect(slack.users()).toHaveLength(1);
    const linked = await c.createUser(person('ada'));
    expect(linked.id).toBe(slack.users()[0]!.id);
    expect(slack.users()).toHaveLength(1);
  });

  it('refuses a user without an email before calling Slack (userName and an email are required, §1.4)', async () => {
    const e = await failure(connect().createUser(person('ada', { email: null, profile: {} })));
    expect(e).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/requires an email/) });
    expect(slack.log.count({ method: 'POST' })).toBe(0);
  });

  it('rate limit reached: 429 → rate_limited with the Retry-After wait', async () => {
    slack.setLimits({ endpoints: { 'POST /Users': { limit: 2, burst: 2 } } });
    const c = connect();
    await c.createUser(person('a'));
    await c.createUser(person('b'));
    const e = await failure(c.createUser(person('c')));
    expect(e.kind).toBe('rate_limited');
    expect(e.status).toBe(429);
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('credentials rejected → unauthorized with a clear message; test() explains bot tokens and wrong URLs', async () => {
    const bad = await failure(connect({}, 'xoxp-revoked').findUser({ email: 'a@example.com' }));
    expect(bad).toMatchObject({ kind: 'unauthorized', status: 401, message: expect.stringMatching(/xoxp- user token/) });

    slack.log.clear();
    await expect(connect().test()).resolves.toBeUndefined();
    expect(slack.log.entries().map((e) => e.path)).toEqual(['/scim/v2/ServiceProviderConfig', '/scim/v2/Users']);

    const bot = await failure(connect({}, 'xoxb-bot-token').test());
    expect(bot).toMatchObject({ kind: 'unauthorized', message: expect.stringMatching(/bot tokens \(xoxb-…\)/) });
    const revoked = await failure(connect({}, 'xoxp-revoked').test());
    expect(revoked).toMatchObject({ kind: 'unauthorized', message: expect.stringMatching(/admin scope/) });
    const wrongUrl = await failure(connect({ base_url: `${slack.url}/scim/v9` }).test());
    expect(wrongUrl).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/Business\+ or Enterprise Grid/) });
  });

  it('a 403 on one protected account is permanent for that user, not an unhealthy connection (§1.2)', async () => {
    const c = connect();
    const owner = await c.createUser(person('owner'));
    slack.protectUser(owner.id);
    const e = await failure(c.deactivateUser(owner.id));
    expect(e).toMatchObject({ kind: 'permanent', status: 403, message: expect.stringMatching(/cannot modify an Owner/) });
  });

  it('classifies 5xx, timeouts and resets as retryable', async () => {
    const c = connect({ timeout_ms: 300 });
    slack.faults.next(1, { status: 503 });
    expect((await failure(c.findUser({ email: 'a@example.com' }))).kind).toBe('retryable');
    slack.faults.next(1, { hang: true });
    const hung = await failure(c.findUser({ email: 'a@example.com' }));
    expect(hung).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/no answer within/) });
    slack.faults.next(1, { reset: true });
    expect((await failure(c.findUser({ email: 'a@example.com' }))).kind).toBe('retryable');
  });

  it('pages through listUsers and listGroups with startIndex/count', async () => {
    slack.seed({
      users: Array.from({ length: 25 }, (_, i) => ({ userName: `u${i}`, emails: [{ value: `u${i}@example.com` }] })),
      groups: Array.from({ length: 3 }, (_, i) => ({ displayName: `G${i}` })),
    });
    const c = connect({ page_size: 10 });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.listUsers(cursor);
      seen.push(...page.items.map((u) => u.email ?? ''));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    expect(slack.log.entries({ method: 'GET' }).map((e) => e.query.startIndex)).toEqual(['1', '11', '21']);
    const groups = await c.listGroups();
    expect(groups.items.map((g) => g.displayName)).toEqual(['G0', 'G1', 'G2']);
    expect(groups.next).toBeUndefined();
  });

  it('applies a per-connection attribute_mapping override (title ← enterprise department)', async () => {
    const c = connect({ attribute_mapping: { title: `scim:${ENTERPRISE}:department`, displayName: null } });
    const u = await c.createUser(person('ada'));
    expect(slack.user(u.id)).toMatchObject({ title: 'Engineering' });
    expect(slack.user(u.id)).not.toHaveProperty('displayName');
    expect(() => connect({ attribute_mapping: { title: 'not a source!' } })).toThrow(ConnectorError);
  });

  it('adds members in chunks of members_per_request', async () => {
    const { users } = slack.seed({ users: Array.from({ length: 5 }, (_, i) => ({ userName: `m${i}`, emails: [{ value: `m${i}@example.com` }] })) });
    const c = connect({ members_per_request: 2 });
    const g = await c.createGroup({ id: 'g', displayName: 'Big', externalId: null });
    await c.addMembers(
      g.id,
      users.map((u) => String(u.id)),
    );
    expect(slack.log.count({ method: 'PATCH', path: `/scim/v2/Groups/${g.id}` })).toBe(3);
    expect(slack.group(g.id)?.members).toHaveLength(5);
    await c.removeMembers(
      g.id,
      users.map((u) => String(u.id)),
    );
    expect(slack.group(g.id)?.members).toEqual([]);
  });
});
