import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { Database } from '@delta/persistence';

export const AUDIT_RETENTION_JOB = 'retention.audit-log';
const BATCH = 5_000;

/**
 * Deletes provisioning-log entries older than AUDIT_RETENTION_DAYS, in small batches so the
 * table is never locked for long. Spans tenants by design (system scope).
 */
@Injectable()
export class AuditRetentionJob {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
  ) {}

  async run(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.db.system((tx) =>
        tx.execute(
          `DELETE FROM audit_log WHERE (organization_id, id) IN (
             SELECT organization_id, id FROM audit_log
             WHERE occurred_at < now() - make_interval(days => $1) LIMIT $2)`,
          [this.config.worker.auditRetentionDays, BATCH],
        ),
      );
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
