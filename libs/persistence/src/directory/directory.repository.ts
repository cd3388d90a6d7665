import { Injectable } from '@nestjs/common';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { UserRowLike } from '../profiles/api-user.mapper';

export interface DirectoryUserRow extends UserRowLike {
  readonly id: string;
  readonly active: boolean;
  readonly profile: Record<string, unknown>;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export interface DirectoryGroupRow {
  readonly id: string;
  readonly display_name: string;
  readonly external_id: string | null;
  readonly member_count: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export type DirectoryMemberRow =
  | ({ readonly type: 'User' } & DirectoryUserRow)
  | { readonly type: 'Group'; readonly id: string; readonly display_name: string; readonly external_id: string | null };

export interface UserDirectoryQuery {
  readonly limit: number;
  readonly after?: KeysetCursor;
  /** Case-insensitive exact match on the mapped email address. */
  readonly emailAddress?: string;
  readonly externalId?: string;
  readonly active?: boolean;
  readonly updatedSince?: Date;
}

const USER_COLUMNS = 'u.id, u.active, u.profile, u.created_at, u.updated_at, u.created_at::text AS created_key';
const GROUP_COLUMNS = `g.id, g.display_name, g.external_id, g.created_at, g.updated_at, g.created_at::text AS created_key,
  (SELECT count(*)::int FROM group_members gm WHERE gm.organization_id = g.organization_id AND gm.group_id = g.id) AS member_count`;

type Keyed<T> = T & { created_key: string };

/**
 * Read-only queries behind the product's /v1 users and groups API: keyset pages in creation
 * order, filters on the mapped profile served by the expression indexes of UserProfiles.
 */
@Injectable()
export class DirectoryRepository {
  async listUsers(tx: SqlRunner, ctx: TenantContext, query: UserDirectoryQuery): Promise<Page<DirectoryUserRow>> {
    const params: unknown[] = [ctx.organizationId];
    const where = ['u.organization_id = $1'];
    const add = (sql: (n: number) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (query.emailAddress !== undefined) add((n) => `u.email_address_ci = lower($${n})`, query.emailAddress);
    if (query.externalId !== undefined) add((n) => `u.profile_external_id = $${n}`, query.externalId);
    if (query.active !== undefined) add((n) => `coalesce((u.profile->>'active')::boolean, u.active) = $${n}`, query.active);
    if (query.updatedSince !== undefined) add((n) => `u.updated_at >= $${n}`, query.updatedSince.toISOString());
    if (query.after) {
      params.push(query.after.createdAt, query.after.id);
      where.push(`(u.created_at, u.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows = await tx.query<Keyed<DirectoryUserRow>>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE ${where.join(' AND ')} ORDER BY u.created_at, u.id LIMIT $${params.length}`,
      params,
    );
    return toPage(rows, query.limit, (r) => ({ createdAt: r.created_key, id: r.id }));
  }

  async findUser(tx: SqlRunner, ctx: TenantContext, id: string): Promise<DirectoryUserRow | undefined> {
    const [row] = await tx.query<DirectoryUserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.organization_id = $1 AND u.id = $2`, [
      ctx.organizationId,
      id,
    ]);
    return row;
  }

  async listGroups(tx: SqlRunner, ctx: TenantContext, limit: number, after?: KeysetCursor): Promise<Page<DirectoryGroupRow>> {
    const rows = await tx.query<Keyed<DirectoryGroupRow>>(
      `SELECT ${GROUP_COLUMNS} FROM groups g
       WHERE g.organization_id = $1 AND ($2::timestamptz IS NULL OR (g.created_at, g.id) > ($2::timestamptz, $3::uuid))
       ORDER BY g.created_at, g.id LIMIT $4`,
      [ctx.organizationId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    return toPage(rows, limit, (r) => ({ createdAt: r.created_key, id: r.id }));
  }

  async findGroup(tx: SqlRunner, ctx: TenantContext, id: string): Promise<DirectoryGroupRow | undefined> {
    const [row] = await tx.query<DirectoryGroupRow>(`SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.organization_id = $1 AND g.id = $2`, [
      ctx.organizationId,
      id,
    ]);
    return row;
  }

  /**
   * Direct members of a group in member-id order (the primary key's order, so a page of a
   * 100k-member group reads one index range). The cursor's id slot carries the member id.
   */
  async listMembers(tx: SqlRunner, ctx: TenantContext, groupId: string, limit: number, after?: KeysetCursor): Promise<Page<DirectoryMemberRow>> {
    const rows = await tx.query<Record<string, unknown> & { member_id: string; member_type: 'User' | 'Group'; member_key: string }>(
      `SELECT gm.member_id, gm.member_type, gm.created_at::text AS member_key,
         u.active, u.profile, u.created_at AS user_created_at, u.updated_at AS user_updated_at,
         g.display_name, g.external_id
       FROM group_members gm
       LEFT JOIN users u ON gm.member_type = 'User' AND u.organization_id = gm.organization_id AND u.id = gm.member_id
       LEFT JOIN groups g ON gm.member_type = 'Group' AND g.organization_id = gm.organization_id AND g.id = gm.member_id
       WHERE gm.organization_id = $1 AND gm.group_id = $2 AND ($3::uuid IS NULL OR gm.member_id > $3)
       ORDER BY gm.member_id LIMIT $4`,
      [ctx.organizationId, groupId, after?.id ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (r) => ({ createdAt: r.member_key, id: r.member_id }));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r): DirectoryMemberRow =>
        r.member_type === 'User'
          ? {
              type: 'User',
              id: r.member_id,
              active: r.active as boolean,
              profile: (r.profile as Record<string, unknown>) ?? {},
              created_at: r.user_created_at as Date,
              updated_at: r.user_updated_at as Date,
            }
          : { type: 'Group', id: r.member_id, display_name: r.display_name as string, external_id: (r.external_id as string | null) ?? null },
      ),
    };
  }
}
