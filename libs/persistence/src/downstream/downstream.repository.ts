import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';

export interface DownstreamLink {
  readonly remoteId: string;
  readonly state: Record<string, unknown>;
}

/**
 * What Delta knows about each resource in each app: the remote id (local ↔ remote link) with the
 * state last converged, and the group memberships Delta applied there.
 */
@Injectable()
export class DownstreamRepository {
  async link(tx: SqlRunner, ctx: TenantContext, connectionId: string, type: 'User' | 'Group', resourceId: string): Promise<DownstreamLink | undefined> {
    const [row] = await tx.query<{ remote_id: string; state: Record<string, unknown> }>(
      `SELECT remote_id, state FROM downstream_links WHERE organization_id = $1 AND connection_id = $2 AND resource_type = $3 AND resource_id = $4`,
      [ctx.organizationId, connectionId, type, resourceId],
    );
    return row ? { remoteId: row.remote_id, state: row.state } : undefined;
  }

  async saveLink(tx: SqlRunner, ctx: TenantContext, connectionId: string, type: 'User' | 'Group', resourceId: string, link: DownstreamLink): Promise<void> {
    await tx.execute(
      `INSERT INTO downstream_links (organization_id, connection_id, resource_type, resource_id, remote_id, state)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organization_id, connection_id, resource_type, resource_id)
       DO UPDATE SET remote_id = excluded.remote_id, state = excluded.state, updated_at = now()`,
      [ctx.organizationId, connectionId, type, resourceId, link.remoteId, JSON.stringify(link.state)],
    );
  }

  async dropLink(tx: SqlRunner, ctx: TenantContext, connectionId: string, type: 'User' | 'Group', resourceId: string): Promise<void> {
    await tx.execute(
      `DELETE FROM downstream_links WHERE organization_id = $1 AND connection_id = $2 AND resource_type = $3 AND resource_id = $4`,
      [ctx.organizationId, connectionId, type, resourceId],
    );
    const column = type === 'Group' ? 'group_id' : 'user_id';
    await tx.execute(`DELETE FROM downstream_memberships WHERE organization_id = $1 AND connection_id = $2 AND ${column} = $3`, [ctx.organizationId, connectionId, resourceId]);
  }

  /** The remote ids of users, for those that have a live link (created or linked downstream). */
  async remoteUsers(tx: SqlRunner, ctx: TenantContext, connectionId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await tx.query<{ resource_id: string; remote_id: string }>(
      `SELECT resource_id, remote_id FROM downstream_links WHERE organization_id = $1 AND connection_id = $2 AND resource_type = 'User'
         AND resource_id = ANY($3::uuid[]) AND coalesce((state->>'active')::boolean, true)`,
      [ctx.organizationId, connectionId, userIds],
    );
    return new Map(rows.map((r) => [r.resource_id, r.remote_id]));
  }

  /**
   * The membership difference of one group in one app: users that should be members (direct or
   * through nested groups, in Delta) but Delta has not added, and those Delta added that should
   * no longer be. Set differences in SQL: one row per user, never a list in a document.
   */
  async membershipDiff(tx: SqlRunner, ctx: TenantContext, connectionId: string, groupId: string): Promise<{ add: string[]; remove: string[] }> {
    const desired = `WITH RECURSIVE sub(group_id, depth) AS (
        SELECT $3::uuid, 0 UNION
        SELECT gm.member_id, s.depth + 1 FROM sub s JOIN group_members gm
          ON gm.organization_id = $1 AND gm.group_id = s.group_id AND gm.member_type = 'Group' WHERE s.depth < 32),
      desired AS (SELECT DISTINCT gm.member_id AS user_id FROM sub s JOIN group_members gm
          ON gm.organization_id = $1 AND gm.group_id = s.group_id AND gm.member_type = 'User')`;
    const add = await tx.query<{ user_id: string }>(
      `${desired} SELECT d.user_id FROM desired d WHERE NOT EXISTS (
         SELECT 1 FROM downstream_memberships m WHERE m.organization_id = $1 AND m.connection_id = $2 AND m.group_id = $3 AND m.user_id = d.user_id)
       ORDER BY d.user_id`,
      [ctx.organizationId, connectionId, groupId],
    );
    const remove = await tx.query<{ user_id: string }>(
      `${desired} SELECT m.user_id FROM downstream_memberships m WHERE m.organization_id = $1 AND m.connection_id = $2 AND m.group_id = $3
         AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.user_id = m.user_id) ORDER BY m.user_id`,
      [ctx.organizationId, connectionId, groupId],
    );
    return { add: add.map((r) => r.user_id), remove: remove.map((r) => r.user_id) };
  }

  async recordMemberships(tx: SqlRunner, ctx: TenantContext, connectionId: string, groupId: string, added: readonly string[], removed: readonly string[]): Promise<void> {
    if (added.length > 0) {
      await tx.execute(
        `INSERT INTO downstream_memberships (organization_id, connection_id, group_id, user_id)
         SELECT $1, $2, $3, u FROM unnest($4::uuid[]) AS u ON CONFLICT DO NOTHING`,
        [ctx.organizationId, connectionId, groupId, added],
      );
    }
    if (removed.length > 0) {
      await tx.execute(
        `DELETE FROM downstream_memberships WHERE organization_id = $1 AND connection_id = $2 AND group_id = $3 AND user_id = ANY($4::uuid[])`,
        [ctx.organizationId, connectionId, groupId, removed],
      );
    }
  }

  /** Groups (with their remote ids) in which Delta made this user a member. */
  async managedGroupsOf(tx: SqlRunner, ctx: TenantContext, connectionId: string, userId: string): Promise<{ groupId: string; remoteId: string }[]> {
    const rows = await tx.query<{ group_id: string; remote_id: string }>(
      `SELECT m.group_id, l.remote_id FROM downstream_memberships m
       JOIN downstream_links l ON l.organization_id = m.organization_id AND l.connection_id = m.connection_id AND l.resource_type = 'Group' AND l.resource_id = m.group_id
       WHERE m.organization_id = $1 AND m.connection_id = $2 AND m.user_id = $3`,
      [ctx.organizationId, connectionId, userId],
    );
    return rows.map((r) => ({ groupId: r.group_id, remoteId: r.remote_id }));
  }

  /** This user's groups (direct or nested) that exist in the app: they converge again once the user is linked. */
  async linkedGroupsOf(tx: SqlRunner, ctx: TenantContext, connectionId: string, userId: string): Promise<string[]> {
    const rows = await tx.query<{ group_id: string }>(
      `WITH RECURSIVE up(group_id, depth) AS (
         SELECT gm.group_id, 1 FROM group_members gm WHERE gm.organization_id = $1 AND gm.member_id = $3
         UNION SELECT gm.group_id, u.depth + 1 FROM up u JOIN group_members gm
           ON gm.organization_id = $1 AND gm.member_id = u.group_id AND gm.member_type = 'Group' WHERE u.depth < 32)
       SELECT DISTINCT up.group_id FROM up JOIN downstream_links l
         ON l.organization_id = $1 AND l.connection_id = $2 AND l.resource_type = 'Group' AND l.resource_id = up.group_id`,
      [ctx.organizationId, connectionId, userId],
    );
    return rows.map((r) => r.group_id);
  }
}
