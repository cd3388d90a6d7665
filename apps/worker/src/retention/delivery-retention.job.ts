import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { Database } from '@delta/persistence';

export const DELIVERY_RETENTION_JOB = 'retention.delivery-log';
const BATCH = 5_000;
/** Relayed outbox rows are only needed for a few days (the relay's member lookups of deleted users, debugging). */
const OUTBOX_DAYS = 7;

/**
 * Keeps the engine's history bounded: relayed outbox rows after a week, settled deliveries after
 * DELIVERY_RETENTION_DAYS (dead letters stay replayable until then). Small batches, so no long locks.
 */
@Injectable()
export class DeliveryRetentionJob {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
  ) {}

  async run(): Promise<number> {
    let total = 0;
    for (;;) {
      const [row] = await this.db.system((tx) =>
        tx.query<{ purged: number }>('SELECT delta_purge_delivery_log($1, $2, $3) AS purged', [OUTBOX_DAYS, this.config.delivery.retentionDays, BATCH]),
      );
      total += row!.purged;
      if (row!.purged < BATCH) return total;
    }
  }
}
