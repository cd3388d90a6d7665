import type { ConnectionRateLimiter } from './connection-rate-limiter';

/** Longer waits give the worker slot back: the delivery is rescheduled instead of sleeping. */
const MAX_INLINE_WAIT_MS = 2_000;

/**
 * A fetch that spends one token of the connection's `rate_limit` per HTTP request (issue 5: the
 * limit "caps every call Delta makes to that connection"). Vendors limit calls, and one delivery
 * can make several (a lookup, a create, a membership), so pacing deliveries would overrun them.
 * Short waits are slept through. A longer one answers the connector as the app would, `429` with
 * `Retry-After`, because every connector already turns that into a rate-limited wait (whatever
 * client library it wraps): the connection waits, and no attempt is used up.
 */
export function rateLimitedFetch(
  limiter: ConnectionRateLimiter,
  connectionId: string,
  limit: { requests_per_minute: number; burst: number },
  inner: typeof fetch = fetch,
): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    for (;;) {
      const wait = await limiter.take(connectionId, limit);
      if (wait === 0) return inner(input, init);
      if (wait > MAX_INLINE_WAIT_MS) {
        return new Response(JSON.stringify({ status: '429', detail: 'Delta: this connection is at its rate_limit.' }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': String(Math.ceil(wait / 1000)), 'x-delta-rate-limit': 'connection' },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }) as typeof fetch;
}
