import type { EmulatorRequest, EmulatorResponse } from '../support';

/** Who a bearer token speaks for: the service account, the impersonated admin (`sub`) and the scopes. */
export interface GooglePrincipal {
  clientEmail: string;
  sub?: string;
  scopes: string[];
  expiresAt: number;
}

export interface GoogleCall {
  readonly req: EmulatorRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: any;
  readonly principal: GooglePrincipal;
}

export type GoogleHandler = (call: GoogleCall) => EmulatorResponse;

export interface GoogleRoute {
  readonly method: string;
  readonly pattern: string;
  /** Any one of these scopes authorizes the call (reference §3.1 "Scopes", §3.4 "Auth scope"). */
  readonly scopes: readonly string[];
  /** Directory calls need a `sub` (domain-wide delegation, §3.2); CRM calls do not (§3.4). */
  readonly delegated: boolean;
  readonly handler: GoogleHandler;
}

const GRPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * Google JSON error `{"error":{code, message, errors:[{message, domain, reason}], status}}`
 * (reference §3.1 "Error body").
 */
export function googleError(code: number, reason: string, text: string, domain = 'global', status = GRPC_STATUS[code]): EmulatorResponse {
  return { status: code, body: { error: { code, message: text, errors: [{ message: text, domain, reason }], status } } };
}

export const notFound = (key: 'userKey' | 'groupKey' | 'memberKey'): EmulatorResponse => googleError(404, 'notFound', `Resource Not Found: ${key}`);
export const duplicate = (text = 'Entity already exists.'): EmulatorResponse => googleError(409, 'duplicate', text);
export const invalid = (text: string): EmulatorResponse => googleError(400, 'invalid', `Invalid Input: ${text}`);

export function ok(body: unknown): EmulatorResponse {
  return { status: 200, body };
}

/** Opaque page tokens over an offset; `maxResults` clamped to the method's bounds (§3.1 table). */
export function page<T>(query: URLSearchParams, items: T[], defaultSize: number, maxSize: number): { items: T[]; nextPageToken?: string } | EmulatorResponse {
  const size = Math.min(Math.max(Number(query.get('maxResults') ?? defaultSize) || defaultSize, 1), maxSize);
  const token = query.get('pageToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(offset) || offset < 0) return invalid('pageToken');
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
  return { items: slice, ...(next ? { nextPageToken: next } : {}) };
}
