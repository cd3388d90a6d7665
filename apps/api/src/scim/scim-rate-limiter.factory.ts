import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { AppConfig } from '@delta/config';
import { BatchedRateLimiter } from './batched-rate-limiter';

/** At most this many points per Redis call, and never more than 1% of the window's points. */
const MAX_BATCH = 20;

/** Points taken per Redis call: 1 (exact) below 200 points a window, then 1%, capped. */
export function scimRateLimitBatch(points: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(points / 100)));
}

/**
 * `burst` requests may arrive at once; on average no more than `requestsPerMinute`. Expressed as
 * a window of burst / (rate per second) seconds holding `burst` points. Shared through Redis by
 * every replica, which takes its points in small batches (see BatchedRateLimiter for what that
 * costs in accuracy); in memory, one point at a time, when embedded.
 */
export function createScimRateLimiter(config: AppConfig, redis?: Redis): BatchedRateLimiter {
  const perSecond = config.scim.requestsPerMinute / 60;
  const points = config.scim.burst;
  const duration = Math.max(1, Math.round(points / perSecond));
  if (redis) {
    const store = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${config.redis.keyPrefix}:scim-rl`, points, duration });
    return new BatchedRateLimiter(store, scimRateLimitBatch(points));
  }
  return new BatchedRateLimiter(new RateLimiterMemory({ points, duration }), 1);
}
