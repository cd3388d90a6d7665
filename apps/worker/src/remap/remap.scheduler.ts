import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobPayload, JobQueue } from '@delta/jobs';
import { CHANNELS, Database, RemapRunsRepository, isUuid } from '@delta/persistence';
import { ROOT_LOGGER } from '@delta/observability';
import type { Logger } from 'pino';
import { REMAP_JOB, RemapJob } from './remap.job';

export const REMAP_SWEEP_JOB = 'mapping.remap-sweep';
/** Resumes runs whose worker died (their lease expired) or whose wake-up was lost. */
const SWEEP_EVERY_MS = 30_000;

/**
 * Starts remap runs. The API only writes a `remap_runs` row (in the transaction that saves the
 * mapping, so Postgres is the truth) and NOTIFYs `delta_mapping_changed`; here every worker
 * listens and sweeps that organization's unfinished runs into jobs. A sweep at start and every
 * 30 s resumes whatever a stopped worker or a lost notification left behind; the lease on the
 * run keeps duplicate jobs harmless.
 */
@Injectable()
export class RemapScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private unlisten?: () => Promise<void>;

  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly db: Database,
    private readonly runs: RemapRunsRepository,
    private readonly job: RemapJob,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue.register(REMAP_JOB, async (payload) => {
      if (!isUuid(payload.organizationId) || !isUuid(payload.runId)) throw new Error(`${REMAP_JOB}: bad payload`);
      await this.job.run(payload.organizationId, payload.runId);
    });
    this.queue.register(REMAP_SWEEP_JOB, (payload) => this.sweep(payload));
    this.queue.every(REMAP_SWEEP_JOB, SWEEP_EVERY_MS, { v: 1 });
    this.unlisten = await this.db.listen(
      CHANNELS.mappingChanged,
      (organizationId) => void this.wake(isUuid(organizationId) ? { v: 1, organizationId } : { v: 1 }),
      () => void this.wake({ v: 1 }),
    );
    await this.wake({ v: 1 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unlisten?.();
  }

  private async wake(payload: JobPayload): Promise<void> {
    await this.queue.add(REMAP_SWEEP_JOB, payload).catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue a remap sweep'));
  }

  private async sweep(payload: JobPayload): Promise<void> {
    const organizationId = isUuid(payload.organizationId) ? payload.organizationId : undefined;
    const runs = organizationId
      ? await this.db.tenant({ organizationId }, (tx) => this.runs.unfinished(tx, { organizationId }))
      : await this.db.system((tx) => this.runs.unfinished(tx));
    for (const run of runs) await this.queue.add(REMAP_JOB, { v: 1, organizationId: run.organizationId, runId: run.id });
  }
}
