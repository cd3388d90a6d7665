/**
 * Rate limits keyed by bucket name, so an emulator can model a vendor's layout: Slack's org-wide
 * read/write sets plus per-endpoint buckets (downstream-apis.md §1.6), GitHub's per-resource
 * budgets, Google's per-user quota. Tests pass small limits and short windows; the clock is
 * injectable for unit-style checks.
 */

export interface BucketLimit {
  /** Requests allowed per `windowMs` (the sustained rate). */
  limit: number;
  /** Window length; default one minute, as vendors document "per minute". */
  windowMs?: number;
  /** Token bucket: how many requests may arrive at once (capacity). Defaults to `limit`. */
  burst?: number;
  /**
   * `token-bucket` (default) refills continuously at limit/window and holds `burst` tokens;
   * `fixed-window` allows `limit` requests per aligned window and resets at its end.
   */
  algorithm?: 'token-bucket' | 'fixed-window';
}

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a retry can succeed (>= 1 when refused), as `Retry-After` carries. */
  retryAfterSeconds: number;
  /** Milliseconds until a retry can succeed (0 when allowed). */
  retryAfterMs: number;
  /** Requests left in the tightest bucket after this one. */
  remaining: number;
  /** Limit of the tightest bucket. */
  limit: number;
  /** Epoch ms when the tightest bucket is full again / its window resets. */
  resetAtMs: number;
  /** The bucket that refused the request, if any. */
  bucket?: string;
}

interface BucketState {
  tokens: number;
  updatedAt: number;
  windowStart: number;
  used: number;
}

export class RateLimiter {
  private readonly state = new Map<string, BucketState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one request from `bucket`. */
  take(bucket: string, limit: BucketLimit, cost = 1): RateDecision {
    return this.takeAll([{ bucket, ...limit }], cost);
  }

  /**
   * Takes from every bucket or from none: a request refused by a per-endpoint bucket does not
   * spend the org-wide budget. The answer describes the tightest bucket.
   */
  takeAll(buckets: Array<BucketLimit & { bucket: string }>, cost = 1): RateDecision {
    const now = this.now();
    const views = buckets.map((b) => ({ b, view: this.peek(b.bucket, b, now) }));
    const refused = views.filter((v) => v.view.available < cost);
    if (refused.length > 0) {
      const worst = refused.reduce((a, c) => (c.view.waitMs(cost) > a.view.waitMs(cost) ? c : a));
      const waitMs = worst.view.waitMs(cost);
      return {
        allowed: false,
        retryAfterMs: waitMs,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        remaining: 0,
        limit: worst.b.limit,
        resetAtMs: now + worst.view.fullInMs(),
        bucket: worst.b.bucket,
      };
    }
    for (const { view } of views) view.commit(cost);
    const tightest = views.reduce<(typeof views)[number] | undefined>(
      (a, c) => (a === undefined || c.view.available < a.view.available ? c : a),
      undefined,
    );
    return {
      allowed: true,
      retryAfterMs: 0,
      retryAfterSeconds: 0,
      remaining: tightest ? Math.floor(tightest.view.available - cost) : Number.POSITIVE_INFINITY,
      limit: tightest?.b.limit ?? Number.POSITIVE_INFINITY,
      resetAtMs: tightest ? now + tightest.view.fullInMs() : now,
    };
  }

  reset(bucket?: string): void {
    if (bucket === undefined) this.state.clear();
    else this.state.delete(bucket);
  }

  private peek(name: string, limit: BucketLimit, now: number) {
    const windowMs = limit.windowMs ?? 60_000;
    const capacity = limit.burst ?? limit.limit;
    const st = this.state.get(name) ?? { tokens: capacity, updatedAt: now, windowStart: now, used: 0 };
    if ((limit.algorithm ?? 'token-bucket') === 'fixed-window') {
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const used = st.windowStart === windowStart ? st.used : 0;
      const windowEnd = windowStart + windowMs;
      return {
        available: limit.limit - used,
        waitMs: () => windowEnd - now,
        fullInMs: () => windowEnd - now,
        commit: (cost: number) => this.state.set(name, { ...st, windowStart, used: used + cost }),
      };
    }
    const ratePerMs = limit.limit / windowMs;
    const tokens = Math.min(capacity, st.tokens + (now - st.updatedAt) * ratePerMs);
    return {
      available: tokens,
      waitMs: (cost: number) => Math.ceil((cost - tokens) / ratePerMs),
      fullInMs: () => Math.ceil((capacity - tokens) / ratePerMs),
      commit: (cost: number) => this.state.set(name, { ...st, tokens: tokens - cost, updatedAt: now }),
    };
  }
}
