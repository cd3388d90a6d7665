import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { AppConfig } from '@delta/config';

/**
 * `burst` requests may arrive at once; on average no more than `requestsPerMinute`. Expressed as
 * a window of burst / (rate per second) seconds holding `burst` points.
 */
export function createScimRateLimiter(config: AppConfig, redis?: Redis): RateLimiterAbstract {
  const perSecond = config.scim.requestsPerMinute / 60;
  const points = config.scim.burst;
  const duration = Math.max(1, Math.round(points / perSecond));
  if (redis) {
    return new RateLimiterRedis({ storeClient: redis, keyPrefix: `${config.redis.keyPrefix}:scim-rl`, points, duration });
  }
  return new RateLimiterMemory({ points, duration });
}
