import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import { isUuid, type TenantContext } from '../database/tenant-context';
import type { ChangeRecord, MemberRef, ScimGroupRecord } from './scim-resource.record';
import type { WriteOrigin } from './scim-users.repository';
import { ScimListQuery, runScimList } from './scim-list.query';

interface GroupRow {
  organization_id: string;
  id: string;
  display_name: string;
  external_id: string | null;
  resource: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const GROUP_COLUMNS = 'g.organization_id, g.id, g.display_name, g.external_id, g.resource, g.version, g.created_at, g.updated_at';

export function toGroupRecord(row: GroupRow): ScimGroupRecord {
  return {
    organizationId: row.organization_id,
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    resource: row.resource,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Member additions and removals by id, for ScimGroupsRepository.changeMembers. */
export interface MemberChanges {
  /** Ids to add, each with the type the client named (null: whatever the id is). */
  readonly add: readonly { readonly value: string; readonly type: 'User' | 'Group' | null }[];
  /** Ids to remove; disjoint from `add`. */
  readonly remove: readonly string[];
}

export interface MemberChangeOutcome {
  /** Ids of `add` that are no user or group of the organization, or not of the named type. Nothing was written. */
  readonly unknown: readonly { readonly value: string; readonly type: 'User' | 'Group' | null }[];
  readonly membersAdded: readonly string[];
  readonly membersRemoved: readonly string[];
  /** The group after its version bump; undefined when no row moved (or `unknown` is not empty). */
  readonly group?: ScimGroupRecord;
}

export interface GroupWrite {
  readonly displayName: string;
  readonly externalId: string | null;
  readonly resource: Record<string, unknown>;
}

/**
 * Groups and their memberships. Members are rows, so adding or removing one member of a
 * 100,000-member group touches one row and never reads the others.
 */
@Injectable()
export class ScimGroupsRepository {
  async insert(tx: SqlRunner, ctx: TenantContext, group: GroupWrite, origin: WriteOrigin): Promise<ScimGroupRecord> {
    const change: ChangeRecord = { operation: 'created' };
    const [row] = await tx.query<GroupRow>(
      `WITH g AS (
         INSERT INTO groups AS g (organization_id, display_name, external_id, resource)
         VALUES ($1, $2, $3, $4) RETURNING ${GROUP_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'Group', id, 'created', $5, $6, to_jsonb(g) FROM g),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, $7, $8, $6, $9, $10, 'Group', id::text, $11, 'group.created', $5 FROM g)
       SELECT * FROM g`,
      [
        ctx.organizationId,
        group.displayName,
        group.externalId,
        JSON.stringify(group.resource),
        JSON.stringify(change),
        ctx.requestId ?? null,
        origin.actorType,
        origin.actorId,
        origin.method,
        origin.path,
        origin.status,
      ],
    );
    return toGroupRecord(row!);
  }

  async find(tx: SqlRunner, ctx: TenantContext, id: string, lock = false): Promise<ScimGroupRecord | undefined> {
    const [row] = await tx.query<GroupRow>(
      `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.organization_id = $1 AND g.id = $2${lock ? ' FOR UPDATE' : ''}`,
      [ctx.organizationId, id],
    );
    return row ? toGroupRecord(row) : undefined;
  }

  async list(tx: SqlRunner, ctx: TenantContext, query: ScimListQuery): Promise<{ total: number; groups: ScimGroupRecord[] }> {
    if (query.params[0] !== ctx.organizationId) throw new Error('a SCIM list must be scoped by its first parameter');
    const result = await runScimList<GroupRow>(tx, { table: 'groups', alias: 'g', columns: GROUP_COLUMNS }, query);
    return { total: result.total, groups: result.rows.map(toGroupRecord) };
  }

  async update(
    tx: SqlRunner,
    ctx: TenantContext,
    id: string,
    group: GroupWrite,
    change: ChangeRecord,
    origin: WriteOrigin,
  ): Promise<ScimGroupRecord | undefined> {
    const [row] = await tx.query<GroupRow>(
      `WITH g AS (
         UPDATE groups AS g SET display_name = $3, external_id = $4, resource = $5,
           version = g.version + 1, updated_at = clock_timestamp()
         WHERE g.organization_id = $1 AND g.id = $2 RETURNING ${GROUP_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'Group', id, $6, $7, $8, to_jsonb(g) FROM g),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, $9, $10, $8, $11, $12, 'Group', id::text, $13, 'group.updated', $7 FROM g)
       SELECT * FROM g`,
      [
        ctx.organizationId,
        id,
        group.displayName,
        group.externalId,
        JSON.stringify(group.resource),
        change.operation,
        JSON.stringify(change),
        ctx.requestId ?? null,
        origin.actorType,
        origin.actorId,
        origin.method,
        origin.path,
        origin.status,
      ],
    );
    return row ? toGroupRecord(row) : undefined;
  }

  /**
   * A membership-only PATCH in one statement: resolves the ids to add (users or groups of this
   * organization), deletes and inserts the rows, and, when a row moved, bumps the group's
   * version with its outbox and audit rows. The group row is locked by that UPDATE, the last
   * thing the statement does, so concurrent PATCHes of one group serialize for one round trip
   * (the COMMIT) instead of the whole request. An unknown id writes nothing; adding an existing
   * member is no change (RFC 7644 §3.5.2.1) and leaves the version alone.
   */
  async changeMembers(tx: SqlRunner, ctx: TenantContext, groupId: string, changes: MemberChanges, origin: WriteOrigin): Promise<MemberChangeOutcome> {
    const [row] = await tx.query<{ unknown: { value: string; type: 'User' | 'Group' | null }[]; added: string[]; removed: string[]; grp: GroupRow | null }>(
      `WITH input AS (SELECT * FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS i(id, wanted, n)),
       resolved AS (
         SELECT i.id, i.wanted, i.n, CASE
             WHEN EXISTS (SELECT 1 FROM users u WHERE u.organization_id = $1 AND u.id = i.id) THEN 'User'
             WHEN EXISTS (SELECT 1 FROM groups mg WHERE mg.organization_id = $1 AND mg.id = i.id) THEN 'Group' END AS type
         FROM input i),
       bad AS (SELECT id, wanted, n FROM resolved WHERE type IS NULL OR type <> coalesce(wanted, type)),
       removed AS (
         DELETE FROM group_members gm
         WHERE gm.organization_id = $1 AND gm.group_id = $2 AND gm.member_id = ANY($5::uuid[]) AND NOT EXISTS (SELECT 1 FROM bad)
         RETURNING gm.member_id),
       added AS (
         INSERT INTO group_members (organization_id, group_id, member_id, member_type)
         SELECT $1, $2, r.id, r.type FROM resolved r WHERE NOT EXISTS (SELECT 1 FROM bad) ORDER BY r.n
         ON CONFLICT DO NOTHING RETURNING member_id),
       change AS (
         SELECT jsonb_build_object(
           'membersAdded', coalesce((SELECT jsonb_agg(member_id) FROM added), '[]'::jsonb),
           'membersRemoved', coalesce((SELECT jsonb_agg(member_id) FROM removed), '[]'::jsonb),
           'operation', 'members_changed', 'changedAttributes', jsonb_build_array('members')) AS changes),
       g AS (
         UPDATE groups AS g SET version = g.version + 1, updated_at = clock_timestamp()
         WHERE g.organization_id = $1 AND g.id = $2 AND (EXISTS (SELECT 1 FROM added) OR EXISTS (SELECT 1 FROM removed))
         RETURNING ${GROUP_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT g.organization_id, 'Group', g.id, 'members_changed', c.changes, $6, to_jsonb(g) FROM g, change c),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT g.organization_id, $7, $8, $6, $9, $10, 'Group', g.id::text, $11, 'group.updated', c.changes FROM g, change c)
       SELECT (SELECT coalesce(json_agg(json_build_object('value', id, 'type', wanted) ORDER BY n), '[]'::json) FROM bad) AS unknown,
              (SELECT coalesce(json_agg(member_id), '[]'::json) FROM added) AS added,
              (SELECT coalesce(json_agg(member_id), '[]'::json) FROM removed) AS removed,
              (SELECT row_to_json(g) FROM g) AS grp`,
      [
        ctx.organizationId,
        groupId,
        changes.add.map((m) => m.value),
        changes.add.map((m) => m.type),
        changes.remove,
        ctx.requestId ?? null,
        origin.actorType,
        origin.actorId,
        origin.method,
        origin.path,
        origin.status,
      ],
    );
    return {
      unknown: row!.unknown,
      membersAdded: row!.added,
      membersRemoved: row!.removed,
      ...(row!.grp ? { group: toGroupRecord(row!.grp) } : {}),
    };
  }

  /** Returns the ids among `ids` that are not users or groups of this organization. */
  async unknownMembers(tx: SqlRunner, ctx: TenantContext, refs: readonly MemberRef[]): Promise<string[]> {
    if (refs.length === 0) return [];
    const rows = await tx.query<{ id: string }>(
      `SELECT r.id FROM unnest($2::uuid[], $3::text[]) AS r(id, type)
       WHERE NOT (
         (r.type = 'User' AND EXISTS (SELECT 1 FROM users u WHERE u.organization_id = $1 AND u.id = r.id)) OR
         (r.type = 'Group' AND EXISTS (SELECT 1 FROM groups g WHERE g.organization_id = $1 AND g.id = r.id)))`,
      [ctx.organizationId, refs.map((r) => r.value), refs.map((r) => r.type)],
    );
    return rows.map((r) => r.id);
  }

  /** Adds members; existing ones are left alone (RFC 7644 §3.5.2.1). Returns the ids really added. */
  async addMembers(tx: SqlRunner, ctx: TenantContext, groupId: string, refs: readonly MemberRef[]): Promise<string[]> {
    if (refs.length === 0) return [];
    const rows = await tx.query<{ member_id: string }>(
      `INSERT INTO group_members (organization_id, group_id, member_id, member_type)
       SELECT $1, $2, r.id, r.type FROM unnest($3::uuid[], $4::text[]) AS r(id, type)
       ON CONFLICT DO NOTHING RETURNING member_id`,
      [ctx.organizationId, groupId, refs.map((r) => r.value), refs.map((r) => r.type)],
    );
    return rows.map((r) => r.member_id);
  }

  /** Removes the given members, or all of them when `ids` is 'all'. Returns the ids removed. */
  async removeMembers(tx: SqlRunner, ctx: TenantContext, groupId: string, requested: readonly string[] | 'all'): Promise<string[]> {
    // A value that is not a UUID names no member here: removing it changes nothing (not a 500 from the cast).
    const ids = requested === 'all' ? requested : requested.filter((id) => isUuid(id)).map((id) => id.toLowerCase());
    const rows =
      ids === 'all'
        ? await tx.query<{ member_id: string }>(
            `DELETE FROM group_members WHERE organization_id = $1 AND group_id = $2 RETURNING member_id`,
            [ctx.organizationId, groupId],
          )
        : ids.length === 0
          ? []
          : await tx.query<{ member_id: string }>(
              `DELETE FROM group_members WHERE organization_id = $1 AND group_id = $2 AND member_id = ANY($3::uuid[]) RETURNING member_id`,
              [ctx.organizationId, groupId, ids],
            );
    return rows.map((r) => r.member_id);
  }

  async members(tx: SqlRunner, ctx: TenantContext, groupIds: readonly string[]): Promise<Map<string, { value: string; type: string; display: string | null }[]>> {
    const rows = await tx.query<{ group_id: string; member_id: string; member_type: string; display: string | null }>(
      `SELECT gm.group_id, gm.member_id, gm.member_type,
         coalesce(u.display_name, u.user_name, g.display_name) AS display
       FROM group_members gm
       LEFT JOIN users u ON gm.member_type = 'User' AND u.organization_id = gm.organization_id AND u.id = gm.member_id
       LEFT JOIN groups g ON gm.member_type = 'Group' AND g.organization_id = gm.organization_id AND g.id = gm.member_id
       WHERE gm.organization_id = $1 AND gm.group_id = ANY($2::uuid[])
       ORDER BY gm.group_id, gm.created_at, gm.member_id`,
      [ctx.organizationId, groupIds],
    );
    const byGroup = new Map<string, { value: string; type: string; display: string | null }[]>();
    for (const id of groupIds) byGroup.set(id, []);
    for (const row of rows) byGroup.get(row.group_id)!.push({ value: row.member_id, type: row.member_type, display: row.display });
    return byGroup;
  }

  /** A user's groups, direct and indirect (through nested groups), for its read-only `groups`. */
  async groupsOf(tx: SqlRunner, ctx: TenantContext, memberIds: readonly string[]): Promise<Map<string, { value: string; display: string; type: 'direct' | 'indirect' }[]>> {
    const rows = await tx.query<{ member_id: string; group_id: string; display_name: string; depth: number }>(
      `WITH RECURSIVE chain(member_id, group_id, depth, path) AS (
         SELECT gm.member_id, gm.group_id, 1, ARRAY[gm.group_id] FROM group_members gm
         WHERE gm.organization_id = $1 AND gm.member_id = ANY($2::uuid[])
         UNION ALL
         SELECT c.member_id, gm.group_id, c.depth + 1, c.path || gm.group_id FROM chain c
         JOIN group_members gm ON gm.organization_id = $1 AND gm.member_id = c.group_id AND gm.member_type = 'Group'
         WHERE NOT gm.group_id = ANY(c.path) AND c.depth < 32)
       SELECT DISTINCT ON (c.member_id, c.group_id) c.member_id, c.group_id, g.display_name, c.depth
       FROM chain c JOIN groups g ON g.organization_id = $1 AND g.id = c.group_id
       ORDER BY c.member_id, c.group_id, c.depth`,
      [ctx.organizationId, memberIds],
    );
    const byMember = new Map<string, { value: string; display: string; type: 'direct' | 'indirect' }[]>();
    for (const id of memberIds) byMember.set(id, []);
    for (const row of rows) {
      byMember.get(row.member_id)!.push({ value: row.group_id, display: row.display_name, type: row.depth === 1 ? 'direct' : 'indirect' });
    }
    return byMember;
  }

  async delete(tx: SqlRunner, ctx: TenantContext, id: string, origin: WriteOrigin): Promise<boolean> {
    const rows = await tx.query<{ id: string }>(
      `WITH g AS (DELETE FROM groups g WHERE g.organization_id = $1 AND g.id = $2 RETURNING ${GROUP_COLUMNS}),
       m AS (DELETE FROM group_members gm USING g WHERE gm.organization_id = g.organization_id AND gm.member_id = g.id RETURNING gm.group_id),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'Group', id, 'deleted', '{"operation":"deleted"}'::jsonb, $3, to_jsonb(g) FROM g),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action)
             SELECT organization_id, $4, $5, $3, $6, $7, 'Group', id::text, $8, 'group.deleted' FROM g)
       SELECT id FROM g`,
      [ctx.organizationId, id, ctx.requestId ?? null, origin.actorType, origin.actorId, origin.method, origin.path, origin.status],
    );
    return rows.length > 0;
  }
}
