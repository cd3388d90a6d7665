import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { AuditEntryRecord } from './audit-entry.record';

export interface ProvisioningLogQuery {
  readonly status?: number;
  /** 4 for 4xx, 5 for 5xx… */
  readonly statusClass?: number;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly since?: Date;
  readonly until?: Date;
  readonly limit: number;
  readonly after?: KeysetCursor;
}

export interface RequestLogEntry {
  readonly organizationId: string;
  readonly actorId: string;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly status: number;
  readonly at: Date;
}

interface LogRow {
  organization_id: string;
  id: string;
  occurred_at: Date;
  occurred_key: string;
  actor_type: 'scim_token' | 'admin' | 'system';
  actor_id: string | null;
  request_id: string | null;
  method: string | null;
  path: string | null;
  resource_type: string | null;
  resource_id: string | null;
  status: number | null;
  action: string;
  changes: unknown;
}

/** The provisioning log: every SCIM request and admin action of an organization, newest first. */
@Injectable()
export class ProvisioningLogRepository {
  async page(tx: SqlRunner, ctx: TenantContext, query: ProvisioningLogQuery): Promise<Page<AuditEntryRecord>> {
    const rows = await tx.query<LogRow>(
      `SELECT organization_id, id, occurred_at, occurred_at::text AS occurred_key, actor_type, actor_id, request_id,
              method, path, resource_type, resource_id, status, action, changes
       FROM audit_log
       WHERE organization_id = $1
         AND ($2::int IS NULL OR status = $2)
         AND ($3::int IS NULL OR status / 100 = $3)
         AND ($4::text IS NULL OR resource_type = $4)
         AND ($5::text IS NULL OR resource_id = $5)
         AND ($6::timestamptz IS NULL OR occurred_at >= $6)
         AND ($7::timestamptz IS NULL OR occurred_at < $7)
         AND ($8::timestamptz IS NULL OR (occurred_at, id) < ($8::timestamptz, $9::uuid))
       ORDER BY occurred_at DESC, id DESC
       LIMIT $10`,
      [
        ctx.organizationId,
        query.status ?? null,
        query.statusClass ?? null,
        query.resourceType ?? null,
        query.resourceId ?? null,
        query.since?.toISOString() ?? null,
        query.until?.toISOString() ?? null,
        query.after?.createdAt ?? null,
        query.after?.id ?? null,
        query.limit + 1,
      ],
    );
    const page = toPage(rows, query.limit, (r) => ({ createdAt: r.occurred_key, id: r.id }));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => ({
        organizationId: r.organization_id,
        id: r.id,
        occurredAt: new Date(r.occurred_at),
        actorType: r.actor_type,
        actorId: r.actor_id,
        requestId: r.request_id,
        method: r.method,
        path: r.path,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        status: r.status,
        action: r.action,
        changes: r.changes,
      })),
    };
  }

  /**
   * Appends request entries for many organizations in one statement (system scope). Entries of
   * organizations deleted in the meantime are dropped rather than failing the batch.
   */
  async appendRequests(tx: SqlRunner, entries: readonly RequestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.execute(
      `INSERT INTO audit_log (organization_id, occurred_at, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action)
       SELECT e.organization_id, e.at, 'scim_token', e.actor_id, e.request_id, e.method, e.path, e.resource_type, e.resource_id, e.status, 'scim.request'
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
         AS e(organization_id, at, actor_id, request_id, method, path, resource_type, resource_id, status)
       WHERE EXISTS (SELECT 1 FROM organizations o WHERE o.id = e.organization_id)`,
      [
        entries.map((e) => e.organizationId),
        entries.map((e) => e.at.toISOString()),
        entries.map((e) => e.actorId),
        entries.map((e) => e.requestId),
        entries.map((e) => e.method),
        entries.map((e) => e.path),
        entries.map((e) => e.resourceType),
        entries.map((e) => e.resourceId),
        entries.map((e) => e.status),
      ],
    );
  }
}
