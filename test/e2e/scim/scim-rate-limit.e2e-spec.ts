import { ApiProcess, startProcess } from '../../support/api-process';
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEY, call, createOrganization, createScimToken } from '../../support/test-api';

/** Per-organization SCIM rate limit, shared through Redis by two API replicas. */
describe('SCIM per-organization rate limit', () => {
  const replicas: ApiProcess[] = [];
  beforeAll(async () => {
    const env = {
      DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL!,
      REDIS_URL: process.env.DELTA_TEST_REDIS_URL!,
      REDIS_KEY_PREFIX: process.env.DELTA_TEST_REDIS_PREFIX!,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      SCIM_RATE_LIMIT_PER_MINUTE: '60',
      SCIM_RATE_LIMIT_BURST: '4',
    };
    replicas.push(await startProcess('apps/api/src/main.js', env), await startProcess('apps/api/src/main.js', env));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.stop();
  });

  it('answers 429 with Retry-After past the burst, across replicas, and leaves other organizations alone', async () => {
    const [a, b] = replicas as [ApiProcess, ApiProcess];
    const busy = await createOrganization(a);
    const quiet = await createOrganization(a);
    const busyToken = (await createScimToken(a, busy.id)).token;
    const quietToken = (await createScimToken(a, quiet.id)).token;
    const path = (org: string) => `/scim/v2/${org}/ServiceProviderConfig`;

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(i % 2 ? b : a, 'GET', path(busy.id), { auth: busyToken })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const limited = await call(b, 'GET', path(busy.id), { auth: busyToken });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' });

    expect((await call(a, 'GET', path(quiet.id), { auth: quietToken })).status).toBe(200);
  });
});
