import { Injectable } from '@nestjs/common';
import { DomainError } from '@delta/core';
import { Database, TenantContext } from '@delta/persistence';

export interface ResyncOutput {
  readonly id: string;
  readonly connection_id: string;
  /** `relaying`: turning resources into deliveries; `delivering`: deliveries in progress; `done`. */
  readonly state: 'relaying' | 'delivering' | 'done';
  readonly total: number;
  readonly relayed: number;
  readonly pending_deliveries: number;
  readonly created_at: string;
}

interface ResyncRow {
  id: string;
  connection_id: string;
  total: number;
  first_outbox_id: string | null;
  last_outbox_id: string | null;
  created_at: Date;
}

/** Events of one outbox row share this range of delivery sequences (see the outbox relay). */
const EVENTS_PER_CHANGE = '1000000';

/**
 * Resync re-delivers every user and group of the organization to one connection: one outbox row
 * per resource, addressed to that connection only, written in one statement; the relay applies
 * the connection's scope and the engine delivers them like any change (webhooks receive
 * `user.updated` with `"changes": []`, `group.updated` and `group.member_added` for each member).
 */
@Injectable()
export class ResyncService {
  constructor(private readonly db: Database) {}

  async start(ctx: TenantContext, connectionId: string): Promise<ResyncOutput> {
    const row = await this.db.tenant(ctx, async (tx) => {
      const [connection] = await tx.query(`SELECT 1 FROM connections WHERE organization_id = $1 AND id = $2 FOR UPDATE`, [ctx.organizationId, connectionId]);
      if (!connection) return undefined;
      const [created] = await tx.query<ResyncRow>(
        `WITH u AS (
           INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, snapshot, connection_id)
           SELECT u.organization_id, 'User', u.id, 'resync', '{"operation":"resync"}'::jsonb, to_jsonb(u) - 'password_hash', $2
           FROM users u WHERE u.organization_id = $1 RETURNING id),
         g AS (
           INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, snapshot, connection_id)
           SELECT g.organization_id, 'Group', g.id, 'resync',
             jsonb_build_object('operation', 'resync', 'membersAdded',
               coalesce((SELECT jsonb_agg(gm.member_id) FROM group_members gm WHERE gm.organization_id = g.organization_id AND gm.group_id = g.id), '[]'::jsonb)),
             to_jsonb(g) - 'resource', $2
           FROM groups g WHERE g.organization_id = $1 RETURNING id),
         ids AS (SELECT id FROM u UNION ALL SELECT id FROM g)
         INSERT INTO connection_resyncs (organization_id, connection_id, total, first_outbox_id, last_outbox_id)
         SELECT $1, $2, count(*), min(id), max(id) FROM ids
         RETURNING id, connection_id, total, first_outbox_id::text, last_outbox_id::text, created_at`,
        [ctx.organizationId, connectionId],
      );
      return created;
    });
    if (!row) throw new DomainError('not_found', `No connection with id ${connectionId} in this organization.`);
    return this.describe(ctx, row);
  }

  async progress(ctx: TenantContext, connectionId: string): Promise<ResyncOutput> {
    const [row] = await this.db.tenant(ctx, (tx) =>
      tx.query<ResyncRow>(
        `SELECT id, connection_id, total, first_outbox_id::text, last_outbox_id::text, created_at FROM connection_resyncs
         WHERE organization_id = $1 AND connection_id = $2 ORDER BY created_at DESC LIMIT 1`,
        [ctx.organizationId, connectionId],
      ),
    );
    if (!row) throw new DomainError('not_found', `Connection ${connectionId} has no resync.`);
    return this.describe(ctx, row);
  }

  private async describe(ctx: TenantContext, row: ResyncRow): Promise<ResyncOutput> {
    const [counts] = await this.db.tenant(ctx, (tx) =>
      tx.query<{ relayed: number; pending: number }>(
        `SELECT
           (SELECT count(*)::int FROM outbox o WHERE o.organization_id = $1 AND o.connection_id = $2 AND o.id BETWEEN $3 AND $4 AND o.relayed_at IS NOT NULL) AS relayed,
           (SELECT count(*)::int FROM deliveries d WHERE d.organization_id = $1 AND d.connection_id = $2 AND d.state NOT IN ('succeeded', 'dead')
              AND ((d.mode = 'event' AND d.sequence >= $3::bigint * $5::bigint AND d.sequence < ($4::bigint + 1) * $5::bigint)
                OR (d.mode = 'converge' AND d.sequence BETWEEN $3 AND $4))) AS pending`,
        [ctx.organizationId, row.connection_id, row.first_outbox_id ?? '0', row.last_outbox_id ?? '0', EVENTS_PER_CHANGE],
      ),
    );
    const relayed = row.total === 0 ? 0 : counts!.relayed;
    const pending = row.total === 0 ? 0 : counts!.pending;
    return {
      id: row.id,
      connection_id: row.connection_id,
      state: relayed < row.total ? 'relaying' : pending > 0 ? 'delivering' : 'done',
      total: row.total,
      relayed,
      pending_deliveries: pending,
      created_at: new Date(row.created_at).toISOString(),
    };
  }
}
