import { classifyHttpFailure, parseRetryAfter } from './connector-error';

describe('parseRetryAfter', () => {
  it.each<[string | null, number | undefined]>([
    ['2', 2000],
    [' 120 ', 120_000],
    ['0', 0],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-3', undefined],
  ])('%p → %p ms', (value, expected) => expect(parseRetryAfter(value)).toBe(expected));

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
});

describe('classifyHttpFailure', () => {
  it.each<[number, string | null, string, number | undefined]>([
    [429, '5', 'rate_limited', 5000],
    [429, null, 'rate_limited', 60_000],
    [503, '10', 'rate_limited', 10_000],
    [503, null, 'retryable', undefined],
    [500, null, 'retryable', undefined],
    [502, null, 'retryable', undefined],
    [408, null, 'retryable', undefined],
    [409, null, 'retryable', undefined],
    [401, null, 'unauthorized', undefined],
    [403, null, 'unauthorized', undefined],
    [400, null, 'permanent', undefined],
    [404, null, 'permanent', undefined],
    [422, null, 'permanent', undefined],
  ])('HTTP %i (Retry-After %p) is %s', (status, retryAfter, kind, wait) => {
    const error = classifyHttpFailure(status, retryAfter, 'body');
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryAfterMs).toBe(wait);
    expect(error.message).toContain(String(status));
  });
});
