import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { DomainError, LruCache, Semaphore } from '@delta/core';
import { AdminKeysRepository, Database } from '@delta/persistence';
import type { AdminPrincipal } from './scim-principal';
import { hashSecret, verifySecret } from './secret-hasher';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Admin keys: ADMIN_API_KEY from the environment when set (compared in constant time), or else
 * the keys kept as argon2id hashes in `admin_keys` (the embedded first start generates one).
 */
@Injectable()
export class AdminKeyService {
  private readonly verified = new LruCache<string, string>(100, 300_000);
  private readonly hashing = new Semaphore(2, 32);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly keys: AdminKeysRepository,
  ) {}

  async verify(presented: string): Promise<AdminPrincipal> {
    const envKey = this.config.auth.adminApiKey;
    if (envKey) {
      if (timingSafeEqual(digest(presented), digest(envKey.reveal()))) return { kind: 'admin', keyId: 'env' };
      throw new DomainError('unauthorized', 'The admin key is not valid.');
    }
    const cacheKey = digest(presented).toString('base64url');
    const known = this.verified.get(cacheKey);
    if (known) return { kind: 'admin', keyId: known };
    const active = await this.db.system((tx) => this.keys.listActive(tx));
    for (const key of active) {
      if (await this.hashing.run(() => verifySecret(key.keyHash, presented))) {
        this.verified.set(cacheKey, key.id);
        return { kind: 'admin', keyId: key.id };
      }
    }
    throw new DomainError('unauthorized', 'The admin key is not valid.');
  }

  /**
   * With no ADMIN_API_KEY and no stored key, creates one and returns its plaintext (shown once).
   * The advisory lock keeps two replicas starting together from each minting one.
   */
  async ensureAdminKey(): Promise<string | undefined> {
    if (this.config.auth.adminApiKey) return undefined;
    return this.db.system(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(7316222)`);
      if ((await this.keys.listActive(tx)).length > 0) return undefined;
      const plaintext = `dlt_admin_${randomBytes(32).toString('base64url')}`;
      await this.keys.insert(tx, { name: 'generated at first start', keyHash: await hashSecret(plaintext) });
      return plaintext;
    });
  }
}
