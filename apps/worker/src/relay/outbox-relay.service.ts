import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { deliveryModeOf, ConnectionType } from '@delta/connectors';
import { ROOT_LOGGER } from '@delta/observability';
import {
  CHANNELS,
  ConnectionRecord,
  ConnectionsRepository,
  ConvergeRequest,
  Database,
  DeliveriesRepository,
  DeliveryJobRef,
  NewEvent,
  SqlRunner,
  UserRowLike,
  toApiUser,
} from '@delta/persistence';
import { DeliveryScheduler } from '../delivery/delivery.scheduler';
import { OutboxChange, buildWebhookEvents } from './webhook-events.builder';
import { ScopeResolver } from './scope.resolver';

const BATCH = 500;
const POLL_MS = 1000;
/** Only one relay runs at a time across workers, so events are created in commit order. */
const RELAY_LOCK = 7_244_001;
/** Events of one outbox row keep their order inside the resource's sequence. */
const EVENTS_PER_CHANGE = 1_000_000n;

interface OutboxRow {
  organization_id: string;
  id: string;
  resource_type: 'User' | 'Group';
  resource_id: string;
  operation: OutboxChange['operation'];
  changes: OutboxChange['changes'];
  snapshot: Record<string, unknown> | null;
  connection_id: string | null;
  trace_context: string | null;
  created_at: Date;
}

/**
 * Moves committed changes from the outbox into deliveries (ARCHITECTURE.md principle 1): claims
 * rows in batches (FOR UPDATE SKIP LOCKED), creates one delivery per (in-scope connection,
 * resource) — events for webhooks, converging rows for apps — marks the rows relayed in the same
 * transaction, then enqueues the jobs. Woken by NOTIFY on every outbox insert, with polling as
 * the fallback; if enqueueing fails after the commit, the sweeper finds the deliveries in
 * PostgreSQL and enqueues them, so nothing is lost.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private unlisten?: () => Promise<void>;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly connections: ConnectionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly scope: ScopeResolver,
    private readonly scheduler: DeliveryScheduler,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unlisten = await this.db.listen(CHANNELS.outbox, () => this.wake(), () => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
  }

  /** Runs the relay now, or once more right after the run in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'outbox relay failed; retrying on the next tick'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Relays until the outbox has no unrelayed rows left (or another worker holds the relay). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { relayed, jobs } = await this.db.system((tx) => this.relayBatch(tx));
      await this.scheduler.enqueue(jobs);
      total += relayed;
      if (relayed < BATCH || this.stopped) return total;
    }
  }

  private async relayBatch(tx: SqlRunner): Promise<{ relayed: number; jobs: DeliveryJobRef[] }> {
    const [lock] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK]);
    if (!lock?.locked) return { relayed: 0, jobs: [] };
    const rows = await tx.query<OutboxRow>(
      // delta_claim_outbox locks the oldest unrelayed rows through the partial index (see the SystemScans migration).
      `SELECT o.organization_id, o.id::text AS id, o.resource_type, o.resource_id, o.operation, o.changes, o.snapshot, o.connection_id, o.trace_context, o.created_at
       FROM delta_claim_outbox($1) c JOIN outbox o ON o.organization_id = c.organization_id AND o.id = c.id ORDER BY o.id`,
      [BATCH],
    );
    if (rows.length === 0) return { relayed: 0, jobs: [] };
    const changes = rows.map(toChange);
    const traceOf = new Map(rows.map((r) => [r.id, r.trace_context]));
    const organizations = [...new Set(changes.map((c) => c.organizationId))];
    const connections = await this.connections.enabledFor(tx, organizations);
    const events: NewEvent[] = [];
    const converge: ConvergeRequest[] = [];
    if (connections.length > 0) {
      const inScope = await this.scope.resolve(tx, changes, connections);
      const memberUsers = await this.memberUsers(tx, changes);
      const userGroups = await this.userGroups(tx, changes);
      const user = (snapshot: Record<string, unknown>) => {
        const row = snapshot as unknown as UserRowLike & { organization_id: string };
        return { ...toApiUser(row, userGroups.get(`${row.organization_id}:${row.id}`) ?? []) };
      };
      for (const change of changes) {
        const targets = connections.filter(
          (c) => c.organizationId === change.organizationId && (change.connectionId === null || change.connectionId === c.id) && inScope(c, change),
        );
        const webhookEvents = targets.some((c) => c.type === 'webhook')
          ? buildWebhookEvents(change, { user, memberUsers: memberUsers.get(change.organizationId) ?? new Map() })
          : [];
        for (const connection of targets) {
          if (deliveryModeOf(connection.type as ConnectionType) === 'event') {
            webhookEvents.forEach((event, index) =>
              events.push({
                organizationId: change.organizationId,
                connectionId: connection.id,
                resourceType: change.resourceType,
                resourceId: change.resourceId,
                sequence: BigInt(change.id) * EVENTS_PER_CHANGE + BigInt(index),
                eventType: event.type,
                payload: event.data,
                committedAt: change.createdAt,
                traceContext: traceOf.get(change.id) ?? null,
              }),
            );
          } else {
            converge.push(...this.convergeRequests(change, connection).map((r) => ({ ...r, traceContext: traceOf.get(change.id) ?? null })));
          }
        }
      }
    }
    const jobs = [...(await this.deliveries.insertEvents(tx, events)), ...(await this.deliveries.requestConvergence(tx, converge))];
    await tx.execute(
      `UPDATE outbox SET relayed_at = now() FROM unnest($1::uuid[], $2::bigint[]) AS r(organization_id, id)
       WHERE outbox.organization_id = r.organization_id AND outbox.id = r.id`,
      [rows.map((r) => r.organization_id), rows.map((r) => r.id)],
    );
    return { relayed: rows.length, jobs };
  }

  /** An app converges the changed resource, and users whose group membership changed (they may enter or leave scope). */
  private convergeRequests(change: OutboxChange, connection: ConnectionRecord): ConvergeRequest[] {
    const base = { organizationId: change.organizationId, connectionId: connection.id, sequence: BigInt(change.id), committedAt: change.createdAt };
    const requests: ConvergeRequest[] = [{ ...base, resourceType: change.resourceType, resourceId: change.resourceId }];
    if (change.resourceType === 'Group' && connection.scope) {
      for (const id of [...(change.changes?.membersAdded ?? []), ...(change.changes?.membersRemoved ?? [])]) {
        requests.push({ ...base, resourceType: 'User', resourceId: id });
      }
    }
    return requests;
  }

  /** The groups (direct and nested) of the users changed in this batch, as the user API lists them. */
  private async userGroups(tx: SqlRunner, changes: readonly OutboxChange[]): Promise<Map<string, { id: string; display_name: string }[]>> {
    const users = changes.filter((c) => c.resourceType === 'User' && c.operation !== 'deleted');
    const result = new Map<string, { id: string; display_name: string }[]>();
    if (users.length === 0) return result;
    const rows = await tx.query<{ organization_id: string; member_id: string; id: string; display_name: string }>(
      `WITH RECURSIVE chain(organization_id, member_id, group_id, depth) AS (
         SELECT gm.organization_id, gm.member_id, gm.group_id, 1 FROM group_members gm
         JOIN unnest($1::uuid[], $2::uuid[]) AS u(organization_id, id) ON gm.organization_id = u.organization_id AND gm.member_id = u.id
         UNION
         SELECT c.organization_id, c.member_id, gm.group_id, c.depth + 1 FROM chain c
         JOIN group_members gm ON gm.organization_id = c.organization_id AND gm.member_id = c.group_id AND gm.member_type = 'Group'
         WHERE c.depth < 32)
       SELECT DISTINCT c.organization_id, c.member_id, g.id, g.display_name FROM chain c
       JOIN groups g ON g.organization_id = c.organization_id AND g.id = c.group_id ORDER BY g.display_name`,
      [users.map((c) => c.organizationId), users.map((c) => c.resourceId)],
    );
    for (const row of rows) {
      const key = `${row.organization_id}:${row.member_id}`;
      if (!result.has(key)) result.set(key, []);
      result.get(key)!.push({ id: row.id, display_name: row.display_name });
    }
    return result;
  }

  /** `{id, email_address}` of users named in membership changes, per organization. */
  private async memberUsers(tx: SqlRunner, changes: readonly OutboxChange[]): Promise<Map<string, Map<string, { id: string; email_address: string | null }>>> {
    const pairs = changes.flatMap((c) => [...(c.changes?.membersAdded ?? []), ...(c.changes?.membersRemoved ?? [])].map((id) => [c.organizationId, id] as const));
    const result = new Map<string, Map<string, { id: string; email_address: string | null }>>();
    if (pairs.length === 0) return result;
    const rows = await tx.query<{ organization_id: string; id: string; user: Record<string, unknown> }>(
      `SELECT u.organization_id, u.id, to_jsonb(u) AS user FROM users u
       JOIN unnest($1::uuid[], $2::uuid[]) AS p(organization_id, id) ON u.organization_id = p.organization_id AND u.id = p.id`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    // A member deleted since (the relay runs after the commit) is described by its last snapshot.
    const found = new Set(rows.map((r) => `${r.organization_id}:${r.id}`));
    const missing = pairs.filter(([org, id]) => !found.has(`${org}:${id}`));
    if (missing.length > 0) {
      rows.push(
        ...(await tx.query<{ organization_id: string; id: string; user: Record<string, unknown> }>(
          `SELECT DISTINCT ON (o.organization_id, o.resource_id) o.organization_id, o.resource_id AS id, o.snapshot AS user FROM outbox o
           JOIN unnest($1::uuid[], $2::uuid[]) AS p(organization_id, id) ON o.organization_id = p.organization_id AND o.resource_id = p.id
           WHERE o.resource_type = 'User' AND o.snapshot IS NOT NULL ORDER BY o.organization_id, o.resource_id, o.id DESC`,
          [missing.map((p) => p[0]), missing.map((p) => p[1])],
        )),
      );
    }
    for (const row of rows) {
      const user = toApiUser(row.user as unknown as UserRowLike);
      if (!result.has(row.organization_id)) result.set(row.organization_id, new Map());
      result.get(row.organization_id)!.set(row.id, { id: row.id, email_address: user.email_address });
    }
    return result;
  }
}

function toChange(row: OutboxRow): OutboxChange {
  return {
    organizationId: row.organization_id,
    id: row.id,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    operation: row.operation,
    changes: row.changes,
    snapshot: row.snapshot,
    connectionId: row.connection_id,
    createdAt: new Date(row.created_at),
  };
}
