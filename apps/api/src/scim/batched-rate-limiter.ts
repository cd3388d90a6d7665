import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

interface Allowance {
  /** Points taken from the shared store and not yet spent here. */
  left: number;
  /** When the store's window ends (ms since the epoch): unspent points die with it. */
  readonly until: number;
  /** The store refused: every request of this key is refused until `until`. */
  readonly refused: boolean;
}

const PRUNE_ABOVE = 10_000;

/**
 * A shared (Redis) rate limiter consumed `batch` points per store call instead of one: the
 * points are spent locally until they run out or the store's window ends, and a refusal is
 * remembered locally until that window ends (the store would refuse every call until then
 * anyway: refused calls still count). Concurrent requests of one key wait for a single store
 * call rather than each sending one.
 *
 * The trade-off: points taken and not spent before the window ends are lost, and a batch that
 * no longer fits is refused whole, so near exhaustion the shared limit is up to
 * (batch − 1) × replicas lower than configured, never higher. With batch 1 every call goes to
 * the store, exactly as without this class.
 */
export class BatchedRateLimiter {
  private readonly allowances = new Map<string, Allowance>();
  private readonly fetching = new Map<string, Promise<void>>();

  constructor(
    private readonly store: RateLimiterAbstract,
    private readonly batch: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when `key` may proceed; rejects with the store's RateLimiterRes when refused, or its error. */
  async consume(key: string): Promise<void> {
    if (this.batch <= 1) {
      await this.store.consume(key, 1);
      return;
    }
    for (;;) {
      const allowance = this.allowances.get(key);
      if (allowance) {
        const msLeft = allowance.until - this.now();
        if (msLeft > 0) {
          if (allowance.refused) throw new RateLimiterRes(0, msLeft);
          if (allowance.left > 0) {
            allowance.left--;
            return;
          }
        }
      }
      const inFlight = this.fetching.get(key);
      if (inFlight) {
        await inFlight;
        continue;
      }
      await this.fetch(key);
    }
  }

  private fetch(key: string): Promise<void> {
    const started = this.now();
    const fetched = this.store.consume(key, this.batch).then(
      (res) => this.remember(key, { left: this.batch, until: started + res.msBeforeNext, refused: false }),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        this.remember(key, { left: 0, until: started + rejection.msBeforeNext, refused: true });
      },
    );
    const settled = fetched.finally(() => this.fetching.delete(key));
    this.fetching.set(key, settled);
    return settled;
  }

  private remember(key: string, allowance: Allowance): void {
    this.allowances.set(key, allowance);
    if (this.allowances.size <= PRUNE_ABOVE) return;
    const now = this.now();
    for (const [k, a] of this.allowances) if (a.until <= now) this.allowances.delete(k);
  }
}
