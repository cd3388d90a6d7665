import { Client } from 'pg';
import { TestApi, call, createOrganization, createScimToken, startTestApi, uniqueSlug } from '../../support/test-api';

async function countOrganizationsNamed(name: string): Promise<number> {
  // As the owner (bypasses RLS) to see what really got written.
  const client = new Client({ connectionString: process.env.DELTA_TEST_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM organizations WHERE name = $1', [name]);
  await client.end();
  return rows[0].n;
}

describe('admin API: organizations', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('creates an organization and answers with its SCIM endpoint', async () => {
    const slug = uniqueSlug('acme');
    const res = await call(api, 'POST', '/v1/organizations', { body: { name: 'Acme', slug } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme',
      slug,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      scim: { endpoint_url: `${api.config.http.publicUrl}/scim/v2/${res.body.id}` },
    });
    const endpoint = await call(api, 'GET', `/v1/organizations/${res.body.id}/scim/endpoint`);
    expect(endpoint.status).toBe(200);
    expect(endpoint.body).toEqual({ endpoint_url: `${api.config.http.publicUrl}/scim/v2/${res.body.id}` });
  });

  it('reads, renames and deletes an organization', async () => {
    const org = await createOrganization(api, 'Before');
    expect((await call(api, 'GET', `/v1/organizations/${org.id}`)).body.name).toBe('Before');
    const renamed = await call(api, 'PATCH', `/v1/organizations/${org.id}`, { body: { name: 'After' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: org.id, name: 'After', slug: org.slug });
    expect((await call(api, 'DELETE', `/v1/organizations/${org.id}`)).status).toBe(204);
    const gone = await call(api, 'GET', `/v1/organizations/${org.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await call(api, 'DELETE', `/v1/organizations/${org.id}`)).status).toBe(404);
  });

  it('deleting an organization removes its tokens', async () => {
    const org = await createOrganization(api);
    await createScimToken(api, org.id);
    await call(api, 'DELETE', `/v1/organizations/${org.id}`);
    const client = new Client({ connectionString: process.env.DELTA_TEST_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM scim_tokens WHERE organization_id = $1', [org.id]);
    await client.end();
    expect(rows[0].n).toBe(0);
  });

  it('pages through the list with an opaque cursor', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await createOrganization(api, `Paged ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(api, 'GET', `/v1/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((o: { id: string }) => o.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    for (const org of created) expect(seen).toContain(org.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a slug that is taken with 409 slug_taken', async () => {
    const org = await createOrganization(api);
    const res = await call(api, 'POST', '/v1/organizations', { body: { name: 'Dup', slug: org.slug } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug_taken');
    const other = await createOrganization(api);
    const rename = await call(api, 'PATCH', `/v1/organizations/${other.id}`, { body: { slug: org.slug } });
    expect(rename.status).toBe(409);
  });

  it.each([
    ['no body fields', {}],
    ['a missing slug', { name: 'Bad input org' }],
    ['an upper-case slug', { name: 'Bad input org', slug: 'ACME' }],
    ['a slug with spaces', { name: 'Bad input org', slug: 'a b' }],
    ['a number as name', { name: 42, slug: 'number-name' }],
    ['an unknown field', { name: 'Bad input org', slug: 'unknown-field', plan: 'gold' }],
    ['an array body', [1, 2]],
  ])('answers 400 invalid_input for %s and writes nothing', async (_label, body) => {
    const res = await call(api, 'POST', '/v1/organizations', { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_input', message: expect.any(String) });
    expect(await countOrganizationsNamed('Bad input org')).toBe(0);
  });

  it('answers 400 invalid_json for a malformed body', async () => {
    const res = await call(api, 'POST', '/v1/organizations', { rawBody: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await call(api, 'POST', '/v1/organizations', { rawBody: JSON.stringify({ name: 'x'.repeat(2_000_000), slug: 'big' }) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 400 for a bad limit or cursor, and 404 for a malformed id', async () => {
    expect((await call(api, 'GET', '/v1/organizations?limit=0')).status).toBe(400);
    expect((await call(api, 'GET', '/v1/organizations?limit=abc')).status).toBe(400);
    expect((await call(api, 'GET', '/v1/organizations?cursor=garbage')).status).toBe(400);
    expect((await call(api, 'GET', '/v1/organizations/not-a-uuid')).status).toBe(404);
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'definitely-not-the-admin-key-0123456789abcdef'],
  ])('refuses %s with 401 and WWW-Authenticate', async (_label, auth) => {
    for (const [method, path] of [
      ['GET', '/v1/organizations'],
      ['POST', '/v1/organizations'],
      ['GET', '/v1/organizations/00000000-0000-0000-0000-000000000000/scim/tokens'],
    ] as const) {
      const res = await call(api, method, path, { auth, body: method === 'POST' ? { name: 'x', slug: 'x' } : undefined });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await fetch(`${api.url}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/organizations', '/v1/organizations/{orgId}/scim/tokens']));
  });

  it('answers health and readiness', async () => {
    expect((await call(api, 'GET', '/healthz', { auth: null })).status).toBe(200);
    const ready = await call(api, 'GET', '/readyz', { auth: null });
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
  });
});
