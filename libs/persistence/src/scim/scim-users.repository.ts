import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { ChangeRecord, ScimUserGroup, ScimUserRecord } from './scim-resource.record';
import { ScimListQuery, runScimList } from './scim-list.query';

interface UserRow {
  organization_id: string;
  id: string;
  user_name: string;
  external_id: string | null;
  display_name: string | null;
  active: boolean;
  resource: Record<string, unknown>;
  profile: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
  total?: number;
  mapping_version?: number;
  groups?: ScimUserGroup[];
}

export const USER_COLUMNS =
  'u.organization_id, u.id, u.user_name, u.external_id, u.display_name, u.active, u.resource, u.profile, u.version, u.created_at, u.updated_at';

/** Nested groups deeper than this are not followed (as the profile mapping's `groups`). */
const MAX_GROUP_DEPTH = 32;

/**
 * The user's `groups` (RFC 7643 §4.1.2: direct, and indirect through nested groups) as a json
 * column of the statement that reads the user, so a read costs no extra round trip. Correlated
 * on `u`: evaluated once per returned row, through ix_group_members_member. Cycles are cut by
 * the path; a group reached at several depths counts at its shallowest (direct wins).
 */
export const USER_GROUPS_COLUMN = `(WITH RECURSIVE chain(group_id, depth, path) AS (
           SELECT gm.group_id, 1, ARRAY[gm.group_id] FROM group_members gm
           WHERE gm.organization_id = u.organization_id AND gm.member_id = u.id
           UNION ALL
           SELECT gm.group_id, c.depth + 1, c.path || gm.group_id FROM chain c
           JOIN group_members gm ON gm.organization_id = u.organization_id AND gm.member_id = c.group_id AND gm.member_type = 'Group'
           WHERE NOT gm.group_id = ANY(c.path) AND c.depth < ${MAX_GROUP_DEPTH})
         SELECT coalesce(json_agg(json_build_object('value', x.group_id, 'display', x.display_name,
                  'type', CASE WHEN x.depth = 1 THEN 'direct' ELSE 'indirect' END) ORDER BY x.group_id), '[]'::json)
         FROM (SELECT DISTINCT ON (c.group_id) c.group_id, c.depth, g.display_name FROM chain c
               JOIN groups g ON g.organization_id = u.organization_id AND g.id = c.group_id
               ORDER BY c.group_id, c.depth) x) AS groups`;

/** What a read returns beside the row: `groups` costs a recursive lookup, so only when the response shows it. */
export interface ScimUserReadOptions {
  readonly groups: boolean;
}

const NO_GROUPS: ScimUserReadOptions = { groups: false };

/**
 * The organization's mapping version as the write statement sees it, returned beside the row:
 * the service compares it with the (cached) version it mapped the profile with, so a write that
 * raced a mapping change is re-mapped in the same transaction (see UserProfileWriter).
 */
const CURRENT_MAPPING_VERSION =
  '(SELECT coalesce(max(m.version), 0) FROM attribute_mappings m WHERE m.organization_id = $1) AS mapping_version';

export function toUserRecord(row: UserRow): ScimUserRecord {
  return {
    organizationId: row.organization_id,
    id: row.id,
    userName: row.user_name,
    externalId: row.external_id,
    displayName: row.display_name,
    active: row.active,
    resource: row.resource,
    profile: row.profile ?? {},
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    ...(row.mapping_version !== undefined ? { mappingVersion: Number(row.mapping_version) } : {}),
    ...(row.groups !== undefined ? { groups: row.groups } : {}),
  };
}

export interface UserWrite {
  readonly userName: string;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly active: boolean;
  readonly resource: Record<string, unknown>;
  /**
   * The mapped profile (@delta/mapping MappedUser), computed from `resource` by the caller.
   * Omitted: `{}` on insert (not mapped yet), unchanged on update.
   */
  readonly profile?: object;
  /** undefined keeps the stored hash; null clears it. */
  readonly passwordHash?: string | null;
}

/** Who and what caused a write: recorded in the audit log and the outbox in the same statement. */
export interface WriteOrigin {
  readonly actorType: 'scim_token' | 'admin';
  readonly actorId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/**
 * Users. Each write is one statement: the row, its outbox change and its audit entry are
 * inserted together by data-modifying CTEs (one round trip, atomic with the transaction).
 */
@Injectable()
export class ScimUsersRepository {
  async insert(tx: SqlRunner, ctx: TenantContext, user: UserWrite, origin: WriteOrigin): Promise<ScimUserRecord> {
    const change: ChangeRecord = { operation: 'created' };
    const [row] = await tx.query<UserRow>(
      `WITH u AS (
         INSERT INTO users AS u (organization_id, user_name, external_id, display_name, active, resource, password_hash, profile)
         VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($15::jsonb, '{}'::jsonb)) RETURNING ${USER_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'User', id, 'created', $8, $9, to_jsonb(u) FROM u),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, $10, $11, $9, $12, $13, 'User', id::text, $14, 'user.created', $8 FROM u)
       SELECT *, ${CURRENT_MAPPING_VERSION} FROM u`,
      [
        ctx.organizationId,
        user.userName,
        user.externalId,
        user.displayName,
        user.active,
        JSON.stringify(user.resource),
        user.passwordHash ?? null,
        JSON.stringify(change),
        ctx.requestId ?? null,
        origin.actorType,
        origin.actorId,
        origin.method,
        origin.path,
        origin.status,
        user.profile === undefined ? null : JSON.stringify(user.profile),
      ],
    );
    return toUserRecord(row!);
  }

  async find(tx: SqlRunner, ctx: TenantContext, id: string, read: ScimUserReadOptions = NO_GROUPS): Promise<ScimUserRecord | undefined> {
    const [row] = await tx.query<UserRow>(
      `SELECT ${USER_COLUMNS}${read.groups ? `, ${USER_GROUPS_COLUMN}` : ''} FROM users u WHERE u.organization_id = $1 AND u.id = $2`,
      [ctx.organizationId, id],
    );
    return row ? toUserRecord(row) : undefined;
  }

  async list(tx: SqlRunner, ctx: TenantContext, query: ScimListQuery, read: ScimUserReadOptions = NO_GROUPS): Promise<{ total: number; users: ScimUserRecord[] }> {
    if (query.params[0] !== ctx.organizationId) throw new Error('a SCIM list must be scoped by its first parameter');
    const from = { table: 'users', alias: 'u', columns: USER_COLUMNS, ...(read.groups ? { pageColumns: USER_GROUPS_COLUMN } : {}) };
    const result = await runScimList<UserRow>(tx, from, query);
    return { total: result.total, users: result.rows.map(toUserRecord) };
  }

  /**
   * Locks the row for a read-modify-write (PATCH, PUT) so concurrent changes serialize. Writing
   * a user never changes its memberships, so `groups` read here is also the response's.
   */
  async findForUpdate(tx: SqlRunner, ctx: TenantContext, id: string, read: ScimUserReadOptions = NO_GROUPS): Promise<ScimUserRecord | undefined> {
    const [row] = await tx.query<UserRow>(
      `SELECT ${USER_COLUMNS}${read.groups ? `, ${USER_GROUPS_COLUMN}` : ''} FROM users u WHERE u.organization_id = $1 AND u.id = $2 FOR UPDATE OF u`,
      [ctx.organizationId, id],
    );
    return row ? toUserRecord(row) : undefined;
  }

  async update(
    tx: SqlRunner,
    ctx: TenantContext,
    id: string,
    user: UserWrite,
    change: ChangeRecord,
    origin: WriteOrigin,
  ): Promise<ScimUserRecord | undefined> {
    const [row] = await tx.query<UserRow>(
      `WITH u AS (
         UPDATE users AS u SET user_name = $3, external_id = $4, display_name = $5, active = $6, resource = $7, profile = coalesce($17::jsonb, u.profile),
           password_hash = CASE WHEN $8::boolean THEN $9 ELSE u.password_hash END,
           version = u.version + 1, updated_at = clock_timestamp()
         WHERE u.organization_id = $1 AND u.id = $2 RETURNING ${USER_COLUMNS}),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'User', id, 'updated', $10, $11, to_jsonb(u) FROM u),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action, changes)
             SELECT organization_id, $12, $13, $11, $14, $15, 'User', id::text, $16, 'user.updated', $10 FROM u)
       SELECT *, ${CURRENT_MAPPING_VERSION} FROM u`,
      [
        ctx.organizationId,
        id,
        user.userName,
        user.externalId,
        user.displayName,
        user.active,
        JSON.stringify(user.resource),
        user.passwordHash !== undefined,
        user.passwordHash ?? null,
        JSON.stringify(change),
        ctx.requestId ?? null,
        origin.actorType,
        origin.actorId,
        origin.method,
        origin.path,
        origin.status,
        user.profile === undefined ? null : JSON.stringify(user.profile),
      ],
    );
    return row ? toUserRecord(row) : undefined;
  }

  /** Deletes the user and its memberships; the groups it left get a change each. */
  async delete(tx: SqlRunner, ctx: TenantContext, id: string, origin: WriteOrigin): Promise<boolean> {
    const rows = await tx.query<{ id: string }>(
      `WITH u AS (DELETE FROM users u WHERE u.organization_id = $1 AND u.id = $2 RETURNING ${USER_COLUMNS}),
       m AS (DELETE FROM group_members gm USING u WHERE gm.organization_id = u.organization_id AND gm.member_id = u.id
             RETURNING gm.group_id),
       o AS (INSERT INTO outbox (organization_id, resource_type, resource_id, operation, changes, request_id, snapshot)
             SELECT organization_id, 'User', id, 'deleted', '{"operation":"deleted"}'::jsonb, $3, to_jsonb(u) FROM u),
       a AS (INSERT INTO audit_log (organization_id, actor_type, actor_id, request_id, method, path, resource_type, resource_id, status, action)
             SELECT organization_id, $4, $5, $3, $6, $7, 'User', id::text, $8, 'user.deleted' FROM u)
       SELECT id FROM u`,
      [ctx.organizationId, id, ctx.requestId ?? null, origin.actorType, origin.actorId, origin.method, origin.path, origin.status],
    );
    return rows.length > 0;
  }
}
