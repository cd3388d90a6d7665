import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Paces calls to each connection at its `rate_limit`, shared by every worker replica through
 * Redis (in memory when embedded). A window of `burst` calls lasts burst·60/rpm seconds, so the
 * rate is the configured one and no window allows more than `burst` at once.
 */
export class ConnectionRateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly keyPrefix: string,
  ) {}

  /** Takes one call; returns 0 when allowed now, else how long to wait (ms). */
  async take(connectionId: string, limit: { requests_per_minute: number; burst: number }): Promise<number> {
    try {
      await this.limiterFor(limit).consume(connectionId);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      // The limiter's store failing must not stop deliveries; the app's own 429s still bite.
      return 0;
    }
  }

  private limiterFor(limit: { requests_per_minute: number; burst: number }): RateLimiterAbstract {
    const rpm = Math.max(1, limit.requests_per_minute);
    const duration = Math.max(1, Math.round((Math.max(1, limit.burst) * 60) / rpm));
    const points = Math.max(1, Math.round((duration * rpm) / 60));
    const key = `${points}/${duration}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const options = { points, duration, keyPrefix: `${this.keyPrefix}:conn-rate:${key}` };
      limiter = this.redis ? new RateLimiterRedis({ ...options, storeClient: this.redis }) : new RateLimiterMemory(options);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
