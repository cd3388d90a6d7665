import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@delta/observability';
import { CHANNELS, Database, DeliveriesRepository } from '@delta/persistence';
import { DeliveryScheduler } from './delivery.scheduler';

const SWEEP_EVERY_MS = 5_000;
/** A due delivery whose job should have run by now: Redis lost it (restart, FLUSHALL) or it was never added. */
const GRACE_MS = 5_000;
const BATCH = 1_000;

/**
 * PostgreSQL is the truth, Redis is execution (ARCHITECTURE.md principle 1): every few seconds,
 * and at once when the admin API replays deliveries (NOTIFY), re-enqueue what is due but not
 * running, and take back attempts whose worker died (expired leases). Job ids make this
 * idempotent, so every worker replica may sweep.
 */
@Injectable()
export class DeliverySweeper implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private unlisten?: () => Promise<void>;
  private running?: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly deliveries: DeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unlisten = await this.db.listen(CHANNELS.deliveries, () => this.trigger(0));
    this.timer = setInterval(() => this.trigger(GRACE_MS), SWEEP_EVERY_MS);
    this.timer.unref();
    this.trigger(0);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
  }

  private trigger(graceMs: number): void {
    if (this.running) return;
    this.running = this.sweep(graceMs)
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'delivery sweep failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  async sweep(graceMs = GRACE_MS): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.db.system((tx) => this.deliveries.overdue(tx, graceMs, BATCH));
      await this.scheduler.enqueue(due);
      total += due.length;
      if (due.length < BATCH) return total;
    }
  }
}
