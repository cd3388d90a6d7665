import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ConfigModule, loadConfig } from '@delta/config';
import { LoggerModule, createLogger } from '@delta/observability';
import { PersistenceModule, openDatabase } from '@delta/persistence';
import { createApiApp } from '../../apps/api/src/api.app';
import { ApiModule } from '../../apps/api/src/api.module';

/**
 * One API process for the foundation benchmark: `node serve.js fastify|express`.
 * The Express variant mounts the same modules with Nest's Express adapter.
 */
async function main(): Promise<void> {
  const adapter = process.argv[2] ?? 'fastify';
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true' });
  const logger = createLogger(config);
  const opened = await openDatabase(config);
  if (adapter === 'express') {
    const app = await NestFactory.create(
      {
        module: class ExpressBenchRoot {},
        imports: [ConfigModule.forRoot(config), LoggerModule.forRoot(logger), PersistenceModule.forRoot(opened), ApiModule.forRoot()],
      },
      new ExpressAdapter(),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    process.stdout.write(`READY ${new URL(await app.getUrl()).port}\n`);
    return;
  }
  const app = await createApiApp(config, opened, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`READY ${new URL(await app.getUrl()).port}\n`);
}

void main();
