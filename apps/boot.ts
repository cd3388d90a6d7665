import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, isEmbedded, resolveEncryptionKey } from '@delta/config';
import { BullMqJobQueue, InProcessJobQueue, JobQueue } from '@delta/jobs';
import { createLogger, stopTelemetry } from '@delta/observability';
import { OpenedDatabase, openDatabase, runMigrations, waitForSchema } from '@delta/persistence';
import { createApiApp } from './api/src/api.app';
import { AdminKeyService } from './api/src/auth/admin-key.service';
import { createWorkerApp } from './worker/src/worker.app';

export type ProcessRole = 'all' | 'api' | 'worker';

export interface RunningDelta {
  readonly url?: string;
  readonly generatedAdminKey?: string;
  stop(): Promise<void>;
}

function redisConnection(config: AppConfig): Redis | undefined {
  // BullMQ needs maxRetriesPerRequest: null for its blocking commands.
  return config.redis.url ? new Redis(config.redis.url.reveal(), { maxRetriesPerRequest: null, lazyConnect: false }) : undefined;
}

/**
 * Starts Delta in one of its shapes: `all` (API and worker in one process: embedded on PGlite
 * when no DATABASE_URL, or against PostgreSQL and Redis when both are set), `api` or `worker`.
 */
export async function startDelta(config: AppConfig, role: ProcessRole, logger: Logger = createLogger(config)): Promise<RunningDelta> {
  if (role !== 'all' && isEmbedded(config)) {
    throw new Error(`start:${role} needs DATABASE_URL (and REDIS_URL for the worker); use "npm start" for the embedded mode.`);
  }
  if (role === 'worker' && !config.redis.url) throw new Error('The worker process needs REDIS_URL (BullMQ).');
  // Separate processes scale out; they must agree on the queue, so the combined
  // production shape also needs Redis.
  if (role === 'all' && !isEmbedded(config) && !config.redis.url) {
    throw new Error('With DATABASE_URL set, REDIS_URL is required too (the job queue); unset both for the embedded mode.');
  }

  // Resolved up front so a missing key stops the process before it serves anything.
  resolveEncryptionKey(config);
  const migrated = role === 'worker' ? [] : await runMigrations(config);
  if (migrated.length > 0) logger.info({ migrations: migrated }, 'migrations applied');
  const opened: OpenedDatabase = await openDatabase(config);
  if (role === 'worker') await waitForSchema(opened.database);
  const redis = redisConnection(config);
  const closers: Array<() => Promise<unknown>> = [];
  let url: string | undefined;
  let generatedAdminKey: string | undefined;

  try {
    if (role !== 'worker') {
      const api = await createApiApp(config, opened, logger, redis);
      generatedAdminKey = await api.get(AdminKeyService).ensureAdminKey();
      await api.listen({ port: config.http.port, host: config.http.host });
      url = await api.getUrl();
      closers.push(() => api.close());
      logger.info({ url, embedded: isEmbedded(config) }, 'Delta API listening');
    }
    if (role !== 'api') {
      const queue: JobQueue = redis ? new BullMqJobQueue(redis, config.redis.keyPrefix) : new InProcessJobQueue();
      const worker: INestApplicationContext = await createWorkerApp(config, opened, queue, logger, redis);
      closers.push(async () => {
        await queue.close();
        await worker.close();
      });
      logger.info({ transport: redis ? 'bullmq' : 'in-process' }, 'Delta worker started');
    }
  } catch (error) {
    await opened.close().catch(() => undefined);
    redis?.disconnect();
    throw error;
  }

  return {
    url,
    generatedAdminKey,
    async stop() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await opened.close().catch(() => undefined);
      redis?.disconnect();
      await stopTelemetry();
    },
  };
}
