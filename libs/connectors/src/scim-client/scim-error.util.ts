import { ConnectorError, classifyHttpFailure } from '../connector-error';

/**
 * SCIM error bodies and their classification. RFC 7644 §3.12 says `{schemas, status, scimType?,
 * detail?}` (status a string); Slack v2 carries those and may still carry the legacy
 * `Errors {description, code}` object of v1 (downstream-apis.md §1.7, "read detail/status first
 * and fall back to Errors"); some apps send `Errors` as an array. Parsed tolerantly: a body that
 * is not JSON is kept as text.
 */
export interface ScimErrorBody {
  readonly status?: number;
  readonly scimType?: string;
  readonly detail?: string;
}

export function parseScimErrorBody(text: string): ScimErrorBody {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    return text.trim() ? { detail: text.trim().slice(0, 300) } : {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const body = parsed as Record<string, unknown>;
  const legacyRaw = Array.isArray(body.Errors) ? body.Errors[0] : body.Errors;
  const legacy = legacyRaw && typeof legacyRaw === 'object' ? (legacyRaw as Record<string, unknown>) : {};
  const detail = firstString(body.detail, legacy.description, body.message, body.error_description, body.error);
  const status = toStatus(body.status) ?? toStatus(legacy.code);
  const scimType = typeof body.scimType === 'string' && body.scimType ? body.scimType : undefined;
  return { ...(status !== undefined ? { status } : {}), ...(scimType ? { scimType } : {}), ...(detail ? { detail } : {}) };
}

/** A classified SCIM failure: a ConnectorError that also says which request failed and why. */
export class ScimRequestError extends ConnectorError {
  constructor(
    kind: ConnectorError['kind'],
    message: string,
    status: number | undefined,
    retryAfterMs: number | undefined,
    readonly method: string,
    readonly path: string,
    readonly scimType?: string,
    readonly detail?: string,
  ) {
    super(kind, message, status, retryAfterMs);
    this.name = 'ScimRequestError';
  }
}

/**
 * 409: the resource would break a uniqueness rule (RFC 7644 §3.3 / §3.12 scimType `uniqueness`;
 * Slack: duplicate userName or email, §1.7, scimType unconfirmed so every 409 counts). Permanent
 * as such, since a retry cannot change the answer, but a connector acts on it: it looks up the
 * existing account and links it.
 */
export class ScimConflictError extends ScimRequestError {
  constructor(message: string, method: string, path: string, scimType?: string, detail?: string) {
    super('permanent', message, 409, undefined, method, path, scimType ?? 'uniqueness', detail);
    this.name = 'ScimConflictError';
  }
}

export function isScimConflict(error: unknown): error is ScimConflictError {
  return error instanceof ScimConflictError;
}

/** 404 on a resource: gone or never there (deletes and deactivations treat it as done). */
export function isScimNotFound(error: unknown): error is ScimRequestError {
  return error instanceof ConnectorError && error.status === 404;
}

/** classifyHttpFailure with what SCIM adds: conflicts typed, the parsed detail in the message. */
export function scimHttpError(method: string, path: string, status: number, retryAfter: string | null, text: string): ScimRequestError {
  const body = parseScimErrorBody(text);
  const what = `${method} ${path} → HTTP ${status}${body.scimType ? ` (${body.scimType})` : ''}${body.detail ? `: ${body.detail}` : ''}`;
  if (status === 409) return new ScimConflictError(what, method, path, body.scimType, body.detail);
  const base = classifyHttpFailure(status, retryAfter, text);
  return new ScimRequestError(base.kind, what, status, base.retryAfterMs, method, path, body.scimType, body.detail);
}

export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') return 'connection reset';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  const message = (error as { message?: unknown } | null)?.message;
  return cause?.message ?? (typeof message === 'string' && message ? message : 'network error');
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 500);
  return undefined;
}

function toStatus(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}
