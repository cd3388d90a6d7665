import { ApiProcess, startProcess } from '../../support/api-process';
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEY, TestApi, call, createOrganization, createScimToken, eventually, startTestApi } from '../../support/test-api';
import { ScimTokenVerifier } from '../../../apps/api/src/auth/scim-token-verifier.service';

const spc = (orgId: string) => `/scim/v2/${orgId}/ServiceProviderConfig`;

function expectScim401(res: { status: number; headers: Headers; body: any }): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(res.headers.get('content-type')).toContain('application/scim+json');
  expect(res.body).toEqual({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: '401',
    detail: expect.any(String),
  });
}

describe('SCIM bearer-token authentication', () => {
  let api: TestApi;
  let replica: ApiProcess;
  beforeAll(async () => {
    // A second API replica in its own process, on the same database: revocation must reach it.
    api = await startTestApi();
    replica = await startProcess('apps/api/src/main.js', {
      DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL!,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    });
  });
  afterAll(async () => {
    await api.close();
    await replica.stop();
  });

  it('accepts a new token on its own organization', async () => {
    const org = await createOrganization(api);
    const { token } = await createScimToken(api, org.id);
    const res = await call(api, 'GET', spc(org.id), { auth: token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/scim+json');
    expect(res.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
    expect(res.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
    expect((await call(replica, 'GET', spc(org.id), { auth: token })).status).toBe(200);
  });

  it('refuses a token of organization A on B’s URL, exactly as an unknown organization', async () => {
    const a = await createOrganization(api);
    const b = await createOrganization(api);
    const { token } = await createScimToken(api, a.id);
    const wrongOrg = await call(api, 'GET', spc(b.id), { auth: token });
    const noOrg = await call(api, 'GET', spc('3f1d1c2e-0000-4000-8000-000000000000'), { auth: token });
    const malformedOrg = await call(api, 'GET', spc('acme'), { auth: token });
    for (const res of [wrongOrg, noOrg, malformedOrg]) expectScim401(res);
    expect(wrongOrg.body).toEqual(noOrg.body);
    expect(noOrg.body).toEqual(malformedOrg.body);
  });

  it('refuses missing, malformed and unknown tokens', async () => {
    const org = await createOrganization(api);
    expectScim401(await call(api, 'GET', spc(org.id), { auth: null }));
    expectScim401(await call(api, 'GET', spc(org.id), { auth: 'not-a-token' }));
    const { token } = await createScimToken(api, org.id);
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expectScim401(await call(api, 'GET', spc(org.id), { auth: forged }));
    expect((await call(api, 'GET', spc(org.id), { auth: token })).status).toBe(200);
  });

  it('keeps several live tokens so a customer can rotate without downtime', async () => {
    const org = await createOrganization(api);
    const first = await createScimToken(api, org.id, { name: 'Entra — old' });
    const second = await createScimToken(api, org.id, { name: 'Entra — new' });
    expect((await call(api, 'GET', spc(org.id), { auth: first.token })).status).toBe(200);
    expect((await call(api, 'GET', spc(org.id), { auth: second.token })).status).toBe(200);
    expect((await call(api, 'DELETE', `/v1/organizations/${org.id}/scim/tokens/${first.id}`)).status).toBe(204);
    expect((await call(api, 'GET', spc(org.id), { auth: second.token })).status).toBe(200);
  });

  it('refuses a revoked token at once, on every replica, even when it was cached', async () => {
    const org = await createOrganization(api);
    const { id, token } = await createScimToken(api, org.id);
    // Warm both replicas' caches.
    expect((await call(api, 'GET', spc(org.id), { auth: token })).status).toBe(200);
    expect((await call(replica, 'GET', spc(org.id), { auth: token })).status).toBe(200);
    expect((await call(api, 'DELETE', `/v1/organizations/${org.id}/scim/tokens/${id}`)).status).toBe(204);
    expectScim401(await call(api, 'GET', spc(org.id), { auth: token }));
    await eventually(async () => expectScim401(await call(replica, 'GET', spc(org.id), { auth: token })), 1000, 20);
    const listed = await call(api, 'GET', `/v1/organizations/${org.id}/scim/tokens`);
    expect(listed.body.data.find((t: { id: string }) => t.id === id).revoked_at).toEqual(expect.any(String));
    expect((await call(api, 'DELETE', `/v1/organizations/${org.id}/scim/tokens/${id}`)).status).toBe(204);
  });

  it('refuses a token once it has expired, even when it was cached', async () => {
    const org = await createOrganization(api);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const { token } = await createScimToken(api, org.id, { name: 'short-lived', expires_at: expiresAt });
    expect((await call(api, 'GET', spc(org.id), { auth: token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 100));
    expectScim401(await call(api, 'GET', spc(org.id), { auth: token }));
    expectScim401(await call(replica, 'GET', spc(org.id), { auth: token }));
  });

  it('refuses every token of a deleted organization', async () => {
    const org = await createOrganization(api);
    const { token } = await createScimToken(api, org.id);
    expect((await call(api, 'GET', spc(org.id), { auth: token })).status).toBe(200);
    expect((await call(replica, 'GET', spc(org.id), { auth: token })).status).toBe(200);
    await call(api, 'DELETE', `/v1/organizations/${org.id}`);
    expectScim401(await call(api, 'GET', spc(org.id), { auth: token }));
    await eventually(async () => expectScim401(await call(replica, 'GET', spc(org.id), { auth: token })), 1000, 20);
  });

  it('records last_used_at without a write per request', async () => {
    const org = await createOrganization(api);
    const { id, token } = await createScimToken(api, org.id);
    for (let i = 0; i < 5; i++) await call(api, 'GET', spc(org.id), { auth: token });
    let listed = await call(api, 'GET', `/v1/organizations/${org.id}/scim/tokens`);
    expect(listed.body.data[0].last_used_at).toBeNull();
    await api.app.get(ScimTokenVerifier).flushLastUsed();
    listed = await call(api, 'GET', `/v1/organizations/${org.id}/scim/tokens`);
    expect(listed.body.data.find((t: { id: string }) => t.id === id).last_used_at).toEqual(expect.any(String));
  });

  it('validates token input and never lists a secret or hash', async () => {
    const org = await createOrganization(api);
    for (const body of [{}, { name: '' }, { name: 'x', expires_at: 'tomorrow' }, { name: 'x', expires_at: '2001-01-01T00:00:00Z' }, { name: 'x', scope: 'all' }]) {
      const res = await call(api, 'POST', `/v1/organizations/${org.id}/scim/tokens`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    const created = await createScimToken(api, org.id, { name: 'Google Workspace — Production' });
    const listed = await call(api, 'GET', `/v1/organizations/${org.id}/scim/tokens`);
    expect(listed.body.data).toHaveLength(1);
    expect(Object.keys(listed.body.data[0]).sort()).toEqual(['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'revoked_at']);
    expect(listed.text).not.toContain(created.token.slice(-43));
    expect(listed.text).not.toContain('argon2');
    expect((await call(api, 'POST', `/v1/organizations/00000000-0000-4000-8000-000000000000/scim/tokens`, { body: { name: 'x' } })).status).toBe(404);
    expect((await call(api, 'DELETE', `/v1/organizations/${org.id}/scim/tokens/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('throttles a client after repeated failures, before running argon2', async () => {
    // Its own process: passport keeps strategies in a process-wide registry.
    const throttled = await startProcess('apps/api/src/main.js', {
      DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL!,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      AUTH_FAILURES_PER_MINUTE: '3',
    });
    try {
      const org = await createOrganization(throttled);
      const { token } = await createScimToken(throttled, org.id);
      const bad = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      for (let i = 0; i < 3; i++) expect((await call(throttled, 'GET', spc(org.id), { auth: bad })).status).toBe(401);
      const limited = await call(throttled, 'GET', spc(org.id), { auth: bad });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    } finally {
      await throttled.stop();
    }
  });

  it('never writes a token or the admin key to the logs', async () => {
    const org = await createOrganization(api);
    const { token } = await createScimToken(api, org.id);
    await call(api, 'GET', spc(org.id), { auth: token });
    await call(api, 'GET', spc(org.id), { auth: token + 'x' });
    const logged = api.logs.text();
    expect(logged).toContain('request completed');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.slice(-43));
    expect(logged).not.toContain(api.config.auth.adminApiKey!.reveal());
  });
});
