import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { RemapRunRecord, RemapState } from './remap-run.record';

interface RunRow {
  organization_id: string;
  id: string;
  mapping_version: number;
  state: RemapState;
  processed: number;
  total: number;
  changed: number;
  cursor: string | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const COLUMNS = 'organization_id, id, mapping_version, state, processed, total, changed, cursor, error, created_at, updated_at, finished_at';

function toRecord(row: RunRow): RemapRunRecord {
  return {
    organizationId: row.organization_id,
    id: row.id,
    mappingVersion: Number(row.mapping_version),
    state: row.state,
    processed: Number(row.processed),
    total: Number(row.total),
    changed: Number(row.changed),
    cursor: row.cursor,
    error: row.error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  };
}

/** How long a worker owns a run without renewing; a crashed worker's run is resumed after it. */
export const REMAP_LEASE_SECONDS = 60;

@Injectable()
export class RemapRunsRepository {
  /**
   * Queues a re-mapping of every user with the mapping version in force (as this transaction
   * sees it). Older unfinished runs are superseded: a full pass with the newest mapping makes
   * them pointless.
   */
  async start(tx: SqlRunner, ctx: TenantContext): Promise<RemapRunRecord> {
    const [row] = await tx.query<RunRow>(
      `WITH v AS (SELECT coalesce(max(version), 0) AS version FROM attribute_mappings WHERE organization_id = $1),
       old AS (UPDATE remap_runs SET state = 'failed', error = 'superseded by a newer re-mapping (mapping version ' || (SELECT version FROM v) || ')',
                 lease_until = NULL, updated_at = clock_timestamp(), finished_at = clock_timestamp()
               WHERE organization_id = $1 AND state IN ('pending', 'running'))
       INSERT INTO remap_runs (organization_id, mapping_version, total)
       SELECT $1, (SELECT version FROM v), count(*) FROM users WHERE organization_id = $1 RETURNING ${COLUMNS}`,
      [ctx.organizationId],
    );
    return toRecord(row!);
  }

  async find(tx: SqlRunner, ctx: TenantContext, id: string): Promise<RemapRunRecord | undefined> {
    const [row] = await tx.query<RunRow>(`SELECT ${COLUMNS} FROM remap_runs WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, id]);
    return row ? toRecord(row) : undefined;
  }

  async latest(tx: SqlRunner, ctx: TenantContext): Promise<RemapRunRecord | undefined> {
    const [row] = await tx.query<RunRow>(
      `SELECT ${COLUMNS} FROM remap_runs WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [ctx.organizationId],
    );
    return row ? toRecord(row) : undefined;
  }

  /** Unfinished runs (all organizations in system scope, else the tenant's), oldest first. */
  async unfinished(tx: SqlRunner, ctx?: TenantContext): Promise<{ organizationId: string; id: string }[]> {
    const rows = await tx.query<{ organization_id: string; id: string }>(
      `SELECT organization_id, id FROM remap_runs
       WHERE state IN ('pending', 'running') AND ($1::uuid IS NULL OR organization_id = $1)
       ORDER BY created_at LIMIT 1000`,
      [ctx?.organizationId ?? null],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, id: r.id }));
  }

  /** Takes the lease of an unfinished run; false when another worker holds a live one. */
  async claim(tx: SqlRunner, ctx: TenantContext, id: string): Promise<boolean> {
    const touched = await tx.execute(
      `UPDATE remap_runs SET lease_until = clock_timestamp() + make_interval(secs => $3), state = 'running', updated_at = clock_timestamp()
       WHERE organization_id = $1 AND id = $2 AND state IN ('pending', 'running')
         AND (lease_until IS NULL OR lease_until < clock_timestamp())`,
      [ctx.organizationId, id, REMAP_LEASE_SECONDS],
    );
    return touched > 0;
  }

  /** Gives the lease back (the run stays unfinished, e.g. on shutdown): another worker may resume it at once. */
  async release(tx: SqlRunner, ctx: TenantContext, id: string): Promise<void> {
    await tx.execute(`UPDATE remap_runs SET lease_until = NULL WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, id]);
  }

  /** Locks the run for one batch: batches of one run never overlap, whoever runs them. */
  async lockForBatch(tx: SqlRunner, ctx: TenantContext, id: string): Promise<RemapRunRecord | undefined> {
    const [row] = await tx.query<RunRow>(`SELECT ${COLUMNS} FROM remap_runs WHERE organization_id = $1 AND id = $2 FOR UPDATE`, [
      ctx.organizationId,
      id,
    ]);
    return row ? toRecord(row) : undefined;
  }

  async advance(tx: SqlRunner, ctx: TenantContext, id: string, batch: { cursor: string; processed: number; changed: number }): Promise<void> {
    await tx.execute(
      `UPDATE remap_runs SET cursor = $3, processed = processed + $4, changed = changed + $5,
         total = greatest(total, processed + $4), updated_at = clock_timestamp(),
         lease_until = clock_timestamp() + make_interval(secs => $6)
       WHERE organization_id = $1 AND id = $2`,
      [ctx.organizationId, id, batch.cursor, batch.processed, batch.changed, REMAP_LEASE_SECONDS],
    );
  }

  async finish(tx: SqlRunner, ctx: TenantContext, id: string, state: 'succeeded' | 'failed', error: string | null = null): Promise<void> {
    await tx.execute(
      `UPDATE remap_runs SET state = $3, error = $4, lease_until = NULL, updated_at = clock_timestamp(), finished_at = clock_timestamp()
       WHERE organization_id = $1 AND id = $2 AND state IN ('pending', 'running')`,
      [ctx.organizationId, id, state, error],
    );
  }
}
