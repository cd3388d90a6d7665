import { startSlackScimEmulator, type SlackScimEmulator } from '../../emulators/slack/slack-scim.emulator';

const TOKEN = 'xoxp-test-1';

/** Slack SCIM v2 behaviour from downstream-apis.md §1 and §4.1, over real HTTP. */
describe('Slack SCIM emulator', () => {
  let slack: SlackScimEmulator;

  beforeAll(async () => {
    slack = await startSlackScimEmulator({ tokens: [TOKEN], limits: false });
  });
  afterEach(() => slack.reset());
  afterAll(() => slack.close());

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${slack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const newUser = (n: string, extra: Record<string, unknown> = {}) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: n,
    emails: [{ value: `${n}@example.com`, primary: true }],
    ...extra,
  });

  it('rejects a missing or unknown token with 401 and the v2 error body (plus legacy Errors)', async () => {
    for (const token of [null, 'xoxp-wrong', 'xoxb-bot']) {
      const res = await call('GET', '/Users', undefined, token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', Errors: { code: 401 } });
    }
    await expect(startSlackScimEmulator({ tokens: ['xoxb-bot'] })).rejects.toThrow(/xoxp-/);
  });

  it('creates, reads, replaces and patches a user with a W… id', async () => {
    const created = await call('POST', '/Users', newUser('alice', { externalId: 'ext-1', name: { givenName: 'Alice' } }));
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^W[A-Z0-9]{10}$/);
    expect(created.body).toMatchObject({ active: true, meta: { location: `${slack.baseUrl}/Users/${created.body.id}` } });
    const id = created.body.id as string;
    expect((await call('GET', `/Users/${id}`)).body.userName).toBe('alice');

    const put = await call('PUT', `/Users/${id}`, newUser('alice', { title: 'Eng' }));
    expect(put.status).toBe(200);
    expect(put.body.title).toBe('Eng');
    expect(put.body.externalId).toBeUndefined(); // PUT overwrites what it omits (ref §1.3)

    const patched = await call('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'name.givenName', value: 'Alicia' },
        { op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'R&D' },
        { op: 'remove', path: 'title' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(slack.user(id)).toMatchObject({ name: { givenName: 'Alicia' }, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' } });
    expect(slack.user(id)?.title).toBeUndefined();
  });

  it('DELETE deactivates a user, who stays readable and listed; PATCH active reactivates', async () => {
    const { body } = await call('POST', '/Users', newUser('bob'));
    expect((await call('DELETE', `/Users/${body.id}`)).status).toBe(204);
    expect((await call('GET', `/Users/${body.id}`)).body.active).toBe(false);
    expect((await call('GET', '/Users')).body.Resources).toEqual([expect.objectContaining({ id: body.id, active: false })]);
    await call('PATCH', `/Users/${body.id}`, { Operations: [{ op: 'replace', value: { active: true } }] });
    expect(slack.user(body.id)?.active).toBe(true);
  });

  it('requires userName and an email (400), refuses duplicates (409), answers 404 for unknown ids and wrong-case paths', async () => {
    expect((await call('POST', '/Users', { userName: 'no-email' })).status).toBe(400);
    expect((await call('POST', '/Users', { emails: [{ value: 'x@example.com' }] })).status).toBe(400);
    await call('POST', '/Users', newUser('carol'));
    const dupName = await call('POST', '/Users', newUser('CAROL', { emails: [{ value: 'other@example.com' }] }));
    expect(dupName.status).toBe(409);
    expect(dupName.body).toMatchObject({ status: '409', Errors: { code: 409 } });
    expect((await call('POST', '/Users', newUser('carol2', { emails: [{ value: 'carol@example.com' }] }))).status).toBe(409);
    expect((await call('GET', '/Users/WNOPE')).status).toBe(404);
    expect((await call('GET', '/users')).status).toBe(404);
  });

  it('paginates with 1-based startIndex, default count 10 and a cap of 1000', async () => {
    slack.seed({ users: Array.from({ length: 25 }, (_, i) => newUser(`u${String(i).padStart(2, '0')}`)) });
    const first = await call('GET', '/Users');
    expect(first.body).toMatchObject({ totalResults: 25, itemsPerPage: 10, startIndex: 1 });
    const last = await call('GET', '/Users?startIndex=21&count=10');
    expect(last.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['u20', 'u21', 'u22', 'u23', 'u24']);
    expect((await call('GET', '/Users?count=5000')).body.itemsPerPage).toBe(25);
  });

  it('filters users by userName, email and emails.value, groups by displayName, and refuses the rest', async () => {
    slack.seed({ users: [newUser('dave', { externalId: 'e-dave' }), newUser('erin')] });
    const by = async (f: string) => (await call('GET', `/Users?filter=${encodeURIComponent(f)}`)).body;
    expect((await by('userName eq "dave"')).Resources.map((u: { userName: string }) => u.userName)).toEqual(['dave']);
    expect((await by('email eq "erin@example.com"')).totalResults).toBe(1);
    expect((await by('emails.value eq "ERIN@example.com"')).totalResults).toBe(1);
    expect((await call('GET', `/Users?filter=${encodeURIComponent('externalId eq "e-dave"')}`)).status).toBe(400);
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName sw "d"')}`)).status).toBe(400);
    await call('POST', '/Groups', { displayName: 'Eng' });
    expect((await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Eng"')}`)).body.totalResults).toBe(1);
  });

  it('manages groups: S… ids, member add/remove, rename, permanent DELETE', async () => {
    const { users } = slack.seed({ users: [newUser('f1'), newUser('f2')] });
    const [a, b] = users.map((u) => u.id as string);
    const created = await call('POST', '/Groups', { displayName: 'Team', members: [{ value: a }] });
    expect(created.status).toBe(201);
    const gid = created.body.id as string;
    expect(gid).toMatch(/^S[A-Z0-9]{10}$/);
    const patch = (ops: unknown[]) => call('PATCH', `/Groups/${gid}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops });
    expect((await patch([{ op: 'add', path: 'members', value: [{ value: b }] }])).status).toBe(200);
    expect(slack.group(gid)?.members).toEqual([expect.objectContaining({ value: a }), expect.objectContaining({ value: b })]);
    expect(slack.user(b)?.groups).toEqual([{ value: gid, display: 'Team' }]);
    await patch([{ op: 'remove', path: `members[value eq "${a}"]` }, { op: 'replace', path: 'displayName', value: 'Team 2' }]);
    expect(slack.group(gid)).toMatchObject({ displayName: 'Team 2', members: [expect.objectContaining({ value: b })] });
    expect((await patch([{ op: 'add', path: 'members', value: [{ value: 'WUNKNOWN' }] }])).status).toBe(400);
    expect((await call('GET', '/Groups')).body.totalResults).toBe(1);
    expect((await call('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect((await call('GET', `/Groups/${gid}`)).status).toBe(404);
  });

  it('answers 403 for writes to a protected (owner) account', async () => {
    const { users } = slack.seed({ users: [newUser('owner')] });
    slack.protectUser(users[0].id as string);
    expect((await call('PATCH', `/Users/${users[0].id}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] })).status).toBe(403);
  });

  it('serves ServiceProviderConfig, ResourceTypes and Schemas', async () => {
    expect((await call('GET', '/ServiceProviderConfig')).body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 1000 } });
    expect((await call('GET', '/ResourceTypes')).body.Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group']);
    expect((await call('GET', '/Schemas/Users')).status).toBe(200);
  });

  it('injects faults through the shared injector', async () => {
    slack.faults.next(1, { status: 503 }, { method: 'POST', path: '/scim/v2/Users' });
    expect((await call('POST', '/Users', newUser('g'))).status).toBe(503);
    expect(slack.users()).toHaveLength(0);
    slack.faults.next(1, { reset: true, afterHandling: true }, { method: 'POST', path: '/scim/v2/Users' });
    await expect(call('POST', '/Users', newUser('g'))).rejects.toThrow('fetch failed');
    // The create happened although the client saw a reset: reconcile with a filter before retrying (ref §4.1).
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName eq "g"')}`)).body.totalResults).toBe(1);
  });
});

describe('Slack SCIM emulator rate limits', () => {
  let slack: SlackScimEmulator;
  afterEach(() => slack.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${slack.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('applies the per-endpoint POST /Users bucket: 429 with Retry-After, then success after waiting', async () => {
    slack = await startSlackScimEmulator({ tokens: [TOKEN], limits: { windowMs: 1000, endpoints: { 'POST /Users': { limit: 2, burst: 2 } } } });
    const user = (n: string) => ({ userName: n, emails: [{ value: `${n}@example.com` }] });
    expect((await call('POST', '/Users', user('a'))).status).toBe(201);
    expect((await call('POST', '/Users', user('b'))).status).toBe(201);
    const limited = await call('POST', '/Users', user('c'));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe(1);
    // Other write endpoints are not in that bucket.
    expect((await call('POST', '/Groups', { displayName: 'g' })).status).toBe(201);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await call('POST', '/Users', user('c'))).status).toBe(201);
  });

  it('applies the org-wide read set to list endpoints, which have no endpoint row', async () => {
    slack = await startSlackScimEmulator({ tokens: [TOKEN], limits: { windowMs: 1000, orgReads: { limit: 2, burst: 2 } } });
    expect((await call('GET', '/Users')).status).toBe(200);
    expect((await call('GET', '/Groups')).status).toBe(200);
    const limited = await call('GET', '/Users');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ status: '429' });
    expect((await call('POST', '/Groups', { displayName: 'writes are separate' })).status).toBe(201);
  });

  it('defaults to the documented limits', async () => {
    slack = await startSlackScimEmulator({ tokens: [TOKEN] });
    const results = await Promise.all(Array.from({ length: 21 }, (_, i) => call('POST', '/Users', { userName: `u${i}`, emails: [{ value: `u${i}@x.io` }] })));
    // POST /Users: burst 20 (ref §1.6).
    expect(results.map((r) => r.status).filter((s) => s === 429)).toHaveLength(1);
  });
});
