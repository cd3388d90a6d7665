import type { Redis } from 'ioredis';

/** Present only in the production topology (REDIS_URL set). */
export class RedisHealth {
  constructor(private readonly redis: Redis) {}

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
