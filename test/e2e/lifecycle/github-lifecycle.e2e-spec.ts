import { APP_CONNECTOR_FACTORIES } from '@delta/connectors/app-connector.factories';
import type { ApiProcess } from '../../support/api-process';
import { GROUP_SCHEMA, PATCH_OP } from '../../support/scim-client';
import { type TestApi, call, eventually, startTestApi } from '../../support/test-api';
import type { GitHubEmulator, GitHubEmulatorOptions } from '../../emulators/github/github.emulator';
import { startSeededGitHub } from '../emulators/github-test.util';
import { OWNER_TOKEN } from '../emulators/github-test.util';
import { connect, deliveriesIn, firstRefusalAndNext, idpUser, recordAnswers, startLifecycleWorker } from './lifecycle-test.util';

const SEED: GitHubEmulatorOptions = {
  users: [
    { login: 'carol', email: 'carol@example.com' },
    { login: 'dana', email: 'dana@example.com' },
    { login: 'erin', email: 'erin@example.com' },
    ...Array.from({ length: 5 }, (_, i) => ({ login: `dev${i}`, email: `dev${i}@example.com` })),
  ],
  orgs: [{ login: 'acme', owners: ['octo-owner'], members: ['octo-member', 'dana'] }],
};

/**
 * Organization mode: the login comes from the IdP's nickName (so teams take the account at once,
 * without waiting for an email invitation to be accepted), the role from its title.
 */
const githubConnection = (emulator: GitHubEmulator, extra: Record<string, unknown> = {}) => ({
  type: 'github',
  name: 'GitHub',
  config: { mode: 'organization', org: 'acme', base_url: emulator.url, attribute_mapping: { login: 'scim:nickName', role: 'scim:title' } },
  credentials: { token: OWNER_TOKEN },
  ...extra,
});

// The lead registers `github` in APP_CONNECTOR_FACTORIES; until then the engine answers "not available".
const describeRegistered = APP_CONNECTOR_FACTORIES.github ? describe : describe.skip;

/**
 * Issue 6 lifecycle into a GitHub organization through the real engine: the IdP's SCIM requests
 * into the API, the worker converging the GitHub emulator through Octokit (memberships, teams),
 * the emulator's state asserted. An organization cannot suspend or delete an account: a leaver's
 * membership is removed (which also ends the org's access for their tokens), a re-hire invited again.
 */
describeRegistered('Lifecycle into a GitHub organization through the engine', () => {
  let api: TestApi;
  let worker: ApiProcess;
  let github: GitHubEmulator;

  beforeAll(async () => {
    [api, worker, github] = await Promise.all([startTestApi(), startLifecycleWorker('lc_github'), startSeededGitHub(SEED)]);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await github?.close();
  });
  afterEach(() => github.reset());

  const org = () => github.state.org('acme')!;
  // GitHub makes the owner whose token creates a team its maintainer (docs.github.com/rest/teams/teams#create-a-team);
  // the connector leaves them there, so only the members Delta manages are compared.
  const teamMembers = (slug: string) => [...(org().teams.get(slug)?.members.keys() ?? [])].filter((login) => login !== 'octo-owner');

  it('joiner (membership + team), mover (role, team change), leaver (removed from org and teams), re-hire before deletion', async () => {
    const { scim } = await connect(api, githubConnection(github, { deprovision: { mode: 'delete', delete_after_days: 30 } }));
    const carol = (await scim.post('/Users', idpUser('carol@example.com', { nickName: 'carol', title: 'Engineer' }))).body;
    const platform = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Platform', members: [{ value: carol.id }] })).body;
    await eventually(() => {
      expect(org().members.get('carol')).toEqual({ role: 'member', state: 'pending' });
      expect(teamMembers('platform')).toEqual(['carol']);
    }, 20_000, 100);

    // Mover: the mapped role attribute, and a team change.
    await scim.patch(`/Users/${carol.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'admin' }] });
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Security', members: [{ value: carol.id }] });
    await scim.patch(`/Groups/${platform.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${carol.id}"]` }] });
    await eventually(() => {
      expect(org().members.get('carol')?.role).toBe('admin');
      expect(teamMembers('security')).toEqual(['carol']);
      expect(teamMembers('platform')).toEqual([]);
    }, 20_000, 100);

    // Leaver: out of the organization and every team at once.
    await scim.patch(`/Users/${carol.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await eventually(() => {
      expect(org().members.has('carol')).toBe(false);
      expect(teamMembers('security')).toEqual([]);
    }, 20_000, 100);
    expect(github.requests.count({ method: 'DELETE', path: '/orgs/acme/memberships/carol' })).toBeGreaterThanOrEqual(1);

    // Re-hire before the 30 days: invited again with her role, back in her team.
    await scim.patch(`/Users/${carol.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
    await eventually(() => {
      expect(org().members.get('carol')).toEqual({ role: 'admin', state: 'pending' });
      expect(teamMembers('security')).toEqual(['carol']);
    }, 20_000, 100);
  });

  it('after the retention period (delete, 0 days) the membership is removed for good', async () => {
    const { scim } = await connect(api, githubConnection(github, { deprovision: { mode: 'delete', delete_after_days: 0 } }));
    const erin = (await scim.post('/Users', idpUser('erin@example.com', { nickName: 'erin' }))).body;
    await eventually(() => expect(org().members.get('erin')).toBeDefined(), 20_000, 100);
    await scim.delete(`/Users/${erin.id}`);
    // Removed as a leaver, then "deleted" (removal again, 404 is success): the delivery ends there.
    await eventually(() => expect(github.requests.count({ method: 'DELETE', path: '/orgs/acme/memberships/erin' })).toBe(2), 20_000, 100);
    expect(org().members.has('erin')).toBe(false);
  });

  it('links an account that is already a member instead of inviting it again', async () => {
    const { scim, connection } = await connect(api, githubConnection(github));
    const dana = (await scim.post('/Users', idpUser('dana@example.com', { nickName: 'dana' }))).body;
    await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Data', members: [{ value: dana.id }] });
    await eventually(() => expect(teamMembers('data')).toEqual(['dana']), 20_000, 100);
    expect(org().members.get('dana')).toEqual({ role: 'member', state: 'active' });
    expect(github.requests.count({ method: 'POST', path: '/orgs/acme/invitations' })).toBe(0);
    expect(github.requests.count({ method: 'PUT', path: '/orgs/acme/memberships/dana' })).toBe(0);
    expect(await deliveriesIn(api, scim.orgId, connection.id, 'dead')).toEqual([]);
  });

  it("reaches GitHub's primary rate limit, waits for x-ratelimit-reset, and loses no change", async () => {
    // A small primary budget on a short window (§2.5 shape, scaled down): 403, remaining 0, reset.
    // 5 users, not 30: every new user is looked up by email through the search API, which the
    // connector spaces 2 s apart per connection (Octokit's search group, §2.6).
    const limited = await startSeededGitHub({ ...SEED, limits: { core: 6, windowSeconds: 3, search: 1000 } });
    try {
      const answers = recordAnswers(limited.server.server);
      const { scim, connection } = await connect(api, githubConnection(limited));
      const logins = Array.from({ length: 5 }, (_, i) => `dev${i}`);
      const created = await Promise.all(logins.map((login) => scim.post('/Users', idpUser(`${login}@example.com`, { nickName: login }))));
      expect(created.map((r) => r.status)).toEqual(logins.map(() => 201));
      await eventually(() => {
        for (const login of logins) expect(limited.state.org('acme')!.members.get(login)).toEqual({ role: 'member', state: 'pending' });
      }, 40_000, 200);
      const { refusal, next } = firstRefusalAndNext(answers, limited.requests.entries(), (a) => a.status === 403 && a.headers['x-ratelimit-remaining'] === '0');
      expect(next.time).toBeGreaterThanOrEqual(Number(refusal.headers['x-ratelimit-reset']) * 1000);
      // Each invited once: nobody duplicated or lost.
      expect([...limited.state.org('acme')!.members.keys()].sort()).toEqual([...logins, 'dana', 'octo-member', 'octo-owner'].sort());
      expect(limited.requests.count({ method: 'PUT', path: /^\/orgs\/acme\/memberships\/dev\d$/ })).toBeGreaterThanOrEqual(logins.length);
      expect(await deliveriesIn(api, scim.orgId, connection.id, 'dead')).toEqual([]);
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('a token GitHub rejects marks the connection unhealthy with a message in words; test() says unauthorized', async () => {
    const { scim, connection } = await connect(api, { ...githubConnection(github), credentials: { token: 'ghp_revoked' } });
    await scim.post('/Users', idpUser('carol@example.com', { nickName: 'carol' }));
    await eventually(async () => {
      const read = await call(api, 'GET', `/v1/organizations/${scim.orgId}/connections/${connection.id}`);
      expect(read.body).toMatchObject({ status: 'unhealthy', status_message: expect.stringMatching(/rejected the credentials.*Bad credentials/) });
    }, 20_000, 100);
    const test = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections/${connection.id}/test`);
    expect(test.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(org().members.has('carol')).toBe(false);
  });
});
