import { Client, Pool, PoolClient } from 'pg';
import { Database, NotificationHandler, beginSql } from './database';
import type { SqlRunner } from './sql-runner';
import { isUuid, TenantContext } from './tenant-context';

function runnerFor(client: Pick<PoolClient, 'query'>): SqlRunner {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as R[];
    },
    async execute(sql: string, params?: readonly unknown[]): Promise<number> {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rowCount ?? 0;
    },
  };
}

/**
 * PostgreSQL through a pg pool whose connections start as `delta_app` (startup option
 * `-c role=delta_app`), so a query that escapes the helpers below is still bound by RLS.
 */
export class PgDatabase extends Database {
  private readonly listeners = new Map<string, Set<NotificationHandler>>();
  private readonly resetHandlers = new Set<() => void>();
  private listenClient?: Client;
  private listenConnecting?: Promise<Client>;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly clientConfig: { connectionString: string; options: string },
  ) {
    super();
  }

  tenant<T>(ctx: TenantContext, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    if (!isUuid(ctx.organizationId)) throw new Error('tenant scope needs a UUID organization id');
    return this.transaction(beginSql({ organizationId: ctx.organizationId }), work);
  }

  system<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.transaction(beginSql('system'), work);
  }

  async unscoped<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    const result = await this.pool.query(sql, params as unknown[] | undefined);
    return result.rows as R[];
  }

  private async transaction<T>(begin: string, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(runnerFor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async listen(channel: string, handler: NotificationHandler, onReset?: () => void): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    let handlers = this.listeners.get(channel);
    const first = !handlers;
    if (!handlers) {
      handlers = new Set();
      this.listeners.set(channel, handlers);
    }
    handlers.add(handler);
    if (onReset) this.resetHandlers.add(onReset);
    const client = await this.listenConnection();
    if (first) await client.query(`LISTEN ${channel}`);
    return async () => {
      handlers.delete(handler);
      if (onReset) this.resetHandlers.delete(onReset);
    };
  }

  private listenConnection(): Promise<Client> {
    if (this.listenClient) return Promise.resolve(this.listenClient);
    this.listenConnecting ??= (async () => {
      const client = new Client(this.clientConfig);
      client.on('notification', (message) => {
        for (const handler of this.listeners.get(message.channel) ?? []) handler(message.payload ?? '');
      });
      client.on('error', () => this.reconnectListener(client));
      client.on('end', () => this.reconnectListener(client));
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
      this.listenClient = client;
      this.listenConnecting = undefined;
      return client;
    })().catch((error) => {
      this.listenConnecting = undefined;
      throw error;
    });
    return this.listenConnecting;
  }

  private reconnectListener(client: Client): void {
    if (this.listenClient !== client || this.closed) return;
    this.listenClient = undefined;
    // Notifications sent while we were away are lost: tell subscribers to resynchronise.
    for (const reset of this.resetHandlers) reset();
    const retry = (): void => {
      if (this.closed) return;
      this.listenConnection().catch(() => setTimeout(retry, 1000).unref());
    };
    setTimeout(retry, 200).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.listenClient;
    this.listenClient = undefined;
    await client?.end().catch(() => undefined);
  }
}
