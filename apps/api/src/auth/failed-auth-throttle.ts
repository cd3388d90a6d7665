import { DomainError } from '@delta/core';

/**
 * Counts failed authentications per client address in fixed one-minute windows; past the limit
 * the client is refused before any argon2 run, so guessing costs the attacker, not us.
 */
export class FailedAuthThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 100_000,
  ) {}

  assertAllowed(client: string): void {
    const window = this.current(client);
    if (window && window.failures >= this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil((window.start + 60_000 - this.now()) / 1000));
      throw new DomainError('rate_limited', 'Too many failed authentication attempts; retry later.', retryAfter);
    }
  }

  recordFailure(client: string): void {
    const window = this.current(client) ?? { start: this.now(), failures: 0 };
    window.failures++;
    this.windows.set(client, window);
    if (this.windows.size > this.maxClients) this.prune();
  }

  private current(client: string): { start: number; failures: number } | undefined {
    const window = this.windows.get(client);
    if (window && this.now() - window.start >= 60_000) {
      this.windows.delete(client);
      return undefined;
    }
    return window;
  }

  private prune(): void {
    const cutoff = this.now() - 60_000;
    for (const [client, window] of this.windows) if (window.start < cutoff) this.windows.delete(client);
    // Still full of live attackers: drop the oldest half rather than grow without bound.
    if (this.windows.size > this.maxClients) {
      let drop = Math.floor(this.windows.size / 2);
      for (const client of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(client);
      }
    }
  }
}
