import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { BenchOrg } from './load';
import { ReceiverControl } from './observe';
import { Proc, startWorker, stop } from './processes';

export interface RateLimit {
  readonly requests_per_minute: number;
  readonly burst: number;
}

/** A rate limit that never binds: the scenarios that measure the engine, not the pacing. */
export const UNLIMITED: RateLimit = { requests_per_minute: 1_000_000, burst: 10_000 };

/** Everything a scenario needs: the running processes, the database as owner, Redis, the receiver. */
export class Rig {
  worker?: Proc;
  private slugs = 0;

  constructor(
    readonly apiUrl: string,
    readonly hooksUrl: string,
    readonly receiver: ReceiverControl,
    readonly db: Pool,
    readonly redis: Redis,
    readonly env: Record<string, string>,
    private readonly adminKey: string,
    private readonly runId: string,
  ) {}

  /** BullMQ's keys for the queue the worker consumes. */
  get queuePrefix(): string {
    return `${this.env.REDIS_KEY_PREFIX}:delta-jobs`;
  }

  async admin(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  /** `n` organizations, each with a SCIM token and a webhook connection to `/h/<label>/<k>` on the receiver. */
  async orgs(label: string, n: number, rateLimit: RateLimit): Promise<BenchOrg[]> {
    const orgs: BenchOrg[] = [];
    for (let k = 0; k < n; k++) {
      const org = await this.admin('POST', '/v1/organizations', { name: `Fan-out ${label} ${k}`, slug: `fanout-${this.runId}-${label}-${this.slugs++}` });
      const token = (await this.admin('POST', `/v1/organizations/${org.id}/scim/tokens`, { name: 'bench' })).token as string;
      const path = `/h/${label}/${k}`;
      const connection = await this.admin('POST', `/v1/organizations/${org.id}/connections`, {
        type: 'webhook',
        name: 'Product',
        config: { url: `${this.hooksUrl}${path}` },
        rate_limit: rateLimit,
      });
      await this.receiver.secret(path, connection.signing_secret as string);
      orgs.push({ id: org.id as string, token, connectionId: connection.id as string, path });
    }
    return orgs;
  }

  async startWorker(extra: Record<string, string> = {}): Promise<void> {
    await this.stopWorker();
    this.worker = await startWorker({ ...this.env, ...extra });
  }

  async stopWorker(): Promise<void> {
    if (this.worker) await stop(this.worker);
    this.worker = undefined;
  }

  /** True when the relay and every delivery of these connections are settled (succeeded or dead). */
  async settled(connectionIds: readonly string[]): Promise<boolean> {
    const { rows } = await this.db.query<{ outbox: string; open: string }>(
      `SELECT (SELECT count(*) FROM outbox WHERE relayed_at IS NULL) AS outbox,
              (SELECT count(*) FROM deliveries WHERE connection_id = ANY($1::uuid[]) AND state NOT IN ('succeeded', 'dead')) AS open`,
      [connectionIds],
    );
    return Number(rows[0]!.outbox) === 0 && Number(rows[0]!.open) === 0;
  }

  /**
   * Waits until the receiver acknowledged at least `expected` events under `pathPrefix` and
   * PostgreSQL has nothing open for the connections, or `timeoutMs` passes. Returns whether it drained.
   */
  async drain(pathPrefix: string, expected: number, connectionIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let settledSince: number | undefined;
    for (let round = 0; Date.now() < deadline; round++) {
      const { ok } = await this.receiver.count(pathPrefix);
      // PostgreSQL is asked every 2 s until the receiver has enough, not to load it while measuring.
      const checked = ok >= expected || round % 8 === 0;
      const settled = checked && (await this.settled(connectionIds));
      if (ok >= expected && settled) return true;
      // Settled in PostgreSQL yet short at the receiver for 5 s: something was lost; stop waiting.
      if (checked) settledSince = settled ? (settledSince ?? Date.now()) : undefined;
      if (settledSince !== undefined && Date.now() - settledSince > 5000) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  }
}
