import { DomainError } from './domain-error';

/**
 * Caps how many slow operations (argon2 runs) are in flight, with a bounded wait queue:
 * beyond it callers are refused at once instead of piling up behind a flood.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      if (this.waiting.length >= this.maxQueue) {
        throw new DomainError('rate_limited', 'Too many authentication attempts in progress; retry shortly.', 1);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
