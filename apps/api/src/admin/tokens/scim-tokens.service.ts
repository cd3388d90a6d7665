import { Injectable } from '@nestjs/common';
import { DomainError } from '@delta/core';
import {
  AuditLogRepository,
  CHANNELS,
  Database,
  OrganizationsRepository,
  Page,
  ScimTokenRecord,
  ScimTokensRepository,
  TenantContext,
} from '@delta/persistence';
import { ScimTokenVerifier } from '../../auth/scim-token-verifier.service';
import { generateScimToken } from '../../auth/scim-token.codec';
import type { AdminPrincipal } from '../../auth/scim-principal';
import { hashSecret } from '../../auth/secret-hasher';
import type { PageQuery } from '../common/input.util';
import type { CreateScimTokenInput } from './scim-token.input';

@Injectable()
export class ScimTokensService {
  constructor(
    private readonly db: Database,
    private readonly organizations: OrganizationsRepository,
    private readonly tokens: ScimTokensRepository,
    private readonly audit: AuditLogRepository,
    private readonly verifier: ScimTokenVerifier,
  ) {}

  /** Several live tokens per organization are allowed, so rotation needs no downtime. */
  async create(
    admin: AdminPrincipal,
    ctx: TenantContext,
    input: CreateScimTokenInput,
  ): Promise<{ token: ScimTokenRecord; plaintext: string }> {
    const generated = generateScimToken();
    // Hash before the transaction: argon2 is slow and must not hold a connection.
    const secretHash = await hashSecret(generated.secret);
    const token = await this.db.tenant(ctx, async (tx) => {
      if (!(await this.organizations.find(tx, ctx))) throw orgNotFound(ctx);
      const created = await this.tokens.insert(tx, ctx, { id: generated.id, name: input.name, secretHash, expiresAt: input.expiresAt });
      await this.audit.append(tx, ctx, {
        actorType: 'admin',
        actorId: admin.keyId,
        action: 'scim_token.created',
        resourceType: 'ScimToken',
        resourceId: created.id,
        changes: { name: created.name, expires_at: created.expiresAt?.toISOString() ?? null },
      });
      return created;
    });
    return { token, plaintext: generated.plaintext };
  }

  async list(ctx: TenantContext, page: PageQuery): Promise<Page<ScimTokenRecord>> {
    return this.db.tenant(ctx, async (tx) => {
      if (!(await this.organizations.find(tx, ctx))) throw orgNotFound(ctx);
      return this.tokens.list(tx, ctx, page.limit, page.after);
    });
  }

  /** Revokes at once: this replica evicts now, the others on the NOTIFY (milliseconds). */
  async revoke(admin: AdminPrincipal, ctx: TenantContext, tokenId: string): Promise<void> {
    const revoked = await this.db.tenant(ctx, async (tx) => {
      if (!(await this.tokens.revoke(tx, ctx, tokenId))) return false;
      await this.audit.append(tx, ctx, {
        actorType: 'admin',
        actorId: admin.keyId,
        action: 'scim_token.revoked',
        resourceType: 'ScimToken',
        resourceId: tokenId,
      });
      await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.tokenRevoked, `token:${tokenId}`]);
      return true;
    });
    if (!revoked) throw new DomainError('not_found', `No SCIM token with id ${tokenId} in this organization.`);
    this.verifier.evict(`token:${tokenId}`);
  }
}

function orgNotFound(ctx: TenantContext): DomainError {
  return new DomainError('not_found', `No organization with id ${ctx.organizationId}.`);
}
