import { randomUUID } from 'node:crypto';
import { type AppConnector, ConnectorError, type DesiredUser } from '@delta/connectors';
import { createGitHubConnector } from '@delta/connectors/github/github.connector';
import type { GitHubEmulator, GitHubEmulatorOptions } from '../../emulators/github/github.emulator';
import { MEMBER_TOKEN, OWNER_TOKEN, startSeededGitHub } from '../emulators/github-test.util';

const FAST = { retryBaseMs: 1, searchSpacingMs: 0, timeoutMs: 2000 };

function connector(github: GitHubEmulator, config: Record<string, unknown> = {}, credentials: Record<string, unknown> = { token: OWNER_TOKEN }, fetchImpl?: typeof fetch): AppConnector {
  return createGitHubConnector(
    { organizationId: 'org-1', connectionId: randomUUID(), config: { org: 'acme', base_url: github.url, role_attribute: 'organization_role', ...config }, credentials, fetch: fetchImpl },
    FAST,
  );
}

function person(email: string | null, profile: Record<string, unknown> = {}): DesiredUser {
  return { id: randomUUID(), userName: email ?? 'x', externalId: null, email, firstName: 'A', lastName: 'B', displayName: 'A B', active: true, scim: {}, profile: { email_address: email, ...profile } };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

const seed: GitHubEmulatorOptions = {
  users: [
    { login: 'alice', email: 'alice@example.com' },
    { login: 'bob', email: 'bob@example.com' },
    { login: 'dana', email: 'dana@example.com' },
    { login: 'carol', email: 'carol@example.com' },
  ],
  orgs: [{ login: 'acme', owners: ['octo-owner'], members: ['octo-member', 'dana'] }],
};

describe('GitHub connector, organization mode, against the emulator (reference §2.4–2.6)', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startSeededGitHub(seed);
  });
  afterEach(() => github.reset());
  afterAll(() => github.close());
  const org = () => github.state.org('acme')!;

  it('joiner by email: invitation with the mapped role, team created, added once the invitation is accepted', async () => {
    const app = connector(github);
    const carol = person('carol@example.com', { organization_role: 'admin' });
    expect(await app.findUser({ email: 'carol@example.com' })).toBeUndefined();
    const remote = await app.createUser(carol);
    expect(remote).toMatchObject({ id: 'email:carol@example.com', active: true });
    expect([...org().invitations.values()]).toEqual([expect.objectContaining({ email: 'carol@example.com', role: 'admin' })]);
    await app.updateUser(remote.id, carol);
    expect(github.requests.count({ method: 'POST', path: '/orgs/acme/invitations' })).toBe(1);
    expect(await app.findUser({ email: 'carol@example.com' })).toMatchObject({ id: 'email:carol@example.com' });

    const team = await app.createGroup({ id: randomUUID(), displayName: 'Platform Eng', externalId: null });
    expect(org().teams.get('platform-eng')).toMatchObject({ id: Number(team.id), privacy: 'closed' });
    const pending = await failure(app.addMembers(team.id, [remote.id]));
    expect(pending).toMatchObject({ kind: 'retryable', retryAfterMs: 15 * 60_000 });
    expect(pending.message).toMatch(/carol@example\.com.*no GitHub login yet/);

    github.state.acceptInvitation('acme', [...org().invitations.keys()][0]!, 'carol');
    await app.addMembers(team.id, [remote.id]);
    expect(org().teams.get('platform-eng')!.members.get('carol')).toMatchObject({ state: 'active', role: 'member' });
    expect(org().members.get('carol')).toMatchObject({ role: 'admin', state: 'active' });
  });

  it('joiner by mapped login: membership invitation (pending), team membership, group found not duplicated', async () => {
    const app = connector(github, { attribute_mapping: { login: 'public_metadata.github' } });
    const bob = person('bob@example.com', { public_metadata: { github: 'bob' } });
    const remote = await app.createUser(bob);
    expect(remote.id).toBe('bob');
    expect(org().members.get('bob')).toEqual({ role: 'member', state: 'pending' });
    const group = { id: randomUUID(), displayName: 'Eng', externalId: null };
    const team = await app.createGroup(group);
    expect(await app.findGroup(group)).toEqual(team);
    expect(await connector(github).createGroup(group)).toEqual(team);
    await app.addMembers(team.id, ['bob']);
    expect(org().teams.get('eng')!.members.get('bob')).toMatchObject({ state: 'pending' });
  });

  it('an account already in the org is linked, never re-invited, and keeps its role without a role mapping', async () => {
    const app = connector(github, { role_attribute: undefined, attribute_mapping: { login: 'public_metadata.github' } });
    expect(await app.findUser({ email: 'dana@example.com' })).toEqual({ id: 'dana', active: true, email: 'dana@example.com', userName: 'dana' });
    expect(await app.createUser(person('o@example.com', { public_metadata: { github: 'octo-owner' } }))).toMatchObject({ id: 'octo-owner' });
    await app.updateUser('octo-owner', person('o@example.com', { public_metadata: { github: 'octo-owner' } }));
    expect(org().members.get('octo-owner')).toEqual({ role: 'admin', state: 'active' });
    expect(github.requests.count({ method: 'PUT' })).toBe(0);
    expect(github.requests.count({ method: 'POST' })).toBe(0);
  });

  it('mover: role change, team change, team rename followed by a fresh connector', async () => {
    const app = connector(github);
    const dana = person('dana@example.com', { organization_role: 'admin' });
    await app.updateUser('dana', dana);
    expect(org().members.get('dana')!.role).toBe('admin');
    const a = await app.createGroup({ id: randomUUID(), displayName: 'Team A', externalId: null });
    const b = await app.createGroup({ id: randomUUID(), displayName: 'Team B', externalId: null });
    await app.addMembers(a.id, ['dana']);
    await app.removeMembers(a.id, ['dana']);
    await app.addMembers(b.id, ['dana']);
    expect(org().teams.get('team-a')!.members.has('dana')).toBe(false);
    expect(org().teams.get('team-b')!.members.has('dana')).toBe(true);
    await app.updateGroup(b.id, { id: 'g', displayName: 'Team Bravo', externalId: null });
    expect(org().teams.get('team-bravo')!.id).toBe(Number(b.id));
    const later = connector(github);
    await later.removeMembers(b.id, ['dana']);
    expect(org().teams.get('team-bravo')!.members.has('dana')).toBe(false);
    await later.deleteGroup(b.id);
    await later.deleteGroup(b.id);
    expect(org().teams.has('team-bravo')).toBe(false);
  });

  it('leaver: removed from the org and its teams, pending invitations cancelled; re-hire invites again', async () => {
    const app = connector(github);
    const team = await app.createGroup({ id: randomUUID(), displayName: 'Ops', externalId: null });
    await app.addMembers(team.id, ['dana']);
    await app.deactivateUser('dana');
    expect(org().members.has('dana')).toBe(false);
    expect(org().teams.get('ops')!.members.has('dana')).toBe(false);
    await app.removeMembers(team.id, ['dana']);
    await app.deleteUser('dana');

    const invited = await app.createUser(person('new@example.com'));
    await app.deactivateUser(invited.id);
    expect(org().invitations.size).toBe(0);

    await app.reactivateUser('dana', person('dana@example.com'));
    expect(org().members.get('dana')).toEqual({ role: 'member', state: 'pending' });
    await app.reactivateUser(invited.id, person('new@example.com'));
    expect([...org().invitations.values()].map((i) => i.email)).toContain('new@example.com');
  });

  it('lists members then invitations, and teams', async () => {
    const app = connector(github);
    await app.createUser(person('z@example.com'));
    const first = await app.listUsers();
    expect(first.items.map((u) => u.id).sort()).toEqual(['dana', 'octo-member', 'octo-owner']);
    const second = await app.listUsers(first.next);
    expect(second).toEqual({ items: [expect.objectContaining({ id: 'email:z@example.com' })] });
    await app.createGroup({ id: 'g', displayName: 'T', externalId: null });
    expect((await app.listGroups()).items).toEqual([expect.objectContaining({ displayName: 'T' })]);
  });

  it('sends User-Agent, Accept and X-GitHub-Api-Version (§2.1)', async () => {
    await connector(github).findGroup({ id: 'g', displayName: 'Nope', externalId: null });
    const [first] = github.requests.entries();
    expect(first!.headers).toMatchObject({ 'user-agent': expect.stringContaining('Delta'), 'x-github-api-version': '2022-11-28', accept: 'application/vnd.github+json' });
  });

  describe('failures, classified', () => {
    it('primary limit exhausted → rate_limited with the wait from x-ratelimit-reset, no retry in the connector', async () => {
      const limited = await startSeededGitHub({ ...seed, limits: { core: 1, windowSeconds: 600 } });
      try {
        let lastReset = 0;
        const watching: typeof fetch = async (input, init) => {
          const response = await fetch(input, init);
          lastReset = Number(response.headers.get('x-ratelimit-reset'));
          return response;
        };
        const app = connector(limited, {}, { token: OWNER_TOKEN }, watching);
        await app.findUser({ email: 'nobody@example.com' });
        const before = limited.requests.count();
        const error = await failure(app.deactivateUser('dana'));
        expect(error).toMatchObject({ kind: 'rate_limited', status: 403 });
        expect(error.message).toMatch(/rate limit/i);
        // Octokit's wait, ceil(reset - now) + 1 s (§2.6), so the retry lands after the reset.
        const expected = (lastReset - Math.floor(Date.now() / 1000) + 1) * 1000;
        expect(error.retryAfterMs).toBeGreaterThanOrEqual(expected - 2000);
        expect(error.retryAfterMs).toBeLessThanOrEqual(expected + 1000);
        expect(limited.requests.count()).toBe(before + 1);
      } finally {
        await limited.close();
      }
    });

    it('secondary limit (403 "secondary rate limit" + retry-after) → rate_limited with that wait', async () => {
      const limited = await startSeededGitHub({ ...seed, limits: { contentCreationPerMinute: 1, secondaryRetryAfter: 7 } });
      try {
        const app = connector(limited);
        await app.createUser(person('a@example.com'));
        const error = await failure(app.createUser(person('b@example.com')));
        expect(error).toMatchObject({ kind: 'rate_limited', status: 403, retryAfterMs: 7000 });
        expect(limited.requests.count({ method: 'POST' })).toBe(2);
      } finally {
        await limited.close();
      }
    });

    it('429 secondary without retry-after waits a minute; a plain 429 is not retried by plugin-retry', async () => {
      const app = connector(github);
      github.faults.next(1, { status: 429, body: { message: 'You have exceeded a secondary rate limit.' } }, { path: '/orgs/acme/teams' });
      expect(await failure(app.createGroup({ id: 'g', displayName: 'X', externalId: null }))).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000 });
      github.faults.next(1, { status: 429, headers: { 'retry-after': '3' }, body: { message: 'slow down' } }, { path: '/orgs/acme/teams' });
      expect(await failure(app.createGroup({ id: 'g', displayName: 'X', externalId: null }))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
      expect(github.requests.count({ path: '/orgs/acme/teams' })).toBe(2);
    });

    it('the invitations-per-24h limit (§2.4) delays that invitation an hour, not the whole connection', async () => {
      const limited = await startSeededGitHub({ ...seed, invitationLimit: 1 });
      try {
        const app = connector(limited);
        await app.createUser(person('a@example.com'));
        expect(await failure(app.createUser(person('b@example.com')))).toMatchObject({ kind: 'retryable', status: 422, retryAfterMs: 3600_000 });
      } finally {
        await limited.close();
      }
    });

    it('5xx and resets are retried briefly, then retryable', async () => {
      const app = connector(github);
      github.faults.next(1, { status: 502 }, { path: '/orgs/acme/teams' });
      github.faults.next(1, { reset: true }, { path: '/orgs/acme/teams' });
      await app.createGroup({ id: 'g', displayName: 'Y', externalId: null });
      github.faults.always({ status: 503, body: { message: 'Service Unavailable' } }, { path: '/orgs/acme/teams' });
      expect(await failure(app.createGroup({ id: 'g', displayName: 'Z', externalId: null }))).toMatchObject({ kind: 'retryable', status: 503 });
    });

    it('422 is permanent with GitHub errors[]; a synced team is a permanent 403 that says so', async () => {
      const app = connector(github);
      github.faults.next(1, { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'OrganizationInvitation', field: 'email', code: 'invalid', message: 'Email is not valid' }] } }, { path: '/orgs/acme/invitations', method: 'POST' });
      const invalid = await failure(app.createUser(person('bad@example.com')));
      expect(invalid).toMatchObject({ kind: 'permanent', status: 422 });
      expect(invalid.message).toContain('Email is not valid');
      github.state.addTeam('acme', 'Synced', { synced: true });
      const team = await app.findGroup({ id: 'g', displayName: 'Synced', externalId: null });
      const synced = await failure(app.addMembers(team!.id, ['dana']));
      expect(synced).toMatchObject({ kind: 'permanent', status: 403 });
      expect(synced.message).toMatch(/synchronized with an identity provider/);
    });

    it('a bad token is unauthorized with a clear message; a member token lacks the owner role', async () => {
      const bad = await failure(connector(github, {}, { token: 'ghp_wrong' }).deactivateUser('dana'));
      expect(bad).toMatchObject({ kind: 'unauthorized', status: 401 });
      expect(bad.message).toMatch(/Bad credentials.*invalid, expired or revoked/);
      const member = await failure(connector(github, {}, { token: MEMBER_TOKEN }).deactivateUser('dana'));
      expect(member).toMatchObject({ kind: 'permanent', status: 403 });
      expect(member.message).toMatch(/owner/);
    });
  });

  describe('test()', () => {
    it('passes for an owner token with admin:org', async () => {
      await expect(connector(github).test()).resolves.toBeUndefined();
    });

    it('explains what is missing', async () => {
      expect((await failure(connector(github, {}, { token: 'ghp_wrong' }).test())).kind).toBe('unauthorized');
      expect((await failure(connector(github, {}, { token: MEMBER_TOKEN }).test())).message).toMatch(/octo-member is a member of acme, not an owner/);
      github.state.addToken('ghp_noscope', 'octo-owner', ['repo']);
      expect((await failure(connector(github, {}, { token: 'ghp_noscope' }).test())).message).toMatch(/lacks the admin:org scope \(it has: repo\)/);
      expect((await failure(connector(github, { org: 'nope' }).test())).message).toMatch(/"nope" does not exist.*config\.org/);
    });
  });
});
