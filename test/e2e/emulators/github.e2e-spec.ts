import type { GitHubEmulator } from '../../emulators/github/github.emulator';
import { MEMBER_TOKEN, OWNER_TOKEN, gh, startSeededGitHub } from './github-test.util';

describe('GitHub emulator: REST (reference §2.1, §2.4)', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startSeededGitHub();
  });
  afterEach(() => github.reset());
  afterAll(() => github.close());

  describe('auth and request conventions (§2.1)', () => {
    it('answers 401 "Requires authentication" without a token and "Bad credentials" for an unknown one', async () => {
      expect(await gh(github, 'GET', '/user', { token: null })).toMatchObject({ status: 401, body: { message: 'Requires authentication' } });
      const bad = await gh(github, 'GET', '/user', { token: 'nope' });
      expect(bad).toMatchObject({ status: 401, body: { message: 'Bad credentials', documentation_url: expect.stringContaining('docs.github.com') } });
    });

    it('accepts both `Bearer X` and the legacy `token X`', async () => {
      expect((await gh(github, 'GET', '/user')).body).toMatchObject({ login: 'octo-owner' });
      const legacy = await gh(github, 'GET', '/user', { token: null, headers: { authorization: `token ${OWNER_TOKEN}` } });
      expect(legacy).toMatchObject({ status: 200, body: { login: 'octo-owner' } });
    });

    it('rejects a missing User-Agent (403) and an unsupported API version (400)', async () => {
      const noAgent = await fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${OWNER_TOKEN}`, 'user-agent': '' } });
      expect(noAgent.status).toBe(403);
      expect((await gh(github, 'GET', '/user', { headers: { 'x-github-api-version': '1999-01-01' } })).status).toBe(400);
      expect((await gh(github, 'GET', '/user', { headers: { 'x-github-api-version': '2022-11-28' } })).status).toBe(200);
    });

    it('carries the five x-ratelimit-* headers on every answer, errors included (§2.5)', async () => {
      for (const answer of [await gh(github, 'GET', '/orgs/acme'), await gh(github, 'GET', '/orgs/nope')]) {
        for (const h of ['limit', 'remaining', 'used', 'reset', 'resource']) expect(answer.headers.get(`x-ratelimit-${h}`)).toBeTruthy();
      }
      expect((await gh(github, 'GET', '/orgs/nope')).status).toBe(404);
    });
  });

  describe('org membership and invitations (§2.4)', () => {
    it('PUT membership invites: pending until accepted, then listed as a member', async () => {
      const put = await gh(github, 'PUT', '/orgs/acme/memberships/alice', { body: { role: 'member' } });
      expect(put).toMatchObject({ status: 200, body: { state: 'pending', role: 'member', user: { login: 'alice' } } });
      expect((await gh(github, 'GET', '/orgs/acme/members')).body.map((u: any) => u.login)).not.toContain('alice');
      github.state.acceptInvitation('acme', 'alice');
      expect((await gh(github, 'GET', '/orgs/acme/memberships/alice')).body).toMatchObject({ state: 'active' });
      expect((await gh(github, 'GET', '/orgs/acme/members/alice')).status).toBe(204);
      expect((await gh(github, 'DELETE', '/orgs/acme/memberships/alice')).status).toBe(204);
      expect((await gh(github, 'GET', '/orgs/acme/memberships/alice')).status).toBe(404);
    });

    it('hides the org from outsiders (404) and refuses owner actions to plain members (403)', async () => {
      github.state.addToken('ghp_outsider', 'bob');
      expect((await gh(github, 'GET', '/orgs/acme/members', { token: 'ghp_outsider' })).status).toBe(404);
      expect((await gh(github, 'PUT', '/orgs/acme/memberships/alice', { token: MEMBER_TOKEN, body: {} })).status).toBe(403);
      expect((await gh(github, 'PUT', '/orgs/acme/memberships/ghost', { body: {} })).status).toBe(404);
    });

    it('invites by email with a role, lists, refuses duplicates with 422 errors[], cancels', async () => {
      const created = await gh(github, 'POST', '/orgs/acme/invitations', { body: { email: 'new@example.com', role: 'admin' } });
      expect(created).toMatchObject({ status: 201, body: { id: expect.any(Number), login: null, email: 'new@example.com', role: 'admin' } });
      const again = await gh(github, 'POST', '/orgs/acme/invitations', { body: { email: 'new@example.com' } });
      expect(again).toMatchObject({ status: 422, body: { message: 'Validation Failed', errors: [expect.objectContaining({ resource: 'OrganizationInvitation' })] } });
      expect((await gh(github, 'POST', '/orgs/acme/invitations', { body: { role: 'direct_member' } })).status).toBe(422);
      expect((await gh(github, 'GET', '/orgs/acme/invitations')).body).toHaveLength(1);
      expect((await gh(github, 'DELETE', `/orgs/acme/invitations/${created.body.id}`)).status).toBe(204);
      expect((await gh(github, 'DELETE', `/orgs/acme/invitations/${created.body.id}`)).status).toBe(404);
    });

    it('enforces the invitations-per-24h limit', async () => {
      const limited = await startSeededGitHub({ invitationLimit: 1 });
      try {
        expect((await gh(limited, 'POST', '/orgs/acme/invitations', { body: { email: 'a@example.com' } })).status).toBe(201);
        expect((await gh(limited, 'PUT', '/orgs/acme/memberships/alice', { body: {} })).status).toBe(422);
      } finally {
        await limited.close();
      }
    });

    it('paginates with an absolute link header and finds users by public email', async () => {
      for (let i = 0; i < 64; i++) github.state.org('acme')!.members.set(github.state.addUser(`user${i}`).login, { role: 'member', state: 'active' });
      const first = await gh(github, 'GET', '/orgs/acme/members');
      expect(first.body).toHaveLength(30);
      expect(first.headers.get('link')).toBe(
        `<${github.url}/orgs/acme/members?per_page=30&page=2>; rel="next", <${github.url}/orgs/acme/members?per_page=30&page=3>; rel="last"`,
      );
      const last = await gh(github, 'GET', '/orgs/acme/members?per_page=30&page=3');
      expect(last.body).toHaveLength(6);
      expect(last.headers.get('link')).toContain('rel="prev"');
      expect((await gh(github, 'GET', '/orgs/acme/members?per_page=100')).headers.get('link')).toBeNull();
      const search = await gh(github, 'GET', `/search/users?q=${encodeURIComponent('alice@example.com in:email')}`);
      expect(search.body).toMatchObject({ total_count: 1, items: [{ login: 'alice' }] });
      expect(search.headers.get('x-ratelimit-resource')).toBe('search');
    });
  });

  describe('teams (§2.4)', () => {
    it('creates, renames, adds members, lists and deletes teams', async () => {
      const team = await gh(github, 'POST', '/orgs/acme/teams', { body: { name: 'Platform Eng', privacy: 'closed' } });
      expect(team).toMatchObject({ status: 201, body: { slug: 'platform-eng', privacy: 'closed' } });
      expect((await gh(github, 'POST', '/orgs/acme/teams', { body: { name: 'platform eng' } })).status).toBe(422);
      const renamed = await gh(github, 'PATCH', '/orgs/acme/teams/platform-eng', { body: { name: 'Platform' } });
      expect(renamed.body.slug).toBe('platform');
      expect((await gh(github, 'GET', '/orgs/acme/teams/platform-eng')).status).toBe(404);
      const added = await gh(github, 'PUT', '/orgs/acme/teams/platform/memberships/octo-member', { body: { role: 'maintainer' } });
      expect(added.body).toMatchObject({ role: 'maintainer', state: 'active' });
      // A non-member of the org is invited through the team and stays pending (§2.4).
      expect((await gh(github, 'PUT', '/orgs/acme/teams/platform/memberships/bob', { body: {} })).body.state).toBe('pending');
      const members = await gh(github, 'GET', '/orgs/acme/teams/platform/members');
      expect(members.body.map((u: any) => u.login).sort()).toEqual(['octo-member', 'octo-owner']);
      expect((await gh(github, 'GET', '/orgs/acme/teams')).body).toHaveLength(1);
      expect((await gh(github, 'DELETE', '/orgs/acme/teams/platform')).status).toBe(204);
    });

    it('refuses membership writes on an IdP-synced team with 403', async () => {
      github.state.addTeam('acme', 'synced', { synced: true });
      expect((await gh(github, 'PUT', '/orgs/acme/teams/synced/memberships/octo-member', { body: {} })).status).toBe(403);
    });
  });
});
