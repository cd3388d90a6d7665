import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { JobQueue } from '@delta/jobs';
import { DeliveryModule } from './delivery/delivery.module';
import { AUDIT_RETENTION_JOB, AuditRetentionJob } from './retention/audit-retention.job';
import { DELIVERY_RETENTION_JOB, DeliveryRetentionJob } from './retention/delivery-retention.job';
import { RemapModule } from './remap/remap.module';

const HOUR = 3_600_000;

/** Registers every job handler with the queue transport; processors stay thin. */
@Module({})
export class WorkerModule implements OnApplicationBootstrap {
  static forRoot(queue: JobQueue, redis?: Redis): DynamicModule {
    return {
      module: WorkerModule,
      imports: [DeliveryModule.forRoot(queue, redis), RemapModule.forRoot(queue)],
      providers: [{ provide: JobQueue, useValue: queue }, AuditRetentionJob, DeliveryRetentionJob],
      exports: [JobQueue],
    };
  }

  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly auditRetention: AuditRetentionJob,
    private readonly deliveryRetention: DeliveryRetentionJob,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.register(AUDIT_RETENTION_JOB, async () => {
      await this.auditRetention.run();
    });
    this.queue.every(AUDIT_RETENTION_JOB, HOUR, { v: 1 });
    this.queue.register(DELIVERY_RETENTION_JOB, async () => {
      await this.deliveryRetention.run();
    });
    this.queue.every(DELIVERY_RETENTION_JOB, HOUR, { v: 1 });
  }
}
