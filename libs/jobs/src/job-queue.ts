/** Every job payload carries a version so old jobs still in Redis are recognised after a deploy. */
export interface JobPayload {
  readonly v: number;
  readonly organizationId?: string;
  readonly [key: string]: unknown;
}

export type JobHandler = (payload: JobPayload) => Promise<void>;

export interface JobOptions {
  /** Idempotency: a job with the id of one still waiting is not added twice. */
  readonly jobId?: string;
  readonly delayMs?: number;
}

/**
 * The queue transport behind the worker: BullMQ on Redis in production, an in-process runner in
 * the embedded mode. Handlers are registered once, before `start`; a job name without exactly one
 * handler stops the worker at startup.
 */
export abstract class JobQueue {
  protected readonly handlers = new Map<string, JobHandler>();
  protected readonly repeating: { name: string; everyMs: number; payload: JobPayload }[] = [];

  register(name: string, handler: JobHandler): void {
    if (this.handlers.has(name)) throw new Error(`Job "${name}" has two handlers.`);
    this.handlers.set(name, handler);
  }

  /** Declares a job that runs every `everyMs`, once across all workers. */
  every(name: string, everyMs: number, payload: JobPayload): void {
    this.repeating.push({ name, everyMs, payload });
  }

  protected assertHandled(names: Iterable<string>): void {
    for (const name of names) if (!this.handlers.has(name)) throw new Error(`Job "${name}" has no handler.`);
  }

  abstract add(name: string, payload: JobPayload, options?: JobOptions): Promise<void>;
  /** Many jobs in one round trip where the transport allows it (the relay enqueues whole batches). */
  async addMany(jobs: readonly { name: string; payload: JobPayload; options?: JobOptions }[]): Promise<void> {
    for (const job of jobs) await this.add(job.name, job.payload, job.options);
  }
  abstract start(concurrency: number): Promise<void>;
  abstract close(): Promise<void>;
}
