import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { BatchedRateLimiter } from './batched-rate-limiter';
import { scimRateLimitBatch } from './scim-rate-limiter.factory';

/** A fixed-window store like RateLimiterRedis: refused calls still count; counts each call. */
class CountingStore {
  calls = 0;
  private readonly windows = new Map<string, { consumed: number; resetAt: number }>();

  constructor(
    private readonly points: number,
    private readonly durationMs: number,
    private readonly now: () => number,
    private readonly failing = false,
  ) {}

  async consume(key: string, points = 1): Promise<RateLimiterRes> {
    this.calls++;
    await Promise.resolve();
    if (this.failing) throw new Error('redis down');
    let window = this.windows.get(key);
    if (!window || window.resetAt <= this.now()) {
      window = { consumed: 0, resetAt: this.now() + this.durationMs };
      this.windows.set(key, window);
    }
    window.consumed += points;
    const res = new RateLimiterRes(Math.max(0, this.points - window.consumed), window.resetAt - this.now(), window.consumed);
    if (window.consumed > this.points) throw res;
    return res;
  }
}

const limiter = (store: CountingStore, batch: number, now: () => number) =>
  new BatchedRateLimiter(store as unknown as RateLimiterAbstract, batch, now);

async function outcomes(l: BatchedRateLimiter, key: string, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      l.consume(key).then(
        () => 'ok',
        (e: unknown) => (e instanceof RateLimiterRes ? 'refused' : 'error'),
      ),
    ),
  );
}

describe('BatchedRateLimiter', () => {
  it('with batch 1 asks the store for every request and is exact', async () => {
    const store = new CountingStore(4, 60_000, () => 0);
    const l = limiter(store, 1, () => 0);
    expect(await outcomes(l, 'org', 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'refused']);
    expect(store.calls).toBe(5);
  });

  it('takes points in batches, one store call for concurrent requests, and refuses locally until the window ends', async () => {
    let now = 0;
    const store = new CountingStore(100, 6_000, () => now);
    const l = limiter(store, 10, () => now);
    expect(await outcomes(l, 'org', 10)).toEqual(Array(10).fill('ok'));
    expect(store.calls).toBe(1);
    expect(await outcomes(l, 'org', 90)).toEqual(Array(90).fill('ok'));
    expect(store.calls).toBe(10);
    const refused = await l.consume('org').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBe(6_000);
    await l.consume('org').catch(() => undefined);
    expect(store.calls).toBe(11);
    expect(await outcomes(l, 'other', 1)).toEqual(['ok']);
    now += 6_000;
    expect(await outcomes(l, 'org', 1)).toEqual(['ok']);
  });

  it('never lets more through than the limit, at most batch − 1 fewer per replica', async () => {
    const now = () => 0;
    const store = new CountingStore(100, 6_000, now);
    const replicas = [limiter(store, 7, now), limiter(store, 7, now)];
    const results = (await Promise.all(replicas.map((r) => outcomes(r, 'org', 80)))).flat();
    const allowed = results.filter((r) => r === 'ok').length;
    expect(allowed).toBeLessThanOrEqual(100);
    expect(allowed).toBeGreaterThanOrEqual(100 - 2 * 6);
  });

  it('lets requests through when the store fails, without remembering anything', async () => {
    const store = new CountingStore(100, 6_000, () => 0, true);
    const l = limiter(store, 10, () => 0);
    expect(await outcomes(l, 'org', 3)).toEqual(['error', 'error', 'error']);
    await l.consume('org').catch(() => undefined);
    expect(store.calls).toBe(2);
  });

  it('batches 1 point below 200 points a window, then 1%, at most 20', () => {
    expect([4, 199, 200, 600, 1000, 10_000_000].map(scimRateLimitBatch)).toEqual([1, 1, 2, 6, 10, 20]);
  });
});
