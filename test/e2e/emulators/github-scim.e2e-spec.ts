import type { GitHubEmulator } from '../../emulators/github/github.emulator';
import { OWNER_TOKEN, SCIM_TOKEN, gh, startSeededGitHub } from './github-test.util';

const EMU = '/scim/v2/enterprises/acme-emu';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const alice = { schemas: [USER], externalId: 'ext-alice', userName: 'alice_acme', displayName: 'Alice', active: true, emails: [{ value: 'alice@acme.test', type: 'work', primary: true }], name: { givenName: 'Alice', familyName: 'Doe' } };

describe('GitHub emulator: SCIM (reference §2.2, §2.3)', () => {
  let github: GitHubEmulator;
  const scim = (method: string, path: string, body?: unknown, token = SCIM_TOKEN) => gh(github, method, path, { token, body, headers: { 'content-type': 'application/scim+json' } });
  beforeAll(async () => {
    github = await startSeededGitHub();
  });
  afterEach(() => github.reset());
  afterAll(() => github.close());

  it('creates EMU users as application/scim+json, 409 on duplicates, 400 on missing fields, 404 on unknown ids', async () => {
    const created = await scim('POST', `${EMU}/Users`, alice);
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), userName: 'alice_acme', groups: [], meta: { resourceType: 'User' } } });
    expect(created.headers.get('content-type')).toContain('application/scim+json');
    expect(await scim('POST', `${EMU}/Users`, alice)).toMatchObject({ status: 409, body: { scimType: 'uniqueness', status: '409' } });
    expect((await scim('POST', `${EMU}/Users`, { ...alice, userName: 'x', externalId: 'y', displayName: undefined })).status).toBe(400);
    expect((await scim('POST', `${EMU}/Users`, { ...alice, userName: 'x', externalId: 'y', name: { givenName: 'A' } })).status).toBe(400);
    expect((await scim('GET', `${EMU}/Users/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    // Paths are case-sensitive (§2.2 "Basics").
    expect((await scim('GET', `${EMU}/users`)).status).toBe(404);
  });

  it('filters with one eq and pages with startIndex/count; other filters are 400', async () => {
    for (const n of [1, 2, 3]) await scim('POST', `${EMU}/Users`, { ...alice, userName: `u${n}`, externalId: `e${n}` });
    const found = await scim('GET', `${EMU}/Users?filter=${encodeURIComponent('externalId eq "e2"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ userName: 'u2' }] });
    const page = await scim('GET', `${EMU}/Users?startIndex=2&count=1`);
    expect(page.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect((await scim('GET', `${EMU}/Users?filter=${encodeURIComponent('userName eq "u1" and active eq true')}`)).status).toBe(400);
  });

  it('suspends on active:false (still listed), ignores filtered PATCH paths, deletes for good', async () => {
    const { body: user } = await scim('POST', `${EMU}/Users`, alice);
    const suspended = await scim('PATCH', `${EMU}/Users/${user.id}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: false }, { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y' }] });
    expect(suspended.body).toMatchObject({ active: false, emails: alice.emails });
    expect((await scim('GET', `${EMU}/Users`)).body.totalResults).toBe(1);
    expect((await scim('DELETE', `${EMU}/Users/${user.id}`)).status).toBe(204);
    expect((await scim('GET', `${EMU}/Users/${user.id}`)).status).toBe(404);
  });

  it('manages groups: members must exist, PATCH add/remove, PUT replaces membership, user delete leaves groups', async () => {
    const { body: user } = await scim('POST', `${EMU}/Users`, alice);
    expect((await scim('POST', `${EMU}/Groups`, { displayName: 'eng', externalId: 'g1', members: [{ value: 'nope' }] })).status).toBe(400);
    const group = await scim('POST', `${EMU}/Groups`, { displayName: 'eng', externalId: 'g1', members: [{ value: user.id }] });
    expect(group).toMatchObject({ status: 201, body: { members: [{ value: user.id }] } });
    expect((await scim('POST', `${EMU}/Groups`, { displayName: 'eng', externalId: 'g2' })).status).toBe(409);
    expect((await scim('GET', `${EMU}/Users/${user.id}`)).body.groups).toEqual([{ value: group.body.id, display: 'eng' }]);
    const removed = await scim('PATCH', `${EMU}/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members', value: [{ value: user.id }] }] });
    expect(removed.body.members).toEqual([]);
    await scim('PATCH', `${EMU}/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }] });
    await scim('DELETE', `${EMU}/Users/${user.id}`);
    expect((await scim('GET', `${EMU}/Groups/${group.body.id}`)).body.members).toEqual([]);
    expect((await scim('GET', `${EMU}/Groups?excludedAttributes=members`)).body.Resources[0].members).toBeUndefined();
    expect((await scim('DELETE', `${EMU}/Groups/${group.body.id}`)).status).toBe(204);
  });

  it('needs the scim:enterprise scope (403) and answers group PATCH with 204 when configured', async () => {
    expect((await scim('GET', `${EMU}/Users`, undefined, OWNER_TOKEN)).status).toBe(403);
    const noContent = await startSeededGitHub({ groupPatchNoContent: true });
    try {
      const group = await gh(noContent, 'POST', `${EMU}/Groups`, { token: SCIM_TOKEN, body: { displayName: 'eng', externalId: 'g1' } });
      const patched = await gh(noContent, 'PATCH', `${EMU}/Groups/${group.body.id}`, { token: SCIM_TOKEN, body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'eng2' }] } });
      expect(patched.status).toBe(204);
    } finally {
      await noContent.close();
    }
  });

  it('org SCIM: active:false deletes the identity instead of suspending (§2.3)', async () => {
    const org = '/scim/v2/organizations/acme';
    const created = await gh(github, 'POST', `${org}/Users`, { body: { userName: 'alice', name: { givenName: 'A', familyName: 'D' }, emails: [{ value: 'a@x.test' }] } });
    expect(created.status).toBe(201);
    expect((await gh(github, 'GET', `${org}/Users?filter=${encodeURIComponent('emails eq "A@X.test"')}`)).body.totalResults).toBe(1);
    await gh(github, 'PATCH', `${org}/Users/${created.body.id}`, { body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] } });
    expect((await gh(github, 'GET', `${org}/Users/${created.body.id}`)).status).toBe(404);
    expect((await gh(github, 'GET', `${org}/Groups`)).status).toBe(404);
  });
});
