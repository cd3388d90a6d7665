import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { GitHubEmulator } from '../../emulators/github/github.emulator';
import { OWNER_TOKEN, SCIM_TOKEN, startSeededGitHub } from './github-test.util';

const GitHubClient = Octokit.plugin(throttling, retry);

/**
 * The official client pointed at the emulator by `baseUrl` (reference §2.6), with zero-delay
 * Bottleneck groups and `retryAfterBaseValue: 1` so the module-level write/notification spacing
 * does not slow the suite.
 */
function client(github: GitHubEmulator, handlers: { onRateLimit?: (after: number) => boolean; onSecondaryRateLimit?: (after: number) => boolean } = {}, token = OWNER_TOKEN) {
  const group = () => new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 });
  return new GitHubClient({
    baseUrl: github.url,
    auth: token,
    userAgent: 'delta-test',
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: {
      id: `test-${Math.random()}`,
      global: group(),
      write: group(),
      search: group(),
      notifications: group(),
      auth: group(),
      retryAfterBaseValue: 1,
      onRateLimit: handlers.onRateLimit ?? (() => false),
      onSecondaryRateLimit: handlers.onSecondaryRateLimit ?? (() => false),
    } as any,
    retry: { retryAfterBaseValue: 1 },
  });
}

describe('GitHub emulator with @octokit/rest + throttling + retry (reference §2.6)', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startSeededGitHub();
  });
  afterEach(() => github.reset());
  afterAll(() => github.close());

  it('round-trips membership, invitations, teams, paginate and SCIM', async () => {
    const octokit = client(github);
    const membership = await octokit.rest.orgs.setMembershipForUser({ org: 'acme', username: 'alice', role: 'member' });
    expect(membership.data.state).toBe('pending');
    const invitation = await octokit.rest.orgs.createInvitation({ org: 'acme', email: 'new@example.com', role: 'direct_member' });
    expect(invitation.status).toBe(201);
    await octokit.rest.teams.create({ org: 'acme', name: 'Eng' });
    await octokit.rest.teams.addOrUpdateMembershipForUserInOrg({ org: 'acme', team_slug: 'eng', username: 'octo-member' });
    for (let i = 0; i < 40; i++) github.state.org('acme')!.members.set(github.state.addUser(`m${i}`).login, { role: 'member', state: 'active' });
    const members = await octokit.paginate(octokit.rest.orgs.listMembers, { org: 'acme', per_page: 25 });
    expect(members).toHaveLength(42);
    const scim = client(github, {}, SCIM_TOKEN);
    const created = await scim.request('POST /scim/v2/enterprises/{enterprise}/Users', {
      enterprise: 'acme-emu',
      headers: { 'content-type': 'application/scim+json' },
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId: 'e1',
      userName: 'u1',
      displayName: 'U',
      active: true,
      emails: [{ value: 'u1@x.test', primary: true, type: 'work' }],
    });
    expect(created.status).toBe(201);
    await expect(octokit.rest.orgs.createInvitation({ org: 'acme', email: 'new@example.com' })).rejects.toMatchObject({ status: 422 });
  });

  it('plugin-retry retries a 503 and a socket reset; 422 is not retried', async () => {
    const octokit = client(github);
    github.faults.next(1, { status: 503 }, { path: '/orgs/acme' });
    github.faults.next(1, { reset: true }, { path: '/orgs/acme' });
    expect((await octokit.rest.orgs.get({ org: 'acme' })).status).toBe(200);
    expect(github.requests.count({ path: '/orgs/acme' })).toBe(3);
  });

  it('throttling sees the primary limit (x-ratelimit-remaining 0) and the secondary message', async () => {
    const primary = await startSeededGitHub({ limits: { core: 1, windowSeconds: 5 } });
    const secondary = await startSeededGitHub({ limits: { contentCreationPerMinute: 1, secondaryRetryAfter: 2 } });
    try {
      const seen: string[] = [];
      const retryAfterReset = (emulator: GitHubEmulator, label: (after: number) => string, ms: number) => (after: number) => {
        seen.push(label(after));
        emulator.clock.advance(ms);
        return true;
      };
      const first = client(primary, { onRateLimit: retryAfterReset(primary, () => 'primary', 5000) });
      await first.rest.users.getAuthenticated();
      await first.rest.users.getAuthenticated();
      const second = client(secondary, { onSecondaryRateLimit: retryAfterReset(secondary, (after) => `secondary:${after}`, 60_000) });
      await second.rest.orgs.createInvitation({ org: 'acme', email: 'a@x.test' });
      await second.rest.orgs.createInvitation({ org: 'acme', email: 'b@x.test' });
      expect(seen).toEqual(['primary', 'secondary:2']);
    } finally {
      await Promise.all([primary.close(), secondary.close()]);
    }
  });
});
