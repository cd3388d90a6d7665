/**
 * How a downstream failure should be treated (ARCHITECTURE.md, connectors): every connector
 * classifies its failures so the engine never guesses from a status code alone.
 * - `retryable`: transient (5xx, timeouts, resets) → backoff and retry;
 * - `rate_limited`: the app asked us to wait (`retryAfterMs`) → wait, not counted as a failure;
 * - `unauthorized`: credentials rejected → the connection is marked unhealthy and paused;
 * - `permanent`: the request itself is wrong → dead-lettered, retrying cannot help.
 */
export type FailureKind = 'retryable' | 'rate_limited' | 'unauthorized' | 'permanent';

export class ConnectorError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date names its day and month (IMF-fixdate); a bare "-3" would parse as a year.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The common HTTP classification; connectors refine it with what their API documents. */
export function classifyHttpFailure(status: number, retryAfter: string | null | undefined, body: string): ConnectorError {
  const detail = `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`;
  const wait = parseRetryAfter(retryAfter);
  if (status === 429) return new ConnectorError('rate_limited', detail, status, wait ?? 60_000);
  if (status === 503 && wait !== undefined) return new ConnectorError('rate_limited', detail, status, wait);
  if (status === 401 || status === 403) return new ConnectorError('unauthorized', detail, status);
  if (status === 408 || status === 409 || status === 425 || status >= 500) return new ConnectorError('retryable', detail, status, wait);
  return new ConnectorError('permanent', detail, status);
}
