import { Injectable } from '@nestjs/common';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { ConnectionRecord, ConnectionWrite } from './connection.record';

interface ConnectionRow {
  organization_id: string;
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  credentials: string | null;
  scope: ConnectionRecord['scope'];
  deprovision: ConnectionRecord['deprovision'];
  rate_limit: ConnectionRecord['rateLimit'];
  status: ConnectionRecord['status'];
  status_message: string | null;
  paused_until: Date | null;
  created_at: Date;
  updated_at: Date;
  created_key?: string;
}

const COLUMNS = `organization_id, id, type, name, enabled, config, credentials, scope, deprovision, rate_limit, status,
  status_message, paused_until, created_at, updated_at`;

export function toConnectionRecord(row: ConnectionRow): ConnectionRecord {
  return {
    organizationId: row.organization_id,
    id: row.id,
    type: row.type,
    name: row.name,
    enabled: row.enabled,
    config: row.config,
    encryptedCredentials: row.credentials,
    scope: row.scope,
    deprovision: row.deprovision,
    rateLimit: row.rate_limit,
    status: row.status,
    statusMessage: row.status_message,
    pausedUntil: row.paused_until ? new Date(row.paused_until) : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Connections to downstream apps; every statement is scoped by organization. */
@Injectable()
export class ConnectionsRepository {
  async insert(tx: SqlRunner, ctx: TenantContext, id: string, write: ConnectionWrite): Promise<ConnectionRecord> {
    const [row] = await tx.query<ConnectionRow>(
      `INSERT INTO connections (organization_id, id, type, name, enabled, config, credentials, scope, deprovision, rate_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [ctx.organizationId, id, write.type, write.name, write.enabled, write.config, write.encryptedCredentials, write.scope === null ? null : JSON.stringify(write.scope), write.deprovision, write.rateLimit],
    );
    return toConnectionRecord(row!);
  }

  async find(tx: SqlRunner, ctx: TenantContext, id: string, lock = false): Promise<ConnectionRecord | undefined> {
    const [row] = await tx.query<ConnectionRow>(
      `SELECT ${COLUMNS} FROM connections WHERE organization_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [ctx.organizationId, id],
    );
    return row ? toConnectionRecord(row) : undefined;
  }

  async list(tx: SqlRunner, ctx: TenantContext, limit: number, after?: KeysetCursor): Promise<Page<ConnectionRecord>> {
    const rows = await tx.query<ConnectionRow>(
      `SELECT ${COLUMNS}, created_at::text AS created_key FROM connections
       WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY created_at, id LIMIT $4`,
      [ctx.organizationId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (c) => ({ createdAt: c.created_key!, id: c.id }));
    return { items: page.items.map(toConnectionRecord), nextCursor: page.nextCursor };
  }

  /** Every enabled connection of the given organizations (the relay's fan-out targets). */
  async enabledFor(tx: SqlRunner, organizationIds: readonly string[]): Promise<ConnectionRecord[]> {
    if (organizationIds.length === 0) return [];
    const rows = await tx.query<ConnectionRow>(
      `SELECT ${COLUMNS} FROM connections WHERE organization_id = ANY($1::uuid[]) AND enabled ORDER BY created_at, id`,
      [organizationIds],
    );
    return rows.map(toConnectionRecord);
  }

  async update(tx: SqlRunner, ctx: TenantContext, id: string, write: ConnectionWrite, resetHealth: boolean): Promise<ConnectionRecord | undefined> {
    const [row] = await tx.query<ConnectionRow>(
      `UPDATE connections SET name = $3, enabled = $4, config = $5, credentials = $6, scope = $7, deprovision = $8, rate_limit = $9,
         status = CASE WHEN $10::boolean THEN 'healthy' ELSE status END,
         status_message = CASE WHEN $10::boolean THEN NULL ELSE status_message END,
         paused_until = CASE WHEN $10::boolean THEN NULL ELSE paused_until END,
         updated_at = now()
       WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [ctx.organizationId, id, write.name, write.enabled, write.config, write.encryptedCredentials, write.scope === null ? null : JSON.stringify(write.scope), write.deprovision, write.rateLimit, resetHealth],
    );
    return row ? toConnectionRecord(row) : undefined;
  }

  async delete(tx: SqlRunner, ctx: TenantContext, id: string): Promise<boolean> {
    return (await tx.execute(`DELETE FROM connections WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, id])) > 0;
  }

  /** The endpoint asked us to wait (429/503 + Retry-After): the whole connection waits. */
  async pauseUntil(tx: SqlRunner, ctx: TenantContext, id: string, until: Date): Promise<void> {
    await tx.execute(
      `UPDATE connections SET paused_until = greatest(coalesce(paused_until, $3), $3) WHERE organization_id = $1 AND id = $2`,
      [ctx.organizationId, id, until.toISOString()],
    );
  }

  /** Credentials rejected: stop calling the app until an operator fixes the connection. */
  async markUnhealthy(tx: SqlRunner, ctx: TenantContext, id: string, message: string): Promise<void> {
    await tx.execute(
      `UPDATE connections SET status = 'unhealthy', status_message = $3, updated_at = now() WHERE organization_id = $1 AND id = $2`,
      [ctx.organizationId, id, message],
    );
  }
}
