import { ConnectorError } from '../connector-error';
import type { ScimClient } from '../scim-client/scim.client';

/** What a failed connection test means, in words, per status (RFC 7644 §3.12 codes). */
export interface ConnectionTestHints {
  readonly label: string;
  readonly unauthorized: string;
  readonly forbidden: string;
  readonly notFound: string;
}

/** Rewrites a failed test call into a message an admin can act on; the class of failure is kept. */
export function explainTestFailure(error: unknown, hints: ConnectionTestHints, call: string): unknown {
  if (!(error instanceof ConnectorError)) return error;
  const base = `${hints.label} connection test failed at ${call}`;
  const wrap = (kind: ConnectorError['kind'], text: string) => new ConnectorError(kind, `${base}: ${text} (${error.message})`, error.status, error.retryAfterMs);
  if (error.status === 401) return wrap('unauthorized', hints.unauthorized);
  if (error.status === 403) return wrap('unauthorized', hints.forbidden);
  if (error.status === 404) return wrap('permanent', hints.notFound);
  if (error.kind === 'rate_limited') return wrap('rate_limited', 'the app is rate limiting us; try again later');
  if (error.kind === 'retryable') return wrap('retryable', 'the app could not be reached or failed; try again');
  return wrap(error.kind, 'the app refused the request');
}

/**
 * GET /ServiceProviderConfig (RFC 7644 §4; optional here: not every app serves it, so 404 is not
 * fatal), then GET /Users?count=1, the probe IdPs use too. Returns the capability document.
 */
export async function runScimConnectionTest(client: ScimClient, hints: ConnectionTestHints, options: { requireDiscovery?: boolean } = {}): Promise<Record<string, unknown> | undefined> {
  let config: Record<string, unknown> | undefined;
  try {
    config = await client.get<Record<string, unknown>>('ServiceProviderConfig');
  } catch (error) {
    if (!(error instanceof ConnectorError && error.status === 404 && !options.requireDiscovery)) throw explainTestFailure(error, hints, 'GET /ServiceProviderConfig');
  }
  try {
    await client.list('Users', { count: 1 });
  } catch (error) {
    throw explainTestFailure(error, hints, 'GET /Users?count=1');
  }
  return config;
}
