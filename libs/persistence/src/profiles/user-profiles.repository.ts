import { Injectable } from '@nestjs/common';
import type { UserGroup } from '@delta/mapping';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { ChangeRecord } from '../scim/scim-resource.record';
import { USER_COLUMNS } from '../scim/scim-users.repository';

/** What re-mapping a user needs: the stored SCIM document and the profile it has now. */
export interface ProfileSourceRow {
  readonly id: string;
  readonly resource: Record<string, unknown>;
  readonly profile: Record<string, unknown>;
}

export interface ProfileUpdate {
  readonly id: string;
  readonly profile: object;
  /** The outbox change to emit; null writes the profile silently (a user never mapped before). */
  readonly change: ChangeRecord | null;
}

/** Nested groups deeper than this are not followed (the SCIM `groups` attribute stops there too). */
const MAX_DEPTH = 32;

/**
 * Queries for (re-)mapping users' profiles: batches in id order for the background remap, the
 * members under a group for membership changes, and one set-based write of many profiles.
 */
@Injectable()
export class UserProfilesRepository {
  /** The next `limit` users after `afterId` in id order, locked against concurrent SCIM writes. */
  async lockBatch(tx: SqlRunner, ctx: TenantContext, afterId: string | null, limit: number): Promise<ProfileSourceRow[]> {
    return tx.query<ProfileSourceRow>(
      `SELECT u.id, u.resource, u.profile FROM users u
       WHERE u.organization_id = $1 AND ($2::uuid IS NULL OR u.id > $2)
       ORDER BY u.id LIMIT $3 FOR UPDATE`,
      [ctx.organizationId, afterId, limit],
    );
  }

  async lockByIds(tx: SqlRunner, ctx: TenantContext, ids: readonly string[]): Promise<ProfileSourceRow[]> {
    if (ids.length === 0) return [];
    return tx.query<ProfileSourceRow>(
      `SELECT u.id, u.resource, u.profile FROM users u WHERE u.organization_id = $1 AND u.id = ANY($2::uuid[]) ORDER BY u.id FOR UPDATE`,
      [ctx.organizationId, ids],
    );
  }

  /** The most recently created users, for previews. */
  async recent(tx: SqlRunner, ctx: TenantContext, limit: number): Promise<ProfileSourceRow[]> {
    return tx.query<ProfileSourceRow>(
      `SELECT u.id, u.resource, u.profile FROM users u WHERE u.organization_id = $1 ORDER BY u.created_at DESC, u.id DESC LIMIT $2`,
      [ctx.organizationId, limit],
    );
  }

  /** Each user's groups, direct and through nested groups: what role rules and CEL `groups` see. */
  async groupsOf(tx: SqlRunner, ctx: TenantContext, userIds: readonly string[]): Promise<Map<string, UserGroup[]>> {
    const byUser = new Map<string, UserGroup[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return byUser;
    const rows = await tx.query<{ member_id: string; group_id: string; display_name: string }>(
      `WITH RECURSIVE chain(member_id, group_id, depth, path) AS (
         SELECT gm.member_id, gm.group_id, 1, ARRAY[gm.group_id] FROM group_members gm
         WHERE gm.organization_id = $1 AND gm.member_id = ANY($2::uuid[])
         UNION ALL
         SELECT c.member_id, gm.group_id, c.depth + 1, c.path || gm.group_id FROM chain c
         JOIN group_members gm ON gm.organization_id = $1 AND gm.member_id = c.group_id AND gm.member_type = 'Group'
         WHERE NOT gm.group_id = ANY(c.path) AND c.depth < $3)
       SELECT DISTINCT c.member_id, c.group_id, g.display_name
       FROM chain c JOIN groups g ON g.organization_id = $1 AND g.id = c.group_id
       ORDER BY c.member_id, g.display_name, c.group_id`,
      [ctx.organizationId, userIds, MAX_DEPTH],
    );
    for (const row of rows) byUser.get(row.member_id)?.push({ id: row.group_id, display_name: row.display_name });
    return byUser;
  }

  /**
   * The users among `memberIds` plus the users inside the groups among them, transitively: the
   * users whose group set changes when these members join or leave a group. At most `limit`.
   */
  async usersUnder(tx: SqlRunner, ctx: TenantContext, memberIds: readonly string[], limit: number): Promise<string[]> {
    if (memberIds.length === 0) return [];
    const rows = await tx.query<{ id: string }>(
      `WITH RECURSIVE sub(id, depth) AS (
         SELECT g.id, 0 FROM groups g WHERE g.organization_id = $1 AND g.id = ANY($2::uuid[])
         UNION
         SELECT gm.member_id, s.depth + 1 FROM sub s
         JOIN group_members gm ON gm.organization_id = $1 AND gm.group_id = s.id AND gm.member_type = 'Group'
         WHERE s.depth < $4)
       SELECT id FROM (
         SELECT u.id FROM users u WHERE u.organization_id = $1 AND u.id = ANY($2::uuid[])
         UNION
         SELECT gm.member_id FROM sub s
         JOIN group_members gm ON gm.organization_id = $1 AND gm.group_id = s.id AND gm.member_type = 'User') affected
       LIMIT $3`,
      [ctx.organizationId, memberIds, limit, MAX_DEPTH],
    );
    return rows.map((r) => r.id);
  }

  /** All direct members of a group (users and groups), e.g. before the group is deleted. */
  async memberIds(tx: SqlRunner, ctx: TenantContext, groupId: string, limit: number): Promise<string[]> {
    const rows = await tx.query<{ member_id: string }>(
      `SELECT member_id FROM group_members WHERE organization_id = $1 AND group_id = $2 LIMIT $3`,
      [ctx.organizationId, groupId, limit],
    );
    return rows.map((r) => r.member_id);
  }

  /**
   * Writes many profiles in one statement, with an outbox 'updated' row (snapshot included) for
   * each update that carries a change. No audit row: the change is derived from a mapping or
   * membership change that has its own audit entry.
   */
  async save(tx: SqlRunner, ctx: TenantContext, updates: readonly ProfileUpdate[]): Promise<number> {
    if (updates.length === 0) return 0;
    return tx.execute(
      `WITH x AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, profile jsonb, change jsonb)),
       u AS (UPDATE users AS u SET profile = x.profile, updated_at = clock_timestamp()
             FROM x WHERE u.organization_id = $1 AND u.id = x.id RETURNING ${USER_COLUMNS})
       INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
       SELECT u.organization_id, 'User', u.id, 'updated', x.change, $3, to_jsonb(u) FROM u JOIN x ON x.id = u.id
       WHERE x.change IS NOT NULL`,
      [ctx.organizationId, JSON.stringify(updates.map((u) => ({ id: u.id, profile: u.profile, change: u.change }))), ctx.requestId ?? null],
    );
  }
}
