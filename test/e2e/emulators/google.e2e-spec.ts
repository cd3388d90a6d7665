import type { GoogleEmulator } from '../../emulators/google/google.emulator';
import { SCOPES } from '../../emulators/google/google-emulator.state';
import { ADMIN, api, accessToken, assertion, exchange, serviceAccount, startSeededGoogle } from './google-test.util';

const D = '/admin/directory/v1';
const newUser = (email: string, extra: Record<string, unknown> = {}) => ({ primaryEmail: email, name: { givenName: 'Ann', familyName: 'Lee' }, password: 'correct horse battery', ...extra });

describe('Google emulator: OAuth token endpoint and Directory API (reference §3.1, §3.2)', () => {
  let google: GoogleEmulator;
  let key: string;
  let token: string;
  const call = (method: string, path: string, body?: unknown) => api(google, token, method, path, body);
  beforeAll(async () => {
    const seeded = await startSeededGoogle();
    google = seeded.google;
    key = seeded.sa.private_key;
  });
  beforeEach(async () => {
    google.reset();
    token = await accessToken(google, key);
  });
  afterAll(() => google.close());

  describe('JWT bearer grant (§3.2)', () => {
    it('issues a bearer token for a correctly signed assertion', async () => {
      const { status, body } = await exchange(google, assertion(key, { scope: SCOPES.user, sub: ADMIN }));
      expect(status).toBe(200);
      expect(body).toEqual({ access_token: expect.stringMatching(/^ya29\./), expires_in: 3599, token_type: 'Bearer' });
    });

    it('answers invalid_grant / unauthorized_client / unsupported_grant_type as Google does', async () => {
      const other = serviceAccount().json.private_key;
      expect(await exchange(google, assertion(other, { scope: SCOPES.user, sub: ADMIN }))).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
      expect((await exchange(google, assertion(key, { scope: SCOPES.user, sub: 'nobody@example.com' }))).body.error).toBe('invalid_grant');
      const longLived = assertion(key, { scope: SCOPES.user, sub: ADMIN, exp: Math.floor(Date.now() / 1000) + 7200 });
      expect((await exchange(google, longLived)).body.error).toBe('invalid_grant');
      expect(await exchange(google, assertion(key, { scope: 'https://mail.google.com/', sub: ADMIN }))).toMatchObject({ status: 401, body: { error: 'unauthorized_client' } });
      expect((await exchange(google, assertion(key, { scope: SCOPES.user }), 'client_credentials')).body.error).toBe('unsupported_grant_type');
    });

    it('rejects API calls with a bad or expired token (401), a missing scope or no delegation (403)', async () => {
      expect((await api(google, 'nope', 'GET', `${D}/users/${ADMIN}`)).body.error).toMatchObject({ code: 401, errors: [{ reason: 'authError' }], status: 'UNAUTHENTICATED' });
      const groupsOnly = await accessToken(google, key, [SCOPES.group]);
      expect((await api(google, groupsOnly, 'GET', `${D}/users/${ADMIN}`)).body.error.errors[0].reason).toBe('insufficientPermissions');
      const undelegated = await accessToken(google, key, [SCOPES.user], null);
      expect((await api(google, undelegated, 'GET', `${D}/users/${ADMIN}`)).body.error.errors[0].reason).toBe('forbidden');
      google.clock.advance(3600_000);
      expect((await call('GET', `${D}/users/${ADMIN}`)).status).toBe(401);
    });
  });

  describe('users', () => {
    it('inserts, gets by id or email, 409 duplicate, 404 unknown, never returns the password', async () => {
      const created = await call('POST', `${D}/users`, newUser('ann@example.com', { externalIds: [{ value: 'okta-1', type: 'organization' }] }));
      expect(created).toMatchObject({ status: 200, body: { kind: 'admin#directory#user', primaryEmail: 'ann@example.com', suspended: false, orgUnitPath: '/' } });
      expect(created.body.password).toBeUndefined();
      expect((await call('GET', `${D}/users/${created.body.id}`)).body.primaryEmail).toBe('ann@example.com');
      expect((await call('GET', `${D}/users/ANN@example.com`)).body.id).toBe(created.body.id);
      expect((await call('POST', `${D}/users`, newUser('ann@example.com'))).body.error).toMatchObject({ code: 409, message: 'Entity already exists.', errors: [{ reason: 'duplicate', domain: 'global' }] });
      expect((await call('GET', `${D}/users/ghost@example.com`)).body.error).toMatchObject({ code: 404, message: 'Resource Not Found: userKey', errors: [{ reason: 'notFound' }] });
      expect((await call('POST', `${D}/users`, { primaryEmail: 'x@example.com', password: 'p' })).status).toBe(400);
    });

    it('lists with customer=my_customer, query and pageToken/maxResults; requires customer or domain', async () => {
      for (const n of [1, 2, 3, 4]) await call('POST', `${D}/users`, newUser(`u${n}@example.com`, { externalIds: [{ value: `ext-${n}` }] }));
      expect((await call('GET', `${D}/users`)).body.error.errors[0].reason).toBe('badRequest');
      const first = await call('GET', `${D}/users?customer=my_customer&maxResults=3`);
      expect(first.body.users).toHaveLength(3);
      const second = await call('GET', `${D}/users?customer=my_customer&maxResults=3&pageToken=${first.body.nextPageToken}`);
      expect(second.body.users).toHaveLength(2);
      expect(second.body.nextPageToken).toBeUndefined();
      const byEmail = await call('GET', `${D}/users?customer=my_customer&query=${encodeURIComponent('email:u2@example.com')}`);
      expect(byEmail.body.users.map((u: any) => u.primaryEmail)).toEqual(['u2@example.com']);
      const byExternal = await call('GET', `${D}/users?customer=my_customer&query=${encodeURIComponent('externalId:ext-3')}`);
      expect(byExternal.body.users.map((u: any) => u.primaryEmail)).toEqual(['u3@example.com']);
      expect((await call('GET', `${D}/users?domain=example.com&query=${encodeURIComponent('email:nobody@example.com')}`)).body.users).toBeUndefined();
    });

    it('patches suspended and orgUnitPath, renames keeping an alias, signs out, revokes tokens, deletes and undeletes', async () => {
      const { body: user } = await call('POST', `${D}/users`, newUser('ann@example.com'));
      const patched = await call('PATCH', `${D}/users/ann@example.com`, { suspended: true, orgUnitPath: '/Staff' });
      expect(patched.body).toMatchObject({ suspended: true, suspensionReason: 'ADMIN', orgUnitPath: '/Staff' });
      expect((await call('GET', `${D}/users?customer=my_customer&query=isSuspended%3Dtrue`)).body.users).toHaveLength(1);
      expect((await call('PATCH', `${D}/users/${user.id}`, { orgUnitPath: '/Nope' })).body.error.message).toBe('Invalid Input: INVALID_OU_ID');
      await call('PATCH', `${D}/users/${user.id}`, { primaryEmail: 'ann.lee@example.com' });
      expect((await call('GET', `${D}/users/ann@example.com`)).body.primaryEmail).toBe('ann.lee@example.com');
      expect((await call('POST', `${D}/users/${user.id}/signOut`)).status).toBe(204);
      expect(google.state.signOuts.get(user.id)).toBe(1);
      google.state.appTokens.set(user.id, [{ clientId: 'app-1', displayText: 'App', scopes: ['email'], anonymous: false, nativeApp: false }]);
      expect((await call('GET', `${D}/users/${user.id}/tokens`)).body.items).toEqual([expect.objectContaining({ clientId: 'app-1', kind: 'admin#directory#token' })]);
      expect((await call('DELETE', `${D}/users/${user.id}/tokens/app-1`)).status).toBe(204);
      expect((await call('DELETE', `${D}/users/${user.id}/tokens/app-1`)).status).toBe(404);
      expect((await call('DELETE', `${D}/users/${user.id}`)).status).toBe(204);
      expect((await call('GET', `${D}/users/${user.id}`)).status).toBe(404);
      expect((await call('POST', `${D}/users/${user.id}/undelete`, { orgUnitPath: '/' })).status).toBe(204);
      expect((await call('GET', `${D}/users/${user.id}`)).body.suspended).toBe(true);
    });
  });

  describe('groups and members', () => {
    it('inserts, patches, lists, adds members (409 "Member already exists."), hasMember, deletes', async () => {
      const { body: user } = await call('POST', `${D}/users`, newUser('ann@example.com'));
      const group = await call('POST', `${D}/groups`, { email: 'eng@example.com', name: 'Eng' });
      expect(group.body).toMatchObject({ kind: 'admin#directory#group', email: 'eng@example.com', directMembersCount: '0' });
      expect((await call('POST', `${D}/groups`, { email: 'eng@example.com' })).status).toBe(409);
      expect((await call('PATCH', `${D}/groups/eng@example.com`, { description: 'Engineers' })).body.description).toBe('Engineers');
      expect((await call('GET', `${D}/groups?customer=my_customer`)).body.groups).toHaveLength(1);
      const member = await call('POST', `${D}/groups/${group.body.id}/members`, { email: 'ann@example.com', role: 'MEMBER' });
      expect(member.body).toMatchObject({ id: user.id, type: 'USER', role: 'MEMBER', status: 'ACTIVE' });
      expect((await call('POST', `${D}/groups/${group.body.id}/members`, { email: 'ann@example.com' })).body.error).toMatchObject({ code: 409, message: 'Member already exists.', errors: [{ reason: 'duplicate' }] });
      expect((await call('POST', `${D}/groups/eng@example.com/members`, { email: 'partner@other.test' })).body.type).toBe('EXTERNAL');
      expect((await call('POST', `${D}/groups/eng@example.com/members`, { email: 'ghost@example.com' })).status).toBe(404);
      expect((await call('GET', `${D}/groups/eng@example.com/members?maxResults=1`)).body.nextPageToken).toBeDefined();
      expect((await call('GET', `${D}/groups/eng@example.com/hasMember/ann@example.com`)).body).toEqual({ isMember: true });
      expect((await call('GET', `${D}/groups/eng@example.com/hasMember/ghost@example.com`)).body.error.message).toBe('Invalid Input: memberKey');
      expect((await call('GET', `${D}/groups?userKey=ann@example.com`)).body.groups).toHaveLength(1);
      expect((await call('DELETE', `${D}/groups/eng@example.com/members/ann@example.com`)).status).toBe(204);
      expect((await call('DELETE', `${D}/groups/eng@example.com/members/ann@example.com`)).body.error.message).toBe('Resource Not Found: memberKey');
      expect((await call('DELETE', `${D}/groups/${group.body.id}`)).status).toBe(204);
      expect((await call('GET', `${D}/groups/${group.body.id}`)).body.error.message).toBe('Resource Not Found: groupKey');
    });
  });
});
