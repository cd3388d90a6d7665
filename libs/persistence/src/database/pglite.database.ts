import type { PGlite } from '@electric-sql/pglite';
import { AsyncMutex } from './async-mutex.util';
import { Database, NotificationHandler, beginSql } from './database';
import type { SqlRunner } from './sql-runner';
import { isUuid, TenantContext } from './tenant-context';

/**
 * The embedded mode's database: one PGlite instance (one session). Transactions are serialized
 * with a mutex because interleaving two of them on one session would mix their statements.
 */
export class PgliteDatabase extends Database {
  private readonly mutex = new AsyncMutex();

  constructor(private readonly db: PGlite) {
    super();
  }

  private runner(): SqlRunner {
    const db = this.db;
    return {
      async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
        const result = await db.query<R>(sql, params as unknown[] | undefined);
        return result.rows;
      },
      async execute(sql: string, params?: readonly unknown[]): Promise<number> {
        const result = await db.query(sql, params as unknown[] | undefined);
        return result.affectedRows ?? 0;
      },
    };
  }

  tenant<T>(ctx: TenantContext, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    if (!isUuid(ctx.organizationId)) throw new Error('tenant scope needs a UUID organization id');
    return this.transaction(beginSql({ organizationId: ctx.organizationId }), work);
  }

  system<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.transaction(beginSql('system'), work);
  }

  unscoped<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.mutex.run(async () => (await this.db.query<R>(sql, params as unknown[] | undefined)).rows);
  }

  private transaction<T>(begin: string, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      await this.db.exec(begin);
      try {
        const result = await work(this.runner());
        await this.db.exec('COMMIT');
        return result;
      } catch (error) {
        await this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, handler);
    return () => unlisten();
  }

  async close(): Promise<void> {
    // The instance belongs to the data source; it is closed there.
  }
}
