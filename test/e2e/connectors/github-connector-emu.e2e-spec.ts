import { randomUUID } from 'node:crypto';
import { type AppConnector, ConnectorError, type DesiredUser } from '@delta/connectors';
import { createGitHubConnector } from '@delta/connectors/github/github.connector';
import type { GitHubEmulator } from '../../emulators/github/github.emulator';
import { OWNER_TOKEN, SCIM_TOKEN, startSeededGitHub } from '../emulators/github-test.util';

function emu(github: GitHubEmulator, token = SCIM_TOKEN, config: Record<string, unknown> = {}): AppConnector {
  return createGitHubConnector({ organizationId: 'org-1', connectionId: randomUUID(), config: { mode: 'enterprise', enterprise: 'acme-emu', base_url: github.url, ...config }, credentials: { token } }, { timeoutMs: 2000 });
}

function person(userName: string, externalId: string): DesiredUser {
  return {
    id: randomUUID(),
    userName,
    externalId,
    email: `${userName}@example.com`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    displayName: null,
    active: true,
    scim: { userName, externalId },
    profile: { email_address: `${userName}@example.com`, first_name: 'Ada', last_name: 'Lovelace' },
  };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('GitHub connector, enterprise (EMU SCIM) mode, against the emulator (reference §2.2)', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startSeededGitHub();
  });
  afterEach(() => github.reset());
  afterAll(() => github.close());
  const enterprise = () => github.state.enterprises.get('acme-emu')!;

  it('joiner, mover, leaver, re-hire and hard delete', async () => {
    const app = emu(github);
    const ada = person('ada', 'entra-oid-1');
    const remote = await app.createUser(ada);
    expect(enterprise().users.get(remote.id)).toMatchObject({
      userName: 'ada',
      externalId: 'entra-oid-1',
      displayName: 'Ada Lovelace',
      active: true,
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    });
    expect(await app.findUser({ userName: 'ada' })).toMatchObject({ id: remote.id, active: true });
    // A create whose answer was lost: the 409 links the existing account.
    expect(await app.createUser(ada)).toMatchObject({ id: remote.id });

    await app.updateUser(remote.id, { ...ada, displayName: 'Countess' });
    expect(enterprise().users.get(remote.id)!.displayName).toBe('Countess');

    await app.deactivateUser(remote.id);
    expect(enterprise().users.get(remote.id)!.active).toBe(false);
    expect(await app.findUser({ userName: 'ada' })).toMatchObject({ active: false });
    await app.reactivateUser(remote.id, ada);
    expect(enterprise().users.get(remote.id)!.active).toBe(true);

    await app.deleteUser(remote.id);
    await app.deleteUser(remote.id);
    expect(enterprise().users.has(remote.id)).toBe(false);
    await app.deactivateUser(remote.id);
  });

  it('groups: create (or link), rename, members added and removed, list, delete', async () => {
    const app = emu(github);
    const a = await app.createUser(person('a', 'x-a'));
    const b = await app.createUser(person('b', 'x-b'));
    const desired = { id: randomUUID(), displayName: 'Engineering', externalId: 'idp-group-1' };
    const group = await app.createGroup(desired);
    expect(enterprise().groups.get(group.id)).toMatchObject({ externalId: 'idp-group-1', displayName: 'Engineering', members: [] });
    expect(await app.findGroup(desired)).toMatchObject({ id: group.id });
    expect(await app.createGroup(desired)).toMatchObject({ id: group.id });
    await app.addMembers(group.id, [a.id, b.id]);
    await app.removeMembers(group.id, [a.id]);
    expect(enterprise().groups.get(group.id)!.members.map((m: { value: string }) => m.value)).toEqual([b.id]);
    await app.updateGroup(group.id, { ...desired, displayName: 'Eng' });
    expect(enterprise().groups.get(group.id)!.displayName).toBe('Eng');
    expect((await app.listGroups()).items).toEqual([expect.objectContaining({ id: group.id, displayName: 'Eng' })]);
    expect((await app.listUsers()).items.map((u) => u.userName).sort()).toEqual(['a', 'b']);
    await app.deleteGroup(group.id);
    await app.deleteGroup(group.id);
    await app.removeMembers(group.id, [b.id]);
    expect(enterprise().groups.size).toBe(0);
  });

  it('test(): ok with scim:enterprise; explains a missing scope, a bad token and an unknown enterprise', async () => {
    await expect(emu(github).test()).resolves.toBeUndefined();
    const scope = await failure(emu(github, OWNER_TOKEN).test());
    expect(scope).toMatchObject({ kind: 'permanent', status: 403 });
    expect(scope.message).toMatch(/scim:enterprise/);
    expect(await failure(emu(github, 'ghp_wrong').test())).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect((await failure(emu(github, SCIM_TOKEN, { enterprise: 'nope' }).test())).message).toMatch(/enterprise "nope" was not found/);
  });

  it('rate limits: primary (403, x-ratelimit-remaining 0) and secondary (403 message + retry-after) → rate_limited', async () => {
    const app = emu(github);
    const reset = Math.floor(Date.now() / 1000) + 120;
    github.faults.next(1, { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded for user ID 1.' } }, { method: 'POST' });
    const primary = await failure(app.createUser(person('p', 'x-p')));
    expect(primary.kind).toBe('rate_limited');
    expect(primary.retryAfterMs).toBeGreaterThanOrEqual(119_000);
    expect(primary.retryAfterMs).toBeLessThanOrEqual(122_000);
    github.faults.next(1, { status: 403, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit.' } }, { method: 'POST' });
    expect(await failure(app.createUser(person('p', 'x-p')))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
    github.faults.next(1, { status: 503 }, { method: 'POST' });
    expect(await failure(app.createUser(person('p', 'x-p')))).toMatchObject({ kind: 'retryable', status: 503 });
  });

  it('sends User-Agent and X-GitHub-Api-Version on SCIM calls (§2.1)', async () => {
    await emu(github).findUser({ userName: 'nobody' });
    expect(github.requests.entries()[0]!.headers).toMatchObject({ 'user-agent': expect.stringContaining('Delta'), 'x-github-api-version': '2022-11-28' });
  });
});
