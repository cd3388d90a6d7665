import { Injectable } from '@nestjs/common';
import type { MappingConfig } from '@delta/mapping';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';

/** One saved version of an organization's attribute mapping. */
export interface AttributeMappingRecord {
  readonly organizationId: string;
  readonly version: number;
  readonly config: MappingConfig;
  readonly createdAt: Date;
  readonly createdBy: string | null;
}

interface MappingRow {
  organization_id: string;
  version: number;
  config: MappingConfig;
  created_at: Date;
  created_key?: string;
  created_by: string | null;
}

const COLUMNS = 'organization_id, version, config, created_at, created_by';

function toRecord(row: MappingRow): AttributeMappingRecord {
  return {
    organizationId: row.organization_id,
    version: Number(row.version),
    config: row.config,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
  };
}

/** Attribute-mapping versions: append-only, the highest version is in force. */
@Injectable()
export class AttributeMappingsRepository {
  /** The version in force; undefined while the organization uses the platform defaults. */
  async current(tx: SqlRunner, ctx: TenantContext): Promise<AttributeMappingRecord | undefined> {
    const [row] = await tx.query<MappingRow>(
      `SELECT ${COLUMNS} FROM attribute_mappings WHERE organization_id = $1 ORDER BY version DESC LIMIT 1`,
      [ctx.organizationId],
    );
    return row ? toRecord(row) : undefined;
  }

  /**
   * Saves the next version. Concurrent saves serialize on the organization row, so versions are
   * dense and the last committed save is the one in force.
   */
  async append(tx: SqlRunner, ctx: TenantContext, config: MappingConfig, createdBy: string | null): Promise<AttributeMappingRecord> {
    await tx.query(`SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE`, [ctx.organizationId]);
    const [row] = await tx.query<MappingRow>(
      `INSERT INTO attribute_mappings (organization_id, version, config, created_by)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM attribute_mappings WHERE organization_id = $1
       RETURNING ${COLUMNS}`,
      [ctx.organizationId, JSON.stringify(config), createdBy],
    );
    return toRecord(row!);
  }

  /** Newest first; the cursor carries the version in its id slot. */
  async list(tx: SqlRunner, ctx: TenantContext, limit: number, after?: KeysetCursor): Promise<Page<AttributeMappingRecord>> {
    const before = after && /^\d+$/.test(after.id) ? Number(after.id) : null;
    const rows = await tx.query<MappingRow>(
      `SELECT ${COLUMNS}, created_at::text AS created_key FROM attribute_mappings
       WHERE organization_id = $1 AND ($2::integer IS NULL OR version < $2)
       ORDER BY version DESC LIMIT $3`,
      [ctx.organizationId, before, limit + 1],
    );
    const page = toPage(rows, limit, (r) => ({ createdAt: r.created_key!, id: String(r.version) }));
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }
}
