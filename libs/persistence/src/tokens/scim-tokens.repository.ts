import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import { KeysetCursor, Page, toPage } from '../database/cursor.util';
import type { ScimTokenRecord, ScimTokenSecretRecord } from './scim-token.record';

interface TokenRow {
  organization_id: string;
  created_key?: string;
  id: string;
  name: string;
  secret_hash: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const PUBLIC_COLUMNS = 'organization_id, id, name, created_at, expires_at, last_used_at, revoked_at';
const date = (value: Date | null): Date | null => (value === null ? null : new Date(value));

function toRecord(row: TokenRow): ScimTokenRecord {
  return {
    organizationId: row.organization_id,
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at),
    expiresAt: date(row.expires_at),
    lastUsedAt: date(row.last_used_at),
    revokedAt: date(row.revoked_at),
  };
}

@Injectable()
export class ScimTokensRepository {
  async insert(
    tx: SqlRunner,
    ctx: TenantContext,
    input: { id: string; name: string; secretHash: string; expiresAt: Date | null },
  ): Promise<ScimTokenRecord> {
    const [row] = await tx.query<TokenRow>(
      `INSERT INTO scim_tokens (organization_id, id, name, secret_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${PUBLIC_COLUMNS}`,
      [ctx.organizationId, input.id, input.name, input.secretHash, input.expiresAt],
    );
    return toRecord(row!);
  }

  async list(tx: SqlRunner, ctx: TenantContext, limit: number, after?: KeysetCursor): Promise<Page<ScimTokenRecord>> {
    const rows = await tx.query<TokenRow>(
      `SELECT ${PUBLIC_COLUMNS}, created_at::text AS created_key FROM scim_tokens
       WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY created_at, id LIMIT $4`,
      [ctx.organizationId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (t) => ({ createdAt: t.created_key!, id: t.id }));
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }

  async findWithSecret(tx: SqlRunner, ctx: TenantContext, tokenId: string): Promise<ScimTokenSecretRecord | undefined> {
    const [row] = await tx.query<TokenRow>(
      `SELECT ${PUBLIC_COLUMNS}, secret_hash FROM scim_tokens WHERE organization_id = $1 AND id = $2`,
      [ctx.organizationId, tokenId],
    );
    return row ? { ...toRecord(row), secretHash: row.secret_hash } : undefined;
  }

  /** Marks the token revoked; returns false when it does not exist in this organization. */
  async revoke(tx: SqlRunner, ctx: TenantContext, tokenId: string): Promise<boolean> {
    const touched = await tx.execute(
      `UPDATE scim_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE organization_id = $1 AND id = $2`,
      [ctx.organizationId, tokenId],
    );
    return touched > 0;
  }

  /** One statement for every token used since the last flush (system scope: spans tenants). */
  async recordUse(tx: SqlRunner, uses: readonly { organizationId: string; tokenId: string; at: Date }[]): Promise<void> {
    if (uses.length === 0) return;
    await tx.execute(
      `UPDATE scim_tokens t SET last_used_at = greatest(t.last_used_at, u.at)
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS u(organization_id, id, at)
       WHERE t.organization_id = u.organization_id AND t.id = u.id`,
      [uses.map((u) => u.organizationId), uses.map((u) => u.tokenId), uses.map((u) => u.at.toISOString())],
    );
  }
}
