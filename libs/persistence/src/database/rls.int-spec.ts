import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@delta/config';
import { OpenedDatabase, openDatabase } from './database.factory';

/**
 * Row-level security is the fail-closed backstop under the org-scoped repositories: these tests
 * talk to PostgreSQL as the application does (role delta_app) and prove what it cannot see.
 */
describe('row-level security', () => {
  let opened: OpenedDatabase;
  const orgA = randomUUID();
  const orgB = randomUUID();

  beforeAll(async () => {
    opened = await openDatabase(loadConfig({ DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL }));
    // Seed as the owner, who is not bound by RLS.
    const owner = new Client({ connectionString: process.env.DELTA_TEST_DATABASE_URL });
    await owner.connect();
    for (const [id, slug] of [
      [orgA, `rls-a-${orgA.slice(0, 8)}`],
      [orgB, `rls-b-${orgB.slice(0, 8)}`],
    ]) {
      await owner.query('INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)', [id, slug, slug]);
      await owner.query(`INSERT INTO scim_tokens (organization_id, id, name, secret_hash) VALUES ($1, $2, 't', 'h')`, [id, randomUUID()]);
    }
    await owner.end();
  });
  afterAll(() => opened.close());

  it('runs as the non-owner role delta_app', async () => {
    const [row] = await opened.database.unscoped<{ current_user: string; bypass: boolean }>(
      'SELECT current_user, (SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user) AS bypass',
    );
    expect(row).toEqual({ current_user: 'delta_app', bypass: false });
  });

  it('sees no tenant rows outside a tenant scope', async () => {
    const tokens = await opened.database.unscoped<{ n: number }>('SELECT count(*)::int AS n FROM scim_tokens');
    const orgs = await opened.database.unscoped<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
    expect(tokens[0]!.n).toBe(0);
    expect(orgs[0]!.n).toBe(0);
  });

  it('sees only its own rows inside a tenant scope, even without a WHERE clause', async () => {
    const rows = await opened.database.tenant({ organizationId: orgA }, (tx) =>
      tx.query<{ organization_id: string }>('SELECT organization_id FROM scim_tokens'),
    );
    expect(rows.length).toBe(1);
    expect(rows.every((r) => r.organization_id === orgA)).toBe(true);
    const orgs = await opened.database.tenant({ organizationId: orgA }, (tx) => tx.query<{ id: string }>('SELECT id FROM organizations'));
    expect(orgs.map((o) => o.id)).toEqual([orgA]);
  });

  it("refuses to write into another tenant's rows", async () => {
    await expect(
      opened.database.tenant({ organizationId: orgA }, (tx) =>
        tx.execute(`INSERT INTO scim_tokens (organization_id, id, name, secret_hash) VALUES ($1, $2, 'x', 'h')`, [orgB, randomUUID()]),
      ),
    ).rejects.toThrow(/row-level security/);
    const touched = await opened.database.tenant({ organizationId: orgA }, (tx) =>
      tx.execute(`UPDATE scim_tokens SET name = 'hijacked' WHERE organization_id = $1`, [orgB]),
    );
    expect(touched).toBe(0);
    const deleted = await opened.database.tenant({ organizationId: orgA }, (tx) => tx.execute(`DELETE FROM organizations WHERE id = $1`, [orgB]));
    expect(deleted).toBe(0);
  });

  it('rolls back everything when a scoped transaction fails half-way', async () => {
    await expect(
      opened.database.tenant({ organizationId: orgA }, async (tx) => {
        await tx.execute(`UPDATE organizations SET name = 'half-written' WHERE id = $1`, [orgA]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [org] = await opened.database.tenant({ organizationId: orgA }, (tx) => tx.query<{ name: string }>('SELECT name FROM organizations'));
    expect(org!.name).not.toBe('half-written');
  });
});
