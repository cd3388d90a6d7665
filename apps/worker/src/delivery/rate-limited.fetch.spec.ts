import type { ConnectionRateLimiter } from './connection-rate-limiter';
import { rateLimitedFetch } from './rate-limited.fetch';

function limiterWith(waits: number[]): ConnectionRateLimiter {
  return { take: async () => waits.shift() ?? 0 } as unknown as ConnectionRateLimiter;
}

describe('rateLimitedFetch', () => {
  const limit = { requests_per_minute: 60, burst: 1 };
  const ok = async () => new Response('ok', { status: 200 });

  it('calls through when a token is available', async () => {
    let calls = 0;
    const fetch = rateLimitedFetch(limiterWith([0]), 'c1', limit, (async () => {
      calls++;
      return ok();
    }) as typeof globalThis.fetch);
    expect((await fetch('http://app.test/x')).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('sleeps through a short wait, then calls', async () => {
    const started = Date.now();
    const fetch = rateLimitedFetch(limiterWith([50, 0]), 'c1', limit, ok as typeof globalThis.fetch);
    expect((await fetch('http://app.test/x')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('answers a long wait as the app would: 429 with Retry-After, without calling the app', async () => {
    let calls = 0;
    const fetch = rateLimitedFetch(limiterWith([12_500]), 'c1', limit, (async () => {
      calls++;
      return ok();
    }) as typeof globalThis.fetch);
    const response = await fetch('http://app.test/x');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('13');
    expect(response.headers.get('x-delta-rate-limit')).toBe('connection');
    expect(calls).toBe(0);
  });
});
