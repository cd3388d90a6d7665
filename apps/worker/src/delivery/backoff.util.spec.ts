import { backoffDelayMs } from './backoff.util';

describe('backoffDelayMs (full jitter)', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [5, 16000],
    [20, 60000],
    [200, 60000],
  ])('attempt %i waits at most %i ms with base 1 s and cap 60 s', (attempt, ceiling) => {
    expect(backoffDelayMs(attempt, 1000, 60000, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelayMs(attempt, 1000, 60000, () => 0)).toBe(0);
  });

  it('spreads waits uniformly below the ceiling', () => {
    const samples = Array.from({ length: 2000 }, () => backoffDelayMs(4, 1000, 60000));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(8000);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(3400);
    expect(mean).toBeLessThan(4600);
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelayMs(1, 1000, 60000, () => 0, 30000)).toBe(30000);
    expect(backoffDelayMs(10, 1000, 600000, () => 0.9, 1000)).toBeGreaterThan(1000);
  });
});
