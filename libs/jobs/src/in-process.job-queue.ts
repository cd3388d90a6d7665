import { JobOptions, JobPayload, JobQueue } from './job-queue';

interface PendingJob {
  readonly name: string;
  readonly payload: JobPayload;
  readonly id?: string;
}

/**
 * The embedded mode's runner: jobs live in memory, so Postgres must stay the source of truth for
 * anything that cannot be lost (the same rule as with Redis, which may also be emptied).
 */
export class InProcessJobQueue extends JobQueue {
  private readonly ready: PendingJob[] = [];
  private readonly pendingIds = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private concurrency = 0;
  private closed = false;
  private idle: Array<() => void> = [];

  async add(name: string, payload: JobPayload, options: JobOptions = {}): Promise<void> {
    if (this.closed) return;
    if (options.jobId) {
      if (this.pendingIds.has(options.jobId)) return;
      this.pendingIds.add(options.jobId);
    }
    const job: PendingJob = { name, payload, id: options.jobId };
    if (options.delayMs && options.delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.enqueue(job);
      }, options.delayMs);
      timer.unref();
      this.timers.add(timer);
    } else {
      this.enqueue(job);
    }
  }

  async start(concurrency: number): Promise<void> {
    this.assertHandled(this.repeating.map((r) => r.name));
    this.concurrency = concurrency;
    for (const job of this.repeating) {
      const timer = setInterval(() => void this.add(job.name, job.payload, { jobId: `repeat:${job.name}` }), job.everyMs);
      timer.unref();
      this.timers.add(timer);
    }
    this.drain();
  }

  /** Resolves when nothing is queued or running; tests wait on this instead of sleeping. */
  whenIdle(): Promise<void> {
    if (this.running === 0 && this.ready.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.ready.length = 0;
    await this.whenIdle();
  }

  private enqueue(job: PendingJob): void {
    if (this.closed) return;
    this.ready.push(job);
    this.drain();
  }

  private drain(): void {
    while (this.running < this.concurrency && this.ready.length > 0) {
      const job = this.ready.shift()!;
      if (job.id) this.pendingIds.delete(job.id);
      this.running++;
      void this.execute(job).finally(() => {
        this.running--;
        this.drain();
        if (this.running === 0 && this.ready.length === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async execute(job: PendingJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) return;
    try {
      await handler(job.payload);
    } catch {
      // Durable work records its own failure in Postgres and is re-driven from there.
    }
  }
}
