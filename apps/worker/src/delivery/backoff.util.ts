/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): the wait before attempt n+1 is uniform in [0, min(cap, base·2^(n-1))], so a fleet of
 * retries after an outage spreads out instead of arriving in waves. A server's Retry-After is a
 * floor, never shortened by the jitter.
 */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random, retryAfterMs?: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}
