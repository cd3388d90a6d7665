import type { Redis } from 'ioredis';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import type { Sent } from './load';

/** What the receiver recorded for one request. */
export interface Arrival {
  readonly path: string;
  readonly at: number;
  readonly status: number;
  readonly id: string;
  readonly type: string;
  readonly firstName: string | null;
}

/** The benchmark's handle on the receiver process (its control port). */
export class ReceiverControl {
  constructor(private readonly url: string) {}

  private async post(path: string, body: unknown = {}): Promise<any> {
    const response = await fetch(`${this.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`receiver ${path}: ${response.status}`);
    return response.json();
  }

  secret(path: string, secret: string): Promise<void> {
    return this.post('/secret', { path, secret });
  }

  limit(path: string, requests: number | null, windowMs = 60_000): Promise<void> {
    return this.post('/limit', { path, requests, windowMs });
  }

  async down(): Promise<number> {
    return ((await this.post('/down')) as { at: number }).at;
  }

  async up(): Promise<number> {
    return ((await this.post('/up')) as { at: number }).at;
  }

  async count(prefix: string): Promise<{ ok: number; other: number }> {
    return (await fetch(`${this.url}/count?prefix=${encodeURIComponent(prefix)}`)).json() as Promise<{ ok: number; other: number }>;
  }

  async arrivals(prefix: string): Promise<Arrival[]> {
    const reply = (await (await fetch(`${this.url}/rows?prefix=${encodeURIComponent(prefix)}`)).json()) as {
      paths: string[];
      rows: [number, number, number, string, string, string | null][];
    };
    return reply.rows.map(([p, at, status, id, type, firstName]) => ({ path: reply.paths[p]!, at, status, id, type, firstName }));
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Matched {
  readonly expected: number;
  /** Expected changes whose event arrived (2xx) at least once. */
  readonly delivered: number;
  readonly lost: readonly string[];
  /** 2xx arrivals of a webhook-id already acknowledged (at-least-once redeliveries). */
  readonly duplicates: number;
  /** 2xx arrivals whose token or type matches no acknowledged change. */
  readonly unexpected: number;
  readonly invalidSignatures: number;
  readonly tooMany: number;
  /** Per delivered change: first arrival − SCIM response. */
  readonly lagsMs: readonly number[];
  readonly firstAt: number;
  readonly lastAt: number;
}

/** Matches the receiver's arrivals to the acknowledged SCIM changes by token and event type. */
export function match(sent: Map<string, Sent>, arrivals: readonly Arrival[]): Matched {
  const seenIds = new Set<string>();
  const firstArrival = new Map<string, number>();
  let duplicates = 0;
  let unexpected = 0;
  let invalidSignatures = 0;
  let tooMany = 0;
  let firstAt = Infinity;
  let lastAt = -Infinity;
  for (const a of arrivals) {
    if (a.status === 429) tooMany++;
    if (a.status === 401) invalidSignatures++;
    if (a.status !== 204) continue;
    if (seenIds.has(a.id)) {
      duplicates++;
      continue;
    }
    seenIds.add(a.id);
    const change = a.firstName ? sent.get(a.firstName) : undefined;
    if (!change || change.eventType !== a.type) {
      unexpected++;
      continue;
    }
    firstAt = Math.min(firstAt, a.at);
    lastAt = Math.max(lastAt, a.at);
    if (!firstArrival.has(a.firstName!)) firstArrival.set(a.firstName!, a.at);
  }
  const lost = [...sent.keys()].filter((token) => !firstArrival.has(token));
  const lagsMs = [...firstArrival].map(([token, at]) => at - sent.get(token)!.ackAt!);
  return { expected: sent.size, delivered: firstArrival.size, lost, duplicates, unexpected, invalidSignatures, tooMany, lagsMs, firstAt, lastAt };
}

export interface Sample {
  /** Seconds since the sampler started. */
  readonly t: number;
  readonly received: number;
  /** Non-2xx answers of the receiver (429s, bad signatures). */
  readonly refused: number;
  readonly outboxUnrelayed: number;
  readonly pending: number;
  readonly inFlight: number;
  readonly retrying: number;
  readonly succeeded: number;
  readonly dead: number;
  /** BullMQ: jobs waiting to run now, running, and delayed (scheduled retries, rate-limit waits). */
  readonly queueWaiting: number;
  readonly queueActive: number;
  readonly queueDelayed: number;
  /** 1-minute load average of the machine (2 cores): other work on the box shows here. */
  readonly load1: number;
}

/**
 * Samples PostgreSQL (outbox backlog, deliveries by state for the scenario's connections), Redis
 * (the BullMQ queue) and the receiver once a second while a scenario runs.
 */
export class Sampler {
  readonly samples: Sample[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;
  readonly startedAt = Date.now();

  constructor(
    private readonly db: Pool,
    private readonly redis: Redis,
    private readonly queuePrefix: string,
    private readonly receiver: ReceiverControl,
    private readonly pathPrefix: string,
    private readonly connectionIds: readonly string[],
  ) {}

  start(everyMs = 1000): this {
    this.timer = setInterval(() => void this.take(), everyMs);
    void this.take();
    return this;
  }

  stop(): Sample[] {
    clearInterval(this.timer);
    return this.samples;
  }

  last(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  private async take(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const t = (Date.now() - this.startedAt) / 1000;
      const [outbox, states, count, waiting, active, delayed] = await Promise.all([
        this.db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE relayed_at IS NULL'),
        this.db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM deliveries WHERE connection_id = ANY($1::uuid[]) GROUP BY state', [this.connectionIds]),
        this.receiver.count(this.pathPrefix),
        this.redis.llen(`${this.queuePrefix}:wait`),
        this.redis.llen(`${this.queuePrefix}:active`),
        this.redis.zcard(`${this.queuePrefix}:delayed`),
      ]);
      const byState = new Map(states.rows.map((r) => [r.state, Number(r.n)]));
      this.samples.push({
        t,
        received: count.ok,
        refused: count.other,
        outboxUnrelayed: Number(outbox.rows[0]!.n),
        pending: byState.get('pending') ?? 0,
        inFlight: byState.get('in_flight') ?? 0,
        retrying: byState.get('retrying') ?? 0,
        succeeded: byState.get('succeeded') ?? 0,
        dead: byState.get('dead') ?? 0,
        queueWaiting: waiting,
        queueActive: active,
        queueDelayed: delayed,
        load1: loadavg()[0]!,
      });
    } catch {
      // A missed sample is a gap in the timeline, not a failed run.
    } finally {
      this.busy = false;
    }
  }
}

/** UPDATEs of `deliveries` rows so far (flushed by each backend at exit; read after the worker stopped). */
export async function deliveryUpdates(db: Pool): Promise<number> {
  const { rows } = await db.query<{ n: string }>("SELECT n_tup_upd AS n FROM pg_stat_user_tables WHERE relname = 'deliveries'");
  return Number(rows[0]?.n ?? 0);
}
