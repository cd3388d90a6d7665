import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { AuditEntryInput } from './audit-entry.record';

@Injectable()
export class AuditLogRepository {
  async append(tx: SqlRunner, ctx: TenantContext, entry: AuditEntryInput): Promise<void> {
    await tx.execute(
      `INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path,
         resource_type, resource_id, status, action, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        ctx.organizationId,
        entry.actorType,
        entry.actorId ?? null,
        entry.requestId ?? ctx.requestId ?? null,
        entry.method ?? null,
        entry.path ?? null,
        entry.resourceType ?? null,
        entry.resourceId ?? null,
        entry.status ?? null,
        entry.action,
        entry.changes === undefined ? null : JSON.stringify(entry.changes),
      ],
    );
  }
}
