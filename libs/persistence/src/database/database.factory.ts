import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PGliteDriver, getPGliteInstance } from 'typeorm-pglite';
import type { AppConfig } from '@delta/config';
import { MIGRATIONS } from '../../../../migrations';
import type { Database } from './database';
import { PgDatabase } from './pg.database';
import { PgliteDatabase } from './pglite.database';

export const APP_ROLE = 'delta_app';
/** Any constant shared by every process of one database: serializes concurrent migration runs. */
const MIGRATION_LOCK = 7_316_221;

export interface OpenedDatabase {
  readonly dataSource: DataSource;
  readonly database: Database;
  close(): Promise<void>;
}

function ownerDataSource(config: AppConfig): DataSource {
  if (config.db.migrationUrl) {
    return new DataSource({
      type: 'postgres',
      url: config.db.migrationUrl.reveal(),
      migrations: MIGRATIONS,
      migrationsTableName: 'migrations',
      extra: { max: 2 },
    });
  }
  const dir = join(config.db.dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  return new DataSource({
    type: 'postgres',
    driver: new PGliteDriver({ dataDir: dir }).driver,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
  });
}

/**
 * Applies pending migrations as the owner (the DATABASE_URL user, or PGlite's superuser).
 * An advisory lock lets several replicas start at once without racing.
 */
export async function runMigrations(config: AppConfig): Promise<string[]> {
  const source = ownerDataSource(config);
  await source.initialize();
  try {
    const runner = source.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      const applied = await source.runMigrations({ transaction: 'each' });
      await runner.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
      return applied.map((m) => m.name);
    } finally {
      await runner.release();
    }
  } finally {
    // The embedded instance is shared with the application's data source: keep it open.
    if (config.db.url) await source.destroy();
  }
}

/** Opens the application's connection, running as `delta_app` so RLS binds every query. */
export async function openDatabase(config: AppConfig): Promise<OpenedDatabase> {
  if (config.db.url) {
    const options = `-c role=${APP_ROLE}`;
    const dataSource = new DataSource({
      type: 'postgres',
      url: config.db.url.reveal(),
      extra: { max: config.db.poolSize, options },
    });
    await dataSource.initialize();
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const database = new PgDatabase(pool, { connectionString: config.db.url.reveal(), options });
    return {
      dataSource,
      database,
      close: async () => {
        await database.close();
        await dataSource.destroy();
      },
    };
  }
  const dir = join(config.db.dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const dataSource = new DataSource({ type: 'postgres', driver: new PGliteDriver({ dataDir: dir }).driver });
  await dataSource.initialize();
  const pglite: PGlite = await getPGliteInstance();
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  const database = new PgliteDatabase(pglite);
  return {
    dataSource,
    database,
    close: async () => {
      await database.close();
      await dataSource.destroy();
    },
  };
}

/**
 * Waits until every migration this build knows has been applied (by `npm run migrate` or an API
 * process), so a worker started alongside never runs jobs against an older schema.
 */
export async function waitForSchema(database: Database, timeoutMs = 120_000): Promise<void> {
  const expected = MIGRATIONS.map((m) => m.name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const applied = await database
      .unscoped<{ name: string }>('SELECT name FROM migrations')
      .then((rows) => new Set(rows.map((r) => r.name)))
      .catch(() => new Set<string>());
    const missing = expected.filter((name) => !applied.has(name));
    if (missing.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`the database is missing migrations ${missing.join(', ')}; run "npm run migrate" first`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
