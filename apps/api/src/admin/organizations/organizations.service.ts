import { Injectable } from '@nestjs/common';
import { DomainError } from '@delta/core';
import {
  AuditLogRepository,
  CHANNELS,
  Database,
  OrganizationRecord,
  OrganizationsRepository,
  Page,
  TenantContext,
  constraintOf,
  sqlStateOf,
} from '@delta/persistence';
import type { AdminPrincipal } from '../../auth/scim-principal';
import { ScimTokenVerifier } from '../../auth/scim-token-verifier.service';
import type { PageQuery } from '../common/input.util';
import type { CreateOrganizationInput, UpdateOrganizationInput } from './organization.input';

function slugTaken(error: unknown, slug: string | undefined): never {
  if (sqlStateOf(error) === '23505' && constraintOf(error) === 'uq_organizations_slug') {
    throw new DomainError('conflict', `The slug "${slug}" is already taken.`, undefined, 'slug_taken');
  }
  throw error;
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly db: Database,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditLogRepository,
    private readonly verifier: ScimTokenVerifier,
  ) {}

  async create(admin: AdminPrincipal, input: CreateOrganizationInput, requestId?: string): Promise<OrganizationRecord> {
    // Creating a tenant is the one write that cannot run inside that tenant's scope yet.
    return this.db
      .system(async (tx) => {
        const org = await this.organizations.insert(tx, input);
        await this.audit.append(tx, { organizationId: org.id, requestId }, {
          actorType: 'admin',
          actorId: admin.keyId,
          action: 'organization.created',
          resourceType: 'Organization',
          resourceId: org.id,
          changes: { name: org.name, slug: org.slug },
        });
        return org;
      })
      .catch((error: unknown) => slugTaken(error, input.slug));
  }

  list(page: PageQuery): Promise<Page<OrganizationRecord>> {
    return this.db.system((tx) => this.organizations.list(tx, page.limit, page.after));
  }

  async get(ctx: TenantContext): Promise<OrganizationRecord> {
    const org = await this.db.tenant(ctx, (tx) => this.organizations.find(tx, ctx));
    if (!org) throw notFound(ctx.organizationId);
    return org;
  }

  async update(admin: AdminPrincipal, ctx: TenantContext, input: UpdateOrganizationInput): Promise<OrganizationRecord> {
    const org = await this.db
      .tenant(ctx, async (tx) => {
        const updated = await this.organizations.update(tx, ctx, input);
        if (updated) {
          await this.audit.append(tx, ctx, {
            actorType: 'admin',
            actorId: admin.keyId,
            action: 'organization.updated',
            resourceType: 'Organization',
            resourceId: ctx.organizationId,
            changes: input,
          });
        }
        return updated;
      })
      .catch((error: unknown) => slugTaken(error, input.slug));
    if (!org) throw notFound(ctx.organizationId);
    return org;
  }

  /** Deletes the organization and all it owns; every replica drops its cached tokens at once. */
  async delete(ctx: TenantContext): Promise<void> {
    const deleted = await this.db.tenant(ctx, async (tx) => {
      const done = await this.organizations.delete(tx, ctx);
      if (done) await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.tokenRevoked, `org:${ctx.organizationId}`]);
      return done;
    });
    if (!deleted) throw notFound(ctx.organizationId);
    // This replica drops them now; the others on the NOTIFY.
    this.verifier.evict(`org:${ctx.organizationId}`);
  }
}

function notFound(id: string): DomainError {
  return new DomainError('not_found', `No organization with id ${id}.`);
}
