import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../libs/config/src/app-config';
import { runMigrations } from '../../libs/persistence/src/database/database.factory';

/**
 * One jest run = one fresh database (migrated here, as its owner) and one Redis key prefix,
 * so runs on the same machine never collide. Tests isolate from each other by tenant.
 */
export default async function globalSetup(): Promise<void> {
  // The process-level tests run the built entry points, exactly as `npm start` does.
  execSync('npm run build', { cwd: join(__dirname, '../..'), stdio: 'ignore' });
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const database = `delta_test_${runId}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${database}`;
  process.env.DELTA_TEST_DATABASE_URL = url.toString();
  process.env.DELTA_TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.DELTA_TEST_REDIS_PREFIX = `delta_test_${runId}`;
  process.env.DELTA_TEST_BASE_URL = base;
  process.env.DELTA_TEST_DATABASE = database;
  await runMigrations(loadConfig({ DATABASE_URL: url.toString() }));
}
