import { ProvisioningLogRecorder } from '../../../apps/api/src/scim/provisioning-log.recorder';
import { TestApi, call, createOrganization, createScimToken, startTestApi } from '../../support/test-api';

describe('admin API: provisioning logs', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('records each SCIM request and admin action of an organization, newest first, and nothing of others', async () => {
    const org = await createOrganization(api);
    const other = await createOrganization(api);
    const token = await createScimToken(api, org.id, { name: 'Entra' });
    const otherToken = await createScimToken(api, other.id);
    const ok = await call(api, 'GET', `/scim/v2/${org.id}/ServiceProviderConfig`, { auth: token.token, headers: { 'x-request-id': 'req-abc-1' } });
    expect(ok.headers.get('x-request-id')).toBe('req-abc-1');
    await call(api, 'GET', `/scim/v2/${other.id}/ServiceProviderConfig`, { auth: otherToken.token });
    await api.app.get(ProvisioningLogRecorder).flush();

    const logs = await call(api, 'GET', `/v1/organizations/${org.id}/provisioning-logs`);
    expect(logs.status).toBe(200);
    const scimEntry = logs.body.data.find((e: { action: string }) => e.action === 'scim.request');
    expect(scimEntry).toMatchObject({
      actor_type: 'scim_token',
      actor_id: token.id,
      request_id: 'req-abc-1',
      method: 'GET',
      path: `/scim/v2/${org.id}/ServiceProviderConfig`,
      status: 200,
    });
    expect(logs.body.data.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['scim.request', 'scim_token.created', 'organization.created']),
    );
    const times = logs.body.data.map((e: { occurred_at: string }) => Date.parse(e.occurred_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(logs.body.data.every((e: { actor_id: string | null }) => e.actor_id !== otherToken.id)).toBe(true);
    expect(logs.text).not.toContain(token.token);

    const filtered = await call(api, 'GET', `/v1/organizations/${org.id}/provisioning-logs?status=2xx&limit=1`);
    expect(filtered.body.data).toHaveLength(1);
    expect(filtered.body.data[0].status).toBe(200);
    const none = await call(api, 'GET', `/v1/organizations/${org.id}/provisioning-logs?status=500`);
    expect(none.body.data).toEqual([]);
    const page2 = await call(api, 'GET', `/v1/organizations/${org.id}/provisioning-logs?limit=1&cursor=${logs.body.data.length > 1 ? (await call(api, 'GET', `/v1/organizations/${org.id}/provisioning-logs?limit=1`)).body.next_cursor : ''}`);
    expect(page2.body.data[0].id).toBe(logs.body.data[1].id);
  });

  it('refuses bad filters and unknown organizations', async () => {
    const org = await createOrganization(api);
    for (const q of ['status=abc', 'since=yesterday', 'resource_type=Widget', 'limit=500']) {
      const res = await call(api, 'GET', `/v1/organizations/${org.id}/provisioning-logs?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    expect((await call(api, 'GET', `/v1/organizations/00000000-0000-4000-8000-000000000000/provisioning-logs`)).status).toBe(404);
  });
});
