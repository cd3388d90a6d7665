import { randomInt } from 'node:crypto';
import { ConnectorError, parseRetryAfter } from '../connector-error';

/** What a failed call to Google said, from a gaxios error (duck-typed: two gaxios copies coexist). */
export interface GoogleFailure {
  readonly status?: number;
  /** `errors[0].reason` of the Directory envelope (reference §3.1 "Error body"). */
  readonly reason?: string;
  /** `error.status`, the gRPC code CRM answers with (§3.4, e.g. `ABORTED`). */
  readonly grpcStatus?: string;
  readonly message: string;
  /** `{"error","error_description"}` of the OAuth token endpoint (§3.2 step 4). */
  readonly oauthError?: string;
  readonly retryAfter?: string;
  /** No HTTP answer at all (refused, reset, timeout). */
  readonly network: boolean;
}

/** Who the connector speaks as, for error messages that say what to fix. */
export interface GoogleErrorContext {
  readonly action: string;
  readonly clientEmail?: string;
  readonly subject?: string;
  readonly scopes?: readonly string[];
}

/** Rate-limit reasons of §3.1: per-user queries per minute, concurrency per project, per account. */
const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);
const ONE_MINUTE_REASONS = new Set(['userRateLimitExceeded']);

export function describeGoogleFailure(error: unknown): GoogleFailure {
  const e = (error ?? {}) as { response?: { status?: number; data?: unknown; headers?: unknown }; message?: string; config?: unknown; code?: unknown };
  const response = e.response;
  if (!response) {
    const network = e.config !== undefined;
    const code = typeof e.code === 'string' ? ` ${e.code}` : '';
    return { message: network ? networkMessage(error) : `${e.message ?? String(error)}${code}`, network };
  }
  const data = typeof response.data === 'string' ? safeJson(response.data) : response.data;
  const body = (data ?? {}) as { error?: unknown; error_description?: unknown };
  const headers = response.headers as { get?: (name: string) => string | null } | Record<string, string> | undefined;
  const retryAfter = typeof (headers as { get?: unknown })?.get === 'function' ? ((headers as { get: (n: string) => string | null }).get('retry-after') ?? undefined) : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (typeof body.error === 'string') {
    return { status: response.status, oauthError: body.error, message: String(body.error_description ?? body.error), retryAfter, network: false };
  }
  const envelope = (body.error ?? {}) as { message?: string; status?: string; errors?: Array<{ reason?: string; message?: string }> };
  return {
    status: response.status,
    reason: envelope.errors?.[0]?.reason,
    grpcStatus: envelope.status,
    message: envelope.message ?? envelope.errors?.[0]?.message ?? e.message ?? `HTTP ${response.status}`,
    retryAfter,
    network: false,
  };
}

/** True when Google answered `status` (and, if given, the Directory `reason`). */
export function isGoogleStatus(error: unknown, status: number, reason?: string): boolean {
  const failure = describeGoogleFailure(error);
  return failure.status === status && (reason === undefined || failure.reason === reason);
}

/**
 * The wait for a rate limit: the server's Retry-After if any (gaxios ignores it, §3.3), else the
 * documented truncated exponential backoff's first step, about 1 s plus up to 1 s of jitter
 * (§3.1 "Backoff") for the concurrency limits, and a quarter of the window for the per-minute
 * per-user quota, which a one-second retry would only hit again.
 */
export function rateLimitWait(failure: GoogleFailure): number {
  const told = parseRetryAfter(failure.retryAfter);
  if (told !== undefined) return told;
  const base = failure.reason && ONE_MINUTE_REASONS.has(failure.reason) ? 15_000 : 1_000;
  return base + randomInt(0, 1_000);
}

/**
 * Google's failures as Delta's four kinds (reference §3.1 error table, §3.2 token errors,
 * §3.4 ABORTED). Callers handle the idempotent cases (404 on delete, 409 duplicate) first.
 */
export function classifyGoogleError(error: unknown, context: GoogleErrorContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const f = describeGoogleFailure(error);
  const what = `${context.action}: `;
  const tail = f.status !== undefined ? ` (HTTP ${f.status}${f.reason ? ` ${f.reason}` : f.grpcStatus ? ` ${f.grpcStatus}` : ''}: ${f.message})` : '';
  if (f.oauthError) return tokenError(f, context);
  if (f.status === undefined) {
    if (f.network) return new ConnectorError('retryable', `${what}no answer from Google (${f.message})`);
    // Not an HTTP failure: signing the JWT assertion failed, so the private key is unusable (§3.2 step 1).
    if (/key|pem|decoder|asn1|sign|ossl/i.test(f.message)) {
      return new ConnectorError('unauthorized', `${what}the service account's private_key could not sign the token request (${f.message}); paste the JSON key file again.`);
    }
    return new ConnectorError('retryable', `${what}${f.message}`);
  }
  const status = f.status;
  if (f.reason && RATE_LIMIT_REASONS.has(f.reason)) return new ConnectorError('rate_limited', `${what}Google rate limit reached${tail}`, status, rateLimitWait(f));
  if (status === 429) return new ConnectorError('rate_limited', `${what}Google rate limit reached${tail}`, status, rateLimitWait(f));
  if (status === 401) return new ConnectorError('unauthorized', `${what}Google rejected the access token of ${context.clientEmail ?? 'the service account'}${tail}`, status);
  if (status === 403) {
    if (f.reason === 'accessNotConfigured') return new ConnectorError('unauthorized', `${what}the API is not enabled in the service account's Google Cloud project${tail}`, status);
    if (f.reason === 'insufficientPermissions') {
      return new ConnectorError('unauthorized', `${what}the access token lacks the OAuth scope this call needs; domain-wide delegation must grant ${scopeList(context)}${tail}`, status);
    }
    if (f.grpcStatus === 'PERMISSION_DENIED') {
      return new ConnectorError('permanent', `${what}${context.clientEmail ?? 'the service account'} may not do this (the resource does not exist or it lacks the IAM permission)${tail}`, status);
    }
    return new ConnectorError('permanent', `${what}not authorized: ${context.subject ?? 'the impersonated admin'} lacks the admin privilege for this, or the target is protected${tail}`, status);
  }
  if (status === 409 && f.grpcStatus === 'ABORTED') return new ConnectorError('retryable', `${what}concurrent change, retry the read-modify-write${tail}`, status);
  if (status === 409) return new ConnectorError('permanent', `${what}already exists${tail}`, status);
  if (status === 404) return new ConnectorError('permanent', `${what}not found${tail}`, status);
  if (status === 408 || status >= 500) return new ConnectorError('retryable', `${what}Google is unavailable${tail}`, status, parseRetryAfter(f.retryAfter));
  return new ConnectorError('permanent', `${what}Google refused the request${tail}`, status);
}

/** §3.2 step 4: `invalid_grant` (bad key, clock, unknown `sub`), `unauthorized_client` (delegation or scopes). */
function tokenError(f: GoogleFailure, context: GoogleErrorContext): ConnectorError {
  const who = `${context.clientEmail ?? 'the service account'}${context.subject ? ` acting as ${context.subject}` : ''}`;
  const detail = ` [${f.oauthError}: ${f.message}]`;
  if (f.status !== undefined && f.status >= 500) return new ConnectorError('retryable', `${context.action}: Google's token endpoint is unavailable${detail}`, f.status);
  if (f.oauthError === 'unauthorized_client') {
    return new ConnectorError(
      'unauthorized',
      `${context.action}: domain-wide delegation is not granted for scope ${scopeList(context)} to ${who}: a super admin must authorize the service account's client ID for these scopes (Admin console › Security › API controls › Domain-wide delegation)${detail}`,
      f.status,
    );
  }
  if (f.oauthError === 'invalid_grant') {
    return new ConnectorError(
      'unauthorized',
      `${context.action}: Google rejected the service account's signed token request for ${who}: the key may be deleted or wrong, the server clock off, or ${context.subject ?? 'the subject'} not an admin of the domain${detail}`,
      f.status,
    );
  }
  return new ConnectorError('unauthorized', `${context.action}: Google refused to issue a token to ${who}${detail}`, f.status);
}

function scopeList(context: GoogleErrorContext): string {
  return context.scopes && context.scopes.length > 0 ? context.scopes.join(', ') : 'the requested scopes';
}

function networkMessage(error: unknown): string {
  // fetch failures nest the system error (ECONNREFUSED, ECONNRESET, …) a cause or two down.
  let current = error as { message?: string; code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++, current = current.cause as typeof current) {
    if (typeof current.code === 'string' && /^E[A-Z]+|Timeout/.test(current.code)) return `${current.code}: ${(error as Error).message}`;
  }
  return (error as Error | undefined)?.message ?? 'network error';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text.slice(0, 300) } };
  }
}
