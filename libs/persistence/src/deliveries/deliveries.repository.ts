import { Injectable } from '@nestjs/common';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { DeliveryJobRef, DeliveryRecord, DeliveryState } from './delivery.record';

interface DeliveryRow {
  organization_id: string;
  id: string;
  connection_id: string;
  resource_type: 'User' | 'Group';
  resource_id: string;
  mode: 'converge' | 'event';
  state: DeliveryState;
  generation: number;
  delivered_generation: number;
  sequence: string;
  event_type: string | null;
  payload: Record<string, unknown> | null;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  committed_at: Date;
  trace_context: string | null;
  created_at: Date;
  updated_at: Date;
  created_key?: string;
}

const COLUMNS = `d.organization_id, d.id, d.connection_id, d.resource_type, d.resource_id, d.mode, d.state, d.generation,
  d.delivered_generation, d.sequence::text AS sequence, d.event_type, d.payload, d.attempts, d.last_status, d.last_error,
  d.next_attempt_at, d.committed_at, d.trace_context, d.created_at, d.updated_at`;
const JOB_COLUMNS = 'organization_id, id, attempts, generation, next_attempt_at';

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    organizationId: row.organization_id,
    id: row.id,
    connectionId: row.connection_id,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    mode: row.mode,
    state: row.state,
    generation: row.generation,
    deliveredGeneration: row.delivered_generation,
    sequence: row.sequence,
    eventType: row.event_type,
    payload: row.payload,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAt: new Date(row.next_attempt_at),
    committedAt: new Date(row.committed_at),
    traceContext: row.trace_context,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toJobRef(row: { organization_id: string; id: string; attempts: number; generation: number; next_attempt_at: Date }): DeliveryJobRef {
  return { organizationId: row.organization_id, id: row.id, attempts: row.attempts, generation: row.generation, nextAttemptAt: new Date(row.next_attempt_at) };
}

export interface NewEvent {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly resourceType: 'User' | 'Group';
  readonly resourceId: string;
  /** Commit order within the resource: the outbox id, scaled so one change's events keep their order. */
  readonly sequence: bigint;
  readonly eventType: string;
  readonly payload: Record<string, unknown>;
  readonly committedAt: Date;
  readonly traceContext?: string | null;
}

export interface ConvergeRequest {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly resourceType: 'User' | 'Group';
  readonly resourceId: string;
  readonly sequence: bigint;
  readonly committedAt: Date;
  readonly traceContext?: string | null;
}

export interface DeliveryFilter {
  readonly state?: DeliveryState;
  readonly connectionId?: string;
  readonly resourceId?: string;
}

/** An event may go only when every earlier event of its resource on its connection is settled. */
const NO_EARLIER_EVENT = `NOT EXISTS (
  SELECT 1 FROM deliveries p WHERE p.organization_id = d.organization_id AND p.connection_id = d.connection_id
    AND p.resource_id = d.resource_id AND p.mode = 'event' AND p.sequence < d.sequence AND p.state NOT IN ('succeeded', 'dead'))`;

/**
 * Deliveries: PostgreSQL holds the truth about every one (state, attempts, next attempt, last
 * error, downstream status); Redis only runs them. Claiming is a conditional UPDATE, so a
 * duplicate or stale job finds nothing to do.
 */
@Injectable()
export class DeliveriesRepository {
  /** Webhook events, one row each; returns those that can run now (no earlier event pending). */
  async insertEvents(tx: SqlRunner, events: readonly NewEvent[]): Promise<DeliveryJobRef[]> {
    if (events.length === 0) return [];
    const rows = await tx.query<DeliveryRow>(
      `WITH n AS (
         INSERT INTO deliveries AS d (organization_id, connection_id, resource_type, resource_id, mode, sequence, event_type, payload, committed_at, trace_context)
         SELECT e.organization_id, e.connection_id, e.resource_type, e.resource_id, 'event', e.sequence, e.event_type, e.payload, e.committed_at, e.trace_context
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::bigint[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::text[])
           AS e(organization_id, connection_id, resource_type, resource_id, sequence, event_type, payload, committed_at, trace_context)
         RETURNING d.organization_id, d.id, d.connection_id, d.resource_id, d.sequence, d.attempts, d.generation, d.next_attempt_at)
       SELECT n.* FROM n WHERE NOT EXISTS (
         SELECT 1 FROM deliveries p WHERE p.organization_id = n.organization_id AND p.connection_id = n.connection_id
           AND p.resource_id = n.resource_id AND p.mode = 'event' AND p.state NOT IN ('succeeded', 'dead'))
         AND NOT EXISTS (SELECT 1 FROM n e WHERE e.organization_id = n.organization_id AND e.connection_id = n.connection_id
           AND e.resource_id = n.resource_id AND e.sequence < n.sequence)`,
      [
        events.map((e) => e.organizationId),
        events.map((e) => e.connectionId),
        events.map((e) => e.resourceType),
        events.map((e) => e.resourceId),
        events.map((e) => e.sequence.toString()),
        events.map((e) => e.eventType),
        events.map((e) => JSON.stringify(e.payload)),
        events.map((e) => e.committedAt.toISOString()),
        events.map((e) => e.traceContext ?? null),
      ],
    );
    return rows.map(toJobRef);
  }

  /**
   * Converging deliveries: one row per (connection, resource). A new change bumps the generation;
   * a row in flight keeps going and is re-run after (its generation moved on), others become
   * pending now. Returns the rows to enqueue.
   */
  async requestConvergence(tx: SqlRunner, requests: readonly ConvergeRequest[]): Promise<DeliveryJobRef[]> {
    if (requests.length === 0) return [];
    const rows = await tx.query<DeliveryRow>(
      `INSERT INTO deliveries AS d (organization_id, connection_id, resource_type, resource_id, mode, sequence, committed_at, trace_context)
       SELECT DISTINCT ON (r.organization_id, r.connection_id, r.resource_type, r.resource_id)
         r.organization_id, r.connection_id, r.resource_type, r.resource_id, 'converge', r.sequence, r.committed_at, r.trace_context
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::bigint[], $6::timestamptz[], $7::text[])
         AS r(organization_id, connection_id, resource_type, resource_id, sequence, committed_at, trace_context)
       ORDER BY r.organization_id, r.connection_id, r.resource_type, r.resource_id, r.sequence DESC
       ON CONFLICT (organization_id, connection_id, resource_type, resource_id) WHERE mode = 'converge'
       DO UPDATE SET generation = d.generation + 1, sequence = greatest(d.sequence, excluded.sequence),
         trace_context = coalesce(excluded.trace_context, d.trace_context),
         committed_at = CASE WHEN d.state IN ('succeeded', 'dead') THEN excluded.committed_at ELSE d.committed_at END,
         state = CASE WHEN d.state = 'in_flight' THEN 'in_flight' ELSE 'pending' END,
         attempts = CASE WHEN d.state = 'in_flight' THEN d.attempts ELSE 0 END,
         next_attempt_at = CASE WHEN d.state = 'in_flight' THEN d.next_attempt_at ELSE now() END,
         updated_at = now()
       RETURNING ${JOB_COLUMNS}, state`,
      [
        requests.map((r) => r.organizationId),
        requests.map((r) => r.connectionId),
        requests.map((r) => r.resourceType),
        requests.map((r) => r.resourceId),
        requests.map((r) => r.sequence.toString()),
        requests.map((r) => r.committedAt.toISOString()),
        requests.map((r) => r.traceContext ?? null),
      ],
    );
    return rows.filter((r) => r.state !== 'in_flight').map(toJobRef);
  }

  /** Takes a delivery for one attempt, leased so a dead worker's claim expires. */
  async claim(tx: SqlRunner, ctx: TenantContext, id: string, leaseMs: number): Promise<DeliveryRecord | undefined> {
    const [row] = await tx.query<DeliveryRow>(
      `UPDATE deliveries d SET state = 'in_flight', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $3 / 1000.0),
         updated_at = now()
       WHERE d.organization_id = $1 AND d.id = $2 AND d.state IN ('pending', 'retrying') AND d.next_attempt_at <= now() + interval '1 second'
         AND (d.mode = 'converge' OR ${NO_EARLIER_EVENT})
       RETURNING ${COLUMNS}`,
      [ctx.organizationId, id, leaseMs],
    );
    return row ? toRecord(row) : undefined;
  }

  /** Done. A converging row whose generation moved on while in flight runs again at once. */
  async succeed(tx: SqlRunner, ctx: TenantContext, id: string, claimedGeneration: number, status: number | null, rerunAt?: Date): Promise<DeliveryJobRef | undefined> {
    // rerunAt: the converged state has a deadline of its own (a deletion after the retention period).
    const [row] = await tx.query<DeliveryRow & { state: DeliveryState }>(
      `UPDATE deliveries d SET
         state = CASE WHEN d.generation > $3 OR $5::timestamptz IS NOT NULL THEN 'pending' ELSE 'succeeded' END,
         attempts = CASE WHEN d.generation > $3 OR $5::timestamptz IS NOT NULL THEN 0 ELSE d.attempts END,
         delivered_generation = $3, last_status = $4, last_error = NULL, lease_until = NULL,
         next_attempt_at = CASE WHEN d.generation > $3 THEN now() ELSE coalesce($5::timestamptz, now()) END, updated_at = now()
       WHERE d.organization_id = $1 AND d.id = $2 RETURNING ${JOB_COLUMNS}, state`,
      [ctx.organizationId, id, claimedGeneration, status, rerunAt?.toISOString() ?? null],
    );
    return row && row.state === 'pending' ? toJobRef(row) : undefined;
  }

  /** A failed attempt: retried at `at`, or dead-lettered with its error when `at` is null. */
  async fail(tx: SqlRunner, ctx: TenantContext, id: string, at: Date | null, status: number | null, error: string): Promise<DeliveryJobRef | undefined> {
    const [row] = await tx.query<DeliveryRow>(
      `UPDATE deliveries d SET state = CASE WHEN $3::timestamptz IS NULL THEN 'dead' ELSE 'retrying' END,
         next_attempt_at = coalesce($3::timestamptz, now()), last_status = $4, last_error = $5, lease_until = NULL, updated_at = now()
       WHERE d.organization_id = $1 AND d.id = $2 RETURNING ${JOB_COLUMNS}, state`,
      [ctx.organizationId, id, at?.toISOString() ?? null, status, error.slice(0, 2000)],
    );
    return row && at ? toJobRef(row) : undefined;
  }

  /** Gives an attempt back without counting it (a rate-limit wait, a paused connection). */
  async release(tx: SqlRunner, ctx: TenantContext, id: string, at: Date, reason: string | null): Promise<DeliveryJobRef | undefined> {
    const [row] = await tx.query<DeliveryRow>(
      `UPDATE deliveries d SET attempts = greatest(d.attempts - 1, 0), state = CASE WHEN d.attempts - 1 > 0 THEN 'retrying' ELSE 'pending' END,
         next_attempt_at = $3, lease_until = NULL, last_error = coalesce($4, d.last_error), updated_at = now()
       WHERE d.organization_id = $1 AND d.id = $2 AND d.state = 'in_flight' RETURNING ${JOB_COLUMNS}`,
      [ctx.organizationId, id, at.toISOString(), reason],
    );
    return row ? toJobRef(row) : undefined;
  }

  /** Pushes every waiting delivery of a connection to `at` (the endpoint asked the whole connection to wait). */
  async postponeConnection(tx: SqlRunner, ctx: TenantContext, connectionId: string, at: Date, spreadMs = 0): Promise<DeliveryJobRef[]> {
    // Spread over `spreadMs` after `at`, so the waiting work does not all wake at the same instant.
    const rows = await tx.query<DeliveryRow>(
      `UPDATE deliveries d SET next_attempt_at = $3::timestamptz + random() * make_interval(secs => $4 / 1000.0)
       WHERE organization_id = $1 AND connection_id = $2 AND state IN ('pending', 'retrying')
         AND next_attempt_at < $3 AND (d.mode = 'converge' OR ${NO_EARLIER_EVENT})
       RETURNING ${JOB_COLUMNS}`,
      [ctx.organizationId, connectionId, at.toISOString(), spreadMs],
    );
    return rows.map(toJobRef);
  }

  /** The mirror of postponeConnection: the app answered again, so its retrying deliveries are due now. */
  async wakeConnection(tx: SqlRunner, ctx: TenantContext, connectionId: string): Promise<DeliveryJobRef[]> {
    const rows = await tx.query<DeliveryRow>(
      `UPDATE deliveries d SET next_attempt_at = now() WHERE organization_id = $1 AND connection_id = $2 AND state = 'retrying'
         AND next_attempt_at > now() AND (d.mode = 'converge' OR ${NO_EARLIER_EVENT})
       RETURNING ${JOB_COLUMNS}`,
      [ctx.organizationId, connectionId],
    );
    return rows.map(toJobRef);
  }

  /** The next event of a resource once one settled (events run one at a time per resource). */
  async nextEvent(tx: SqlRunner, ctx: TenantContext, connectionId: string, resourceId: string): Promise<DeliveryJobRef | undefined> {
    const [row] = await tx.query<DeliveryRow>(
      `SELECT ${JOB_COLUMNS} FROM deliveries WHERE organization_id = $1 AND connection_id = $2 AND resource_id = $3 AND mode = 'event'
         AND state IN ('pending', 'retrying') ORDER BY sequence LIMIT 1`,
      [ctx.organizationId, connectionId, resourceId],
    );
    return row ? toJobRef(row) : undefined;
  }

  /**
   * The sweeper's view (system scope): deliveries due for longer than `graceMs` (their job was
   * lost, e.g. Redis emptied) and leases that expired (a worker died mid-call; that attempt counts).
   */
  async overdue(tx: SqlRunner, graceMs: number, limit: number): Promise<DeliveryJobRef[]> {
    // Both scans run through owner functions so they use their partial indexes (SystemScans migration).
    await tx.query('SELECT delta_expire_delivery_leases()');
    const rows = await tx.query<DeliveryRow>(
      `SELECT d.organization_id, d.id, d.attempts, d.generation, d.next_attempt_at
       FROM delta_due_deliveries($1, $2) k JOIN deliveries d ON d.organization_id = k.organization_id AND d.id = k.id
       ORDER BY d.next_attempt_at`,
      [graceMs, limit],
    );
    return rows.map(toJobRef);
  }

  async find(tx: SqlRunner, ctx: TenantContext, id: string): Promise<DeliveryRecord | undefined> {
    const [row] = await tx.query<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries d WHERE d.organization_id = $1 AND d.id = $2`, [ctx.organizationId, id]);
    return row ? toRecord(row) : undefined;
  }

  async list(tx: SqlRunner, ctx: TenantContext, filter: DeliveryFilter, limit: number, after?: KeysetCursor): Promise<Page<DeliveryRecord>> {
    const rows = await tx.query<DeliveryRow>(
      `SELECT ${COLUMNS}, d.created_at::text AS created_key FROM deliveries d
       WHERE d.organization_id = $1 AND ($2::text IS NULL OR d.state = $2) AND ($3::uuid IS NULL OR d.connection_id = $3)
         AND ($4::uuid IS NULL OR d.resource_id = $4)
         AND ($5::timestamptz IS NULL OR (d.created_at, d.id) < ($5::timestamptz, $6::uuid))
       ORDER BY d.created_at DESC, d.id DESC LIMIT $7`,
      [ctx.organizationId, filter.state ?? null, filter.connectionId ?? null, filter.resourceId ?? null, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (d) => ({ createdAt: d.created_key!, id: d.id }));
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }

  /** Replays dead (or waiting) deliveries now, with a fresh attempt budget. */
  async replay(tx: SqlRunner, ctx: TenantContext, where: { id?: string; connectionId?: string }): Promise<DeliveryJobRef[]> {
    const rows = await tx.query<DeliveryRow>(
      `UPDATE deliveries d SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, updated_at = now()
       WHERE d.organization_id = $1 AND ($2::uuid IS NULL OR d.id = $2) AND ($3::uuid IS NULL OR d.connection_id = $3)
         AND (CASE WHEN $2::uuid IS NULL THEN d.state = 'dead' ELSE d.state IN ('dead', 'retrying', 'pending') END)
       RETURNING ${JOB_COLUMNS}`,
      [ctx.organizationId, where.id ?? null, where.connectionId ?? null],
    );
    return rows.map(toJobRef);
  }
}
