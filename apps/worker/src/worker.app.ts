import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, ConfigModule } from '@delta/config';
import type { JobQueue } from '@delta/jobs';
import { LoggerModule, NestPinoLogger } from '@delta/observability';
import { OpenedDatabase, PersistenceModule } from '@delta/persistence';
import { WorkerModule } from './worker.module';

/** The worker is a Nest application context (no HTTP): it registers handlers, then starts the queue. */
export async function createWorkerApp(
  config: AppConfig,
  opened: OpenedDatabase,
  queue: JobQueue,
  logger: Logger,
  redis?: Redis,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    {
      module: class DeltaWorkerRoot {},
      imports: [ConfigModule.forRoot(config), LoggerModule.forRoot(logger), PersistenceModule.forRoot(opened), WorkerModule.forRoot(queue, redis)],
    },
    { logger: new NestPinoLogger(logger) },
  );
  await app.init();
  await queue.start(config.worker.concurrency);
  return app;
}
