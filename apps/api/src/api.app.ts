import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyBaseLogger, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import { AppConfig, ConfigModule } from '@delta/config';
import { LoggerModule, NestPinoLogger, lazyChildLoggerFactory } from '@delta/observability';
import { OpenedDatabase, PersistenceModule } from '@delta/persistence';
import { ApiModule } from './api.module';
import { configureHttp } from './http/configure-http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the API application (not yet listening): used by the processes and by the tests. */
export async function createApiApp(
  config: AppConfig,
  opened: OpenedDatabase,
  logger: Logger,
  redis?: Redis,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request from our own onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log becomes a pino child only when a request writes a line (most never do).
    childLoggerFactory: (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) =>
      lazyChildLoggerFactory(parent as Logger, bindings, options) as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimitBytes,
    // Keep a caller's id when it is sane, so logs join across services; mint one otherwise.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    {
      module: class DeltaApiRoot {},
      imports: [ConfigModule.forRoot(config), LoggerModule.forRoot(logger), PersistenceModule.forRoot(opened), ApiModule.forRoot(redis)],
    },
    adapter,
    { logger: new NestPinoLogger(logger), bufferLogs: false },
  );
  configureHttp(app, config);
  app.enableShutdownHooks();
  return app;
}
