import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { OrganizationRecord } from './organization.record';

interface OrganizationRow {
  id: string;
  /** created_at as PostgreSQL prints it: microsecond precision, which a JS Date would lose. */
  created_key?: string;
  name: string;
  slug: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, slug, created_at, updated_at';

function toRecord(row: OrganizationRow): OrganizationRecord {
  return { id: row.id, name: row.name, slug: row.slug, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
}

/**
 * Organizations are the tenants themselves: creating and listing them spans tenants (system
 * scope); reading or changing one runs in that organization's own scope.
 */
@Injectable()
export class OrganizationsRepository {
  async insert(tx: SqlRunner, input: { name: string; slug: string }): Promise<OrganizationRecord> {
    const [row] = await tx.query<OrganizationRow>(
      `INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING ${COLUMNS}`,
      [input.name, input.slug],
    );
    return toRecord(row!);
  }

  async list(tx: SqlRunner, limit: number, after?: KeysetCursor): Promise<Page<OrganizationRecord>> {
    const rows = after
      ? await tx.query<OrganizationRow>(
          `SELECT ${COLUMNS}, created_at::text AS created_key FROM organizations
           WHERE (created_at, id) > ($1::timestamptz, $2::uuid) ORDER BY created_at, id LIMIT $3`,
          [after.createdAt, after.id, limit + 1],
        )
      : await tx.query<OrganizationRow>(
          `SELECT ${COLUMNS}, created_at::text AS created_key FROM organizations ORDER BY created_at, id LIMIT $1`,
          [limit + 1],
        );
    const page = toPage(rows, limit, (o) => ({ createdAt: o.created_key!, id: o.id }));
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }

  async find(tx: SqlRunner, ctx: TenantContext): Promise<OrganizationRecord | undefined> {
    const [row] = await tx.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations WHERE id = $1`, [ctx.organizationId]);
    return row ? toRecord(row) : undefined;
  }

  async update(
    tx: SqlRunner,
    ctx: TenantContext,
    changes: { name?: string; slug?: string },
  ): Promise<OrganizationRecord | undefined> {
    const [row] = await tx.query<OrganizationRow>(
      `UPDATE organizations SET name = coalesce($2, name), slug = coalesce($3, slug), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [ctx.organizationId, changes.name ?? null, changes.slug ?? null],
    );
    return row ? toRecord(row) : undefined;
  }

  /** Deletes the organization; foreign keys cascade to every row it owns. */
  async delete(tx: SqlRunner, ctx: TenantContext): Promise<boolean> {
    return (await tx.execute(`DELETE FROM organizations WHERE id = $1`, [ctx.organizationId])) > 0;
  }
}
