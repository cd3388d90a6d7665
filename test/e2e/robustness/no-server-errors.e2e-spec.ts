import { GROUP_SCHEMA, PATCH_OP, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TestApi, call, startTestApi } from '../../support/test-api';

/**
 * "No 500 for anything a client sent" (Quality): every route gets malformed, mistyped and
 * hostile inputs; each answer must be a 4xx in the route's error format, and nothing half-written.
 */
describe('No server errors for bad input', () => {
  let api: TestApi;
  let scim: ScimClient;
  let userId: string;
  let groupId: string;
  beforeAll(async () => {
    api = await startTestApi();
    scim = await ScimClient.forNewOrganization(api);
    userId = (await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'fuzz@acme.test' })).body.id;
    groupId = (await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Fuzz' })).body.id;
  });
  afterAll(() => api.close());

  const bodies: unknown[] = [
    null,
    [],
    'text',
    42,
    true,
    {},
    { schemas: 'nope' },
    { userName: { nested: true } },
    { userName: '' },
    { userName: 'x'.repeat(100_000) },
    { displayName: ['a'] },
    { members: 'all' },
    { members: [{ value: 'not-a-uuid' }] },
    { members: [null, 1, 'x'] },
    { Operations: 'x' },
    { Operations: [null] },
    { Operations: [{ op: 'add', path: 'emails[type eq', value: 1 }] },
    { Operations: [{ op: 'remove', path: 'members[value eq "x"]' }] },
    { Operations: [{ op: 'replace', path: 'name', value: 'not-complex' }] },
    { Operations: [{ op: 'replace', value: ['array'] }] },
    { Operations: [{ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: { value: { deep: 1 } } }] },
    { schemas: [USER_SCHEMA], userName: 'u', emails: 'x@y', active: 'sometimes', name: 'n', meta: 5, groups: 'g' },
    { name: 'x', slug: 'Not A Slug!' },
    { name: 'x', expires_at: 'yesterday' },
    { type: 'webhook', name: 'x', config: { url: 'javascript:alert(1)' } },
    { type: 'webhook', name: 'x', config: 'x', credentials: [] },
    { type: 'scim', name: 'x', config: { base_url: 'http://x' }, credentials: { token: 5 } },
    { type: 'github', name: 'x', config: {}, rate_limit: { requests_per_minute: -1 } },
    { mapping: { 'emails[type eq': 'email_address' }, expressions: { first_name: 'user.(' } },
    { filter: 'userName eq', startIndex: 'x', count: -5 },
    { Operations: [{ method: 'TRACE', path: '/Users' }], failOnErrors: 'x' },
  ];
  const raw = ['{', '{"a":', '[1,2', '\u0000', 'null', '"str"', '{"userName": "\ud800"}'];

  const routes = (): [string, string][] => [
    ['POST', `/scim/v2/${scim.orgId}/Users`],
    ['PUT', `/scim/v2/${scim.orgId}/Users/${userId}`],
    ['PATCH', `/scim/v2/${scim.orgId}/Users/${userId}`],
    ['POST', `/scim/v2/${scim.orgId}/Groups`],
    ['PUT', `/scim/v2/${scim.orgId}/Groups/${groupId}`],
    ['PATCH', `/scim/v2/${scim.orgId}/Groups/${groupId}`],
    ['POST', `/scim/v2/${scim.orgId}/Users/.search`],
    ['POST', `/scim/v2/${scim.orgId}/.search`],
    ['POST', `/scim/v2/${scim.orgId}/Bulk`],
    ['POST', '/v1/organizations'],
    ['PATCH', `/v1/organizations/${scim.orgId}`],
    ['POST', `/v1/organizations/${scim.orgId}/scim/tokens`],
    ['POST', `/v1/organizations/${scim.orgId}/connections`],
    ['PUT', `/v1/organizations/${scim.orgId}/scim/attribute-mappings`],
    ['POST', `/v1/organizations/${scim.orgId}/scim/attribute-mappings/preview`],
  ];

  it('answers every malformed body with a 4xx in the right error format', async () => {
    for (const [method, path] of routes()) {
      const auth = path.startsWith('/scim') ? scim.token : undefined;
      const results = [
        ...(await Promise.all(bodies.map((body) => call(api, method, path, { auth, body })))),
        ...(await Promise.all(raw.map((rawBody) => call(api, method, path, { auth, rawBody, headers: { 'content-type': 'application/json' } })))),
      ];
      const inputs = [...bodies.map((b) => JSON.stringify(b)?.slice(0, 120)), ...raw];
      for (const [index, res] of results.entries()) {
        expect([method, path, inputs[index], res.status < 500]).toEqual([method, path, inputs[index], true]);
        if (res.status >= 400) {
          if (path.startsWith('/scim')) expect(res.body?.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
          else expect(typeof res.body?.error?.code).toBe('string');
        }
      }
    }
    // Nothing half-written: the user and group are as created.
    const user = (await scim.get(`/Users/${userId}`)).body;
    expect(user.userName).toBe('fuzz@acme.test');
    expect((await scim.get(`/Groups/${groupId}`)).body.displayName).toBe('Fuzz');
  });

  it('answers hostile query strings with 4xx, never 500', async () => {
    const queries = [
      'filter=' + encodeURIComponent('userName eq "x" or ' + '(userName eq "y" or '.repeat(60) + 'a eq 1' + ')'.repeat(60)),
      'filter=' + encodeURIComponent('x'.repeat(10_000)),
      'filter=' + encodeURIComponent("userName eq \"'; DROP TABLE users; --\""),
      'startIndex=1e400&count=NaN',
      'sortBy=' + encodeURIComponent('emails[type eq "work"]'),
      'attributes=' + encodeURIComponent('urn:x:' + 'y'.repeat(5000)),
      'sortOrder=sideways',
      'count=99999999999999999999',
      'filter=a&filter=b&sortBy=x&sortBy=y&startIndex=1&startIndex=2',
    ];
    for (const query of queries) {
      for (const path of [`/Users?${query}`, `/Groups?${query}`]) {
        const res = await scim.get(path);
        expect([path.slice(0, 60), res.status < 500]).toEqual([path.slice(0, 60), true]);
      }
    }
    for (const path of ['/v1/organizations?limit=abc', '/v1/organizations?cursor=%%%', `/v1/organizations/${scim.orgId}/deliveries?state=sleeping`, `/v1/organizations/${scim.orgId}/users?updated_since=soon`, '/v1/organizations/not-a-uuid', `/v1/organizations/${scim.orgId}/users/not-a-uuid`]) {
      const res = await call(api, 'GET', path);
      expect([path, res.status >= 400 && res.status < 500]).toEqual([path, true]);
    }
    expect((await scim.patch(`/Users/${userId}`, { schemas: [PATCH_OP], Operations: [] })).status).toBe(200);
  });
});
