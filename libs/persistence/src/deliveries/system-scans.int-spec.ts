import { randomUUID } from 'node:crypto';
import { loadConfig } from '@delta/config';
import { OpenedDatabase, openDatabase } from '../database/database.factory';

/** The owner functions of the SystemScans migration, as the application role calls them. */
describe('engine system scans', () => {
  let opened: OpenedDatabase;
  let org: string;
  beforeAll(async () => {
    opened = await openDatabase(loadConfig({ DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL }));
    const [row] = await opened.database.system((tx) =>
      tx.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Scans', $1) RETURNING id`, [`scans-${randomUUID().slice(0, 8)}`]),
    );
    org = row!.id;
  });
  afterAll(() => opened.close());

  it('claims unrelayed outbox rows in commit (numeric id) order, skipping rows another relay holds', async () => {
    const ctx = { organizationId: org };
    await opened.database.tenant(ctx, (tx) =>
      tx.execute(
        `INSERT INTO outbox (organization_id, resource_type, resource_id, operation) SELECT $1, 'User', gen_random_uuid(), 'created' FROM generate_series(1, 25)`,
        [org],
      ),
    );
    const claimed = await opened.database.system((tx) =>
      tx.query<{ id: string }>(`SELECT id::text FROM delta_claim_outbox(1000) WHERE organization_id = $1`, [org]),
    );
    const ids = claimed.map((r) => BigInt(r.id));
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
    await opened.database.system((tx) => tx.execute(`UPDATE outbox SET relayed_at = now() WHERE organization_id = $1`, [org]));
  });

  it('purges relayed outbox rows and settled deliveries past their retention, nothing else', async () => {
    const ctx = { organizationId: org };
    await opened.database.tenant(ctx, async (tx) => {
      await tx.execute(`UPDATE outbox SET relayed_at = now() - interval '8 days' WHERE organization_id = $1`, [org]);
      await tx.execute(
        `INSERT INTO outbox (organization_id, resource_type, resource_id, operation, relayed_at) VALUES ($1, 'User', gen_random_uuid(), 'created', now())`,
        [org],
      );
    });
    const [purged] = await opened.database.system((tx) => tx.query<{ n: number }>('SELECT delta_purge_delivery_log(7, 30, 5000) AS n'));
    expect(purged!.n).toBeGreaterThanOrEqual(25);
    const [left] = await opened.database.tenant(ctx, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE organization_id = $1`, [org]));
    expect(left!.n).toBe(1);
  });
});
