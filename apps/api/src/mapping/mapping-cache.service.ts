import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { LruCache } from '@delta/core';
import { AttributeMappingsRepository, CHANNELS, Database, SqlRunner, TenantContext } from '@delta/persistence';
import { ROOT_LOGGER } from '@delta/observability';
import type { Logger } from 'pino';
import { ActiveMapping, toActiveMapping } from '@delta/persistence';

const MAX_ORGANIZATIONS = 10_000;
/** Safety net only: a save evicts every replica at once through NOTIFY. */
const TTL_MS = 30_000;

/**
 * Compiled attribute mappings per organization, so a SCIM write maps the user without reading
 * the mapping (compiling CEL is also far costlier than evaluating it). A save NOTIFYs
 * `delta_mapping_changed`; every replica evicts that organization, and a lost listener
 * connection clears everything. The write statement also returns the version in force, so a
 * write that raced a save is corrected in its own transaction (see UserProfileService).
 */
@Injectable()
export class MappingCache implements OnModuleInit, OnApplicationShutdown {
  private readonly cache = new LruCache<string, ActiveMapping>(MAX_ORGANIZATIONS, TTL_MS);
  /** Bumped by every eviction: a load that started before one must not repopulate the cache. */
  private generation = 0;
  private unlisten?: () => Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly mappings: AttributeMappingsRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unlisten = await this.db.listen(
      CHANNELS.mappingChanged,
      (organizationId) => this.evict(organizationId),
      () => this.clear(),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unlisten?.();
  }

  /** The mapping in force; a miss reads it inside the caller's transaction. */
  async get(tx: SqlRunner, ctx: TenantContext): Promise<ActiveMapping> {
    const cached = this.cache.get(ctx.organizationId);
    if (cached) return cached;
    return this.load(tx, ctx);
  }

  /** Reads and caches the mapping in force, bypassing the cache. */
  async load(tx: SqlRunner, ctx: TenantContext): Promise<ActiveMapping> {
    const generation = this.generation;
    const active = toActiveMapping(await this.mappings.current(tx, ctx));
    if (active.compiled.problems.length > 0) {
      this.logger.warn({ org_id: ctx.organizationId, problems: active.compiled.problems }, 'attribute mapping has entries that no longer compile');
    }
    if (generation === this.generation) this.cache.set(ctx.organizationId, active);
    return active;
  }

  evict(organizationId: string): void {
    this.generation++;
    this.cache.delete(organizationId);
  }

  private clear(): void {
    this.generation++;
    this.cache.clear();
  }
}
