import { admin } from '@googleapis/admin';
import { Gaxios } from 'gaxios';
import { JWT } from 'google-auth-library';
import type { GoogleEmulator } from '../../emulators/google/google.emulator';
import { SCOPES } from '../../emulators/google/google-emulator.state';
import { googleQuotaFault } from '../../emulators/google/google-quota.util';
import { ADMIN, DIRECTORY_SCOPES, startSeededGoogle } from './google-test.util';

// The client percent-encodes `@` in userKey; the log keeps paths as sent.
const ADMIN_PATH = /^\/admin\/directory\/v1\/users\/admin(@|%40)example\.com$/;
const GOOGLE_HOSTS = ['oauth2.googleapis.com', 'admin.googleapis.com', 'cloudresourcemanager.googleapis.com'];

/**
 * The official clients, unpatched: the token URL is hard-coded, so a transporter interceptor
 * rewrites Google hosts to the emulator (reference §3.3 "Token endpoint"); `rootUrl` points the
 * Directory client at it too.
 */
function jwtClient(google: GoogleEmulator, sa: { client_email: string; private_key: string }, scopes: string[], subject?: string): JWT {
  // gaxios would `import('node-fetch')` under Node, which jest's CommonJS runtime cannot do; use the global fetch.
  const transporter = new Gaxios({ fetchImplementation: fetch });
  transporter.interceptors.request.add({
    resolved: async (config) => {
      const url = new URL(String(config.url));
      if (GOOGLE_HOSTS.includes(url.hostname)) config.url = new URL(`${url.pathname}${url.search}`, google.url);
      return config;
    },
  });
  return new JWT({ email: sa.client_email, key: sa.private_key, scopes, subject, transporter });
}

describe('Google emulator with google-auth-library + @googleapis/admin (reference §3.3)', () => {
  let google: GoogleEmulator;
  let sa: { client_email: string; private_key: string };
  beforeAll(async () => {
    ({ google, sa } = await startSeededGoogle());
  });
  afterEach(() => google.reset());
  afterAll(() => google.close());

  it('exchanges the signed JWT once and round-trips users, groups and members', async () => {
    const directory = admin({ version: 'directory_v1', auth: jwtClient(google, sa, DIRECTORY_SCOPES, ADMIN) as any, rootUrl: `${google.url}/` });
    const user = await directory.users.insert({ requestBody: { primaryEmail: 'ann@example.com', name: { givenName: 'Ann', familyName: 'Lee' }, password: 'a long password' } });
    expect(user.data.id).toBeDefined();
    const listed = await directory.users.list({ customer: 'my_customer', query: 'email:ann@example.com' });
    expect(listed.data.users?.map((u) => u.primaryEmail)).toEqual(['ann@example.com']);
    await directory.users.patch({ userKey: 'ann@example.com', requestBody: { suspended: true } });
    const group = await directory.groups.insert({ requestBody: { email: 'eng@example.com' } });
    await directory.members.insert({ groupKey: group.data.id!, requestBody: { email: 'ann@example.com', role: 'MEMBER' } });
    await expect(directory.members.insert({ groupKey: group.data.id!, requestBody: { email: 'ann@example.com' } })).rejects.toMatchObject({
      status: 409,
      message: 'Member already exists.',
    });
    expect(google.requests.count({ method: 'POST', path: '/token' })).toBe(1);
    const token = google.requests.last({ path: '/admin/directory/v1/users' })!.headers.authorization;
    expect(google.state.accessTokens.get(token.replace('Bearer ', ''))).toMatchObject({ sub: ADMIN, clientEmail: sa.client_email });
  });

  it('inherits gaxios retries for GET on 429 (counted in the log) but not for 403 rate limits', async () => {
    const directory = admin({ version: 'directory_v1', auth: jwtClient(google, sa, DIRECTORY_SCOPES, ADMIN) as any, rootUrl: `${google.url}/` });
    google.faults.next(2, googleQuotaFault('rateLimitExceeded'), { method: 'GET', path: ADMIN_PATH });
    expect((await directory.users.get({ userKey: ADMIN })).data.primaryEmail).toBe(ADMIN);
    expect(google.requests.count({ path: ADMIN_PATH })).toBe(3);
    google.faults.next(1, googleQuotaFault('userRateLimitExceeded'), { method: 'GET', path: ADMIN_PATH });
    await expect(directory.users.get({ userKey: ADMIN })).rejects.toMatchObject({ status: 403 });
    expect(google.requests.count({ path: ADMIN_PATH })).toBe(4);
  });

  it('surfaces invalid_grant from the token endpoint and does CRM read-modify-write with auth.request', async () => {
    const bad = jwtClient(google, sa, DIRECTORY_SCOPES, 'nobody@example.com');
    await expect(bad.getAccessToken()).rejects.toThrow(/invalid_grant/);
    const crm = jwtClient(google, sa, [SCOPES.cloudPlatform]);
    const url = 'https://cloudresourcemanager.googleapis.com/v3/projects/delta-prod';
    const policy = await crm.request<any>({ url: `${url}:getIamPolicy`, method: 'POST', data: { options: { requestedPolicyVersion: 3 } } });
    google.state.concurrentIamChange('projects/delta-prod');
    await expect(crm.request({ url: `${url}:setIamPolicy`, method: 'POST', data: { policy: policy.data }, retry: false })).rejects.toMatchObject({ status: 409 });
  });
});
