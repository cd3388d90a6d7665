import { DomainError } from '@delta/core';
import { FailedAuthThrottle } from './failed-auth-throttle';

describe('FailedAuthThrottle', () => {
  it('refuses a client after the limit within a minute, and forgives after the window', () => {
    let now = 1_000_000;
    const throttle = new FailedAuthThrottle(3, () => now);
    for (let i = 0; i < 3; i++) {
      throttle.assertAllowed('1.2.3.4');
      throttle.recordFailure('1.2.3.4');
    }
    expect(() => throttle.assertAllowed('1.2.3.4')).toThrow(DomainError);
    try {
      throttle.assertAllowed('1.2.3.4');
    } catch (error) {
      expect((error as DomainError).code).toBe('rate_limited');
      expect((error as DomainError).retryAfterSeconds).toBe(60);
    }
    expect(() => throttle.assertAllowed('5.6.7.8')).not.toThrow();
    now += 60_000;
    expect(() => throttle.assertAllowed('1.2.3.4')).not.toThrow();
  });

  it('stays bounded under a flood of distinct clients', () => {
    const throttle = new FailedAuthThrottle(3, () => 0, 100);
    for (let i = 0; i < 1000; i++) throttle.recordFailure(`client-${i}`);
    expect((throttle as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });
});
