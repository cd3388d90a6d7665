import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { DomainError, LruCache, Semaphore } from '@delta/core';
import { CHANNELS, Database, ScimTokensRepository, isUuid } from '@delta/persistence';
import { ROOT_LOGGER } from '@delta/observability';
import type { Logger } from 'pino';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { parseScimToken, tokenDigest } from './scim-token.codec';
import type { ScimPrincipal } from './scim-principal';
import { verifySecret } from './secret-hasher';

interface VerifiedToken {
  readonly organizationId: string;
  readonly tokenId: string;
  readonly expiresAt: number | null;
}

const LAST_USED_FLUSH_MS = 10_000;

/**
 * Verifies SCIM bearer tokens without an argon2 run per request (argon2id is ~15 ms of CPU by
 * design; the data path needs thousands of requests per second):
 * - tokens verified once are cached by SHA-256 digest, bounded in size and age;
 * - revocation evicts at once on every replica through LISTEN/NOTIFY, and a lost listener
 *   connection clears the cache; expiry is checked on every hit;
 * - argon2 runs are capped (a flood of bad tokens waits in a short queue, then gets 429);
 * - clients with repeated failures are refused before argon2 runs;
 * - last_used_at is collected in memory and written in one statement every few seconds.
 */
@Injectable()
export class ScimTokenVerifier implements OnModuleInit, OnApplicationShutdown {
  private readonly cache: LruCache<string, VerifiedToken>;
  private readonly hashing: Semaphore;
  private readonly throttle: FailedAuthThrottle;
  private readonly lastUsed = new Map<string, { organizationId: string; tokenId: string; at: Date }>();
  private flushTimer?: NodeJS.Timeout;
  private unlisten?: () => Promise<void>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: Database,
    private readonly tokens: ScimTokensRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.cache = new LruCache(config.auth.tokenCacheSize, config.auth.tokenCacheTtlMs);
    this.hashing = new Semaphore(config.auth.maxConcurrentHashes, 64);
    this.throttle = new FailedAuthThrottle(config.auth.failedAuthPerMinute);
  }

  async onModuleInit(): Promise<void> {
    this.unlisten = await this.db.listen(
      CHANNELS.tokenRevoked,
      (payload) => this.evict(payload),
      () => this.cache.clear(),
    );
    this.flushTimer = setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS);
    this.flushTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.unlisten?.();
    await this.flushLastUsed();
  }

  /** `payload` is `token:<id>` or `org:<id>` (see ScimTokensService and OrganizationsService). */
  evict(payload: string): void {
    const [kind, id] = payload.split(':');
    if (kind === 'token') this.cache.deleteWhere((t) => t.tokenId === id);
    else if (kind === 'org') this.cache.deleteWhere((t) => t.organizationId === id);
  }

  async verify(organizationId: string, plaintext: string, client: string): Promise<ScimPrincipal> {
    this.throttle.assertAllowed(client);
    const digest = tokenDigest(plaintext);
    const cached = this.cache.get(digest);
    if (cached) {
      if (cached.organizationId === organizationId && (cached.expiresAt === null || cached.expiresAt > Date.now())) {
        return this.accept(cached);
      }
      if (cached.expiresAt !== null && cached.expiresAt <= Date.now()) this.cache.delete(digest);
      return this.reject(client);
    }
    const parsed = parseScimToken(plaintext);
    if (!parsed || !isUuid(organizationId)) return this.reject(client);
    const row = await this.db.tenant({ organizationId }, (tx) => this.tokens.findWithSecret(tx, { organizationId }, parsed.id));
    const now = Date.now();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return this.reject(client);
    const valid = await this.hashing.run(() => verifySecret(row.secretHash, parsed.secret));
    if (!valid) return this.reject(client);
    const verified: VerifiedToken = { organizationId, tokenId: row.id, expiresAt: row.expiresAt?.getTime() ?? null };
    this.cache.set(digest, verified);
    return this.accept(verified);
  }

  private accept(token: VerifiedToken): ScimPrincipal {
    this.lastUsed.set(token.tokenId, { organizationId: token.organizationId, tokenId: token.tokenId, at: new Date() });
    return { kind: 'scim_token', organizationId: token.organizationId, tokenId: token.tokenId };
  }

  private reject(client: string): never {
    this.throttle.recordFailure(client);
    throw new DomainError('unauthorized', 'The bearer token is not valid for this endpoint.');
  }

  async flushLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0) return;
    const uses = [...this.lastUsed.values()];
    this.lastUsed.clear();
    await this.db.system((tx) => this.tokens.recordUse(tx, uses)).catch((error: unknown) => {
      // Bookkeeping only: a failed flush must never fail a request.
      this.logger.warn({ err: error }, 'could not record token last use');
    });
  }
}
