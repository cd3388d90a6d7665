import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobOptions, JobPayload, JobQueue } from './job-queue';

const QUEUE_NAME = 'delta-jobs';
// Finished jobs are removed at once: a job id must be reusable as soon as its job ran, because
// durable work (deliveries) is re-enqueued from PostgreSQL under the same id when Redis lost it.

/**
 * BullMQ on Redis: any number of worker processes share the queue. Job ids make adds
 * idempotent; repeatable jobs are registered once per name, however many workers start.
 */
export class BullMqJobQueue extends JobQueue {
  private readonly queue: Queue;
  private worker?: Worker;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {
    super();
    this.queue = new Queue(QUEUE_NAME, { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
  }

  async add(name: string, payload: JobPayload, options: JobOptions = {}): Promise<void> {
    await this.queue.add(name, payload, { jobId: options.jobId, delay: options.delayMs });
  }

  override async addMany(jobs: readonly { name: string; payload: JobPayload; options?: JobOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.payload, opts: { jobId: job.options?.jobId, delay: job.options?.delayMs } })));
  }

  async start(concurrency: number): Promise<void> {
    this.assertHandled(this.repeating.map((r) => r.name));
    for (const job of this.repeating) {
      await this.queue.upsertJobScheduler(`repeat:${job.name}`, { every: job.everyMs }, { name: job.name, data: job.payload });
    }
    this.worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`No handler for job "${job.name}"`);
        await handler(job.data as JobPayload);
      },
      { connection: this.connection.duplicate(), prefix: this.prefix, concurrency },
    );
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
