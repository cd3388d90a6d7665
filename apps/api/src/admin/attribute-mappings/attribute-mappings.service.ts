import { Injectable } from '@nestjs/common';
import { DomainError } from '@delta/core';
import { MappingConfig, compileMapping, diffMappedUsers, mapUser, mappingUsesGroups } from '@delta/mapping';
import {
  AttributeMappingRecord,
  AttributeMappingsRepository,
  AuditLogRepository,
  CHANNELS,
  Database,
  OrganizationsRepository,
  Page,
  RemapRunRecord,
  RemapRunsRepository,
  SqlRunner,
  TenantContext,
  UserProfilesRepository,
  toActiveMapping,
} from '@delta/persistence';
import type { AdminPrincipal } from '../../auth/scim-principal';
import { MappingCache } from '../../mapping/mapping-cache.service';
import type { PageQuery } from '../common/input.util';
import type { PreviewInput } from './attribute-mapping.input';
import { AttributeMappingOutput, PreviewOutput, toAttributeMappingOutput } from './attribute-mapping.output';

/** How many of the organization's most recent users a preview maps. */
export const PREVIEW_USERS = 20;

@Injectable()
export class AttributeMappingsService {
  constructor(
    private readonly db: Database,
    private readonly organizations: OrganizationsRepository,
    private readonly mappings: AttributeMappingsRepository,
    private readonly remaps: RemapRunsRepository,
    private readonly profiles: UserProfilesRepository,
    private readonly audit: AuditLogRepository,
    private readonly cache: MappingCache,
  ) {}

  async get(ctx: TenantContext): Promise<AttributeMappingOutput> {
    return this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      const active = toActiveMapping(await this.mappings.current(tx, ctx));
      return toAttributeMappingOutput(active, await this.remaps.latest(tx, ctx));
    });
  }

  /**
   * Saves a new version and queues the remap of every user in the same transaction, then tells
   * every replica (mapping caches) and worker (remap scheduler) through NOTIFY.
   */
  async save(admin: AdminPrincipal, ctx: TenantContext, config: MappingConfig): Promise<AttributeMappingOutput> {
    const output = await this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      const saved = await this.mappings.append(tx, ctx, config, admin.keyId);
      const run = await this.remaps.start(tx, ctx);
      await this.audit.append(tx, ctx, {
        actorType: 'admin',
        actorId: admin.keyId,
        action: 'attribute_mapping.updated',
        resourceType: 'AttributeMapping',
        resourceId: String(saved.version),
        changes: { version: saved.version, remap_id: run.id },
      });
      await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.mappingChanged, ctx.organizationId]);
      return toAttributeMappingOutput(toActiveMapping(saved), run);
    });
    this.cache.evict(ctx.organizationId);
    return output;
  }

  async versions(ctx: TenantContext, page: PageQuery): Promise<Page<AttributeMappingRecord>> {
    return this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      return this.mappings.list(tx, ctx, page.limit, page.after);
    });
  }

  async remap(ctx: TenantContext, id: string): Promise<RemapRunRecord> {
    const run = await this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      return this.remaps.find(tx, ctx, id);
    });
    if (!run) throw new DomainError('not_found', `No remap with id ${id} in this organization.`);
    return run;
  }

  /** What the proposed mapping makes of recent users (or of the given SCIM body), beside what the current one makes. */
  async preview(ctx: TenantContext, input: PreviewInput): Promise<PreviewOutput> {
    const proposed = compileMapping(input.config);
    return this.db.tenant(ctx, async (tx) => {
      await this.assertOrganization(tx, ctx);
      const current = await this.cache.get(tx, ctx);
      const rows = input.user ? [{ id: null, resource: input.user }] : await this.profiles.recent(tx, ctx, PREVIEW_USERS);
      const ids = rows.flatMap((r) => (r.id ? [r.id] : []));
      const groups = current.usesGroups || mappingUsesGroups(proposed) ? await this.profiles.groupsOf(tx, ctx, ids) : new Map();
      return {
        data: rows.map((row) => {
          const memberships = (row.id && groups.get(row.id)) || [];
          const before = mapUser(current.compiled, row.resource, memberships).fields;
          const after = mapUser(proposed, row.resource, memberships);
          return { user_id: row.id, current: before, proposed: after.fields, changes: diffMappedUsers(before, after.fields), errors: after.errors };
        }),
      };
    });
  }

  private async assertOrganization(tx: SqlRunner, ctx: TenantContext): Promise<void> {
    if (!(await this.organizations.find(tx, ctx))) throw new DomainError('not_found', `No organization with id ${ctx.organizationId}.`);
  }
}
