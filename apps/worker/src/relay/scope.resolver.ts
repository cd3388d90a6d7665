import { Injectable } from '@nestjs/common';
import type { ConnectionRecord, SqlRunner } from '@delta/persistence';
import type { OutboxChange } from './webhook-events.builder';

export type ScopePredicate = (connection: ConnectionRecord, change: OutboxChange) => boolean;

/**
 * Connection scope (issue 5): `null` is every user and group of the organization; `{"groups":
 * [id or displayName…]}` is those groups and their members, direct or through nested groups.
 * Deletions always pass: a resource that left the organization must leave every app that may
 * hold it. Resolved per relay batch with two queries, whatever the number of changes.
 */
@Injectable()
export class ScopeResolver {
  async resolve(tx: SqlRunner, changes: readonly OutboxChange[], connections: readonly ConnectionRecord[]): Promise<ScopePredicate> {
    const scoped = connections.filter((c) => c.scope !== null);
    if (scoped.length === 0) return () => true;
    const scopeGroups = await this.scopeGroups(tx, scoped);
    const userIds = changes.filter((c) => c.resourceType === 'User' && c.operation !== 'deleted' && scoped.some((s) => s.organizationId === c.organizationId));
    const ancestors = await this.ancestors(tx, userIds.map((c) => [c.organizationId, c.resourceId] as const));
    return (connection, change) => {
      if (connection.scope === null || change.operation === 'deleted') return true;
      const groups = scopeGroups.get(connection.id) ?? new Set<string>();
      if (change.resourceType === 'Group') return groups.has(change.resourceId);
      return [...(ancestors.get(`${change.organizationId}:${change.resourceId}`) ?? [])].some((g) => groups.has(g));
    };
  }

  /** Each scoped connection's groups, named by id or displayName (case-insensitive). */
  private async scopeGroups(tx: SqlRunner, connections: readonly ConnectionRecord[]): Promise<Map<string, Set<string>>> {
    const names = connections.flatMap((c) => (c.scope?.groups ?? []).map((name) => [c.organizationId, c.id, name.toLowerCase()] as const));
    const rows = await tx.query<{ connection_id: string; id: string }>(
      `SELECT s.connection_id, g.id FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS s(organization_id, connection_id, name)
       JOIN groups g ON g.organization_id = s.organization_id AND (g.id::text = s.name OR g.display_name_ci = s.name)`,
      [names.map((n) => n[0]), names.map((n) => n[1]), names.map((n) => n[2])],
    );
    const result = new Map<string, Set<string>>();
    for (const row of rows) {
      if (!result.has(row.connection_id)) result.set(row.connection_id, new Set());
      result.get(row.connection_id)!.add(row.id);
    }
    return result;
  }

  /** Every group each user is in, directly or through nested groups. */
  private async ancestors(tx: SqlRunner, users: readonly (readonly [string, string])[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    if (users.length === 0) return result;
    const rows = await tx.query<{ organization_id: string; member_id: string; group_id: string }>(
      `WITH RECURSIVE chain(organization_id, member_id, group_id, depth) AS (
         SELECT gm.organization_id, gm.member_id, gm.group_id, 1 FROM group_members gm
         JOIN unnest($1::uuid[], $2::uuid[]) AS u(organization_id, id) ON gm.organization_id = u.organization_id AND gm.member_id = u.id
         UNION
         SELECT c.organization_id, c.member_id, gm.group_id, c.depth + 1 FROM chain c
         JOIN group_members gm ON gm.organization_id = c.organization_id AND gm.member_id = c.group_id AND gm.member_type = 'Group'
         WHERE c.depth < 32)
       SELECT DISTINCT organization_id, member_id, group_id FROM chain`,
      [users.map((u) => u[0]), users.map((u) => u[1])],
    );
    for (const row of rows) {
      const key = `${row.organization_id}:${row.member_id}`;
      if (!result.has(key)) result.set(key, new Set());
      result.get(key)!.add(row.group_id);
    }
    return result;
  }
}
