import { Inject, Injectable } from '@nestjs/common';
import {
  ActiveMapping,
  AttributeMappingsRepository,
  Database,
  RemapRunsRepository,
  TenantContext,
  UserProfilesRepository,
  refreshUserProfiles,
  toActiveMapping,
} from '@delta/persistence';
import { ROOT_LOGGER } from '@delta/observability';
import type { Logger } from 'pino';

export const REMAP_JOB = 'mapping.remap';
/** Users per transaction: big enough to amortize round trips, small enough to hold locks briefly. */
export const REMAP_BATCH = 500;

/**
 * Re-maps every user of one organization with the mapping in force, in id-ordered batches of
 * REMAP_BATCH, one transaction each: lock the batch, re-map, write only the changed profiles
 * (each with an 'updated' outbox row carrying `profileChanges`), advance the run's cursor and
 * counters. Everything a batch does commits together, so a worker killed at any point resumes
 * from the last committed cursor (see RemapScheduler), and a run whose mapping version is no
 * longer in force stops (a newer save queued its own run).
 */
@Injectable()
export class RemapJob {
  constructor(
    private readonly db: Database,
    private readonly runs: RemapRunsRepository,
    private readonly mappings: AttributeMappingsRepository,
    private readonly profiles: UserProfilesRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async run(organizationId: string, runId: string): Promise<void> {
    const ctx: TenantContext = { organizationId, requestId: `remap:${runId}` };
    // Another worker holding a live lease is walking this run already.
    if (!(await this.db.tenant(ctx, (tx) => this.runs.claim(tx, ctx, runId)))) return;
    const started = Date.now();
    let active: ActiveMapping | undefined;
    try {
      for (;;) {
        const done = await this.db.tenant(ctx, async (tx) => {
          const run = await this.runs.lockForBatch(tx, ctx, runId);
          if (!run || (run.state !== 'pending' && run.state !== 'running')) return true;
          const current = await this.mappings.current(tx, ctx);
          const version = current?.version ?? 0;
          if (version !== run.mappingVersion) {
            await this.runs.finish(tx, ctx, runId, 'failed', `superseded by mapping version ${version}`);
            return true;
          }
          active ??= toActiveMapping(current);
          const rows = await this.profiles.lockBatch(tx, ctx, run.cursor, REMAP_BATCH);
          if (rows.length > 0) {
            const outcome = await refreshUserProfiles(this.profiles, tx, ctx, active.compiled, rows);
            await this.runs.advance(tx, ctx, runId, { cursor: rows[rows.length - 1]!.id, processed: outcome.processed, changed: outcome.changed });
          }
          if (rows.length < REMAP_BATCH) {
            await this.runs.finish(tx, ctx, runId, 'succeeded');
            return true;
          }
          return false;
        });
        if (done) break;
      }
      this.logger.info({ org_id: organizationId, remap_id: runId, ms: Date.now() - started }, 'remap finished');
    } catch (error) {
      // Transient (database) failures: give the lease back so the next sweep resumes the run.
      await this.db.tenant(ctx, (tx) => this.runs.release(tx, ctx, runId)).catch(() => undefined);
      throw error;
    }
  }
}
