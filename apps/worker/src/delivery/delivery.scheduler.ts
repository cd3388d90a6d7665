import { Injectable } from '@nestjs/common';
import { JobPayload, JobQueue } from '@delta/jobs';
import { DeliveryJobRef, deliveryJobId } from '@delta/persistence';

export const DELIVERY_JOB = 'delivery.run';

/** The versioned payload of a delivery job: the tenant and the delivery; everything else is read from PostgreSQL. */
export interface DeliveryJobPayload extends JobPayload {
  readonly v: 1;
  readonly organizationId: string;
  readonly deliveryId: string;
}

/**
 * Puts deliveries on the queue. The job id names the delivery's attempt and generation, so
 * enqueueing the same work twice (relay and sweeper, two sweepers) adds one job.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(private readonly queue: JobQueue) {}

  async enqueue(refs: readonly DeliveryJobRef[]): Promise<void> {
    const now = Date.now();
    await this.queue.addMany(
      refs.map((ref) => ({
        name: DELIVERY_JOB,
        payload: { v: 1, organizationId: ref.organizationId, deliveryId: ref.id } satisfies DeliveryJobPayload,
        options: { jobId: deliveryJobId(ref), delayMs: Math.max(0, ref.nextAttemptAt.getTime() - now) },
      })),
    );
  }
}
