import { ConnectorError } from '../connector-error';
import { describeNetworkError, ScimRequestError, scimHttpError } from './scim-error.util';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface ScimClientOptions {
  /** The SCIM root (RFC 7644 §1.3 "base URI"), version path included; request paths are relative to it. */
  readonly baseUrl: string;
  readonly token: string;
  /** Defaults to global fetch. */
  readonly fetch?: typeof fetch;
  /** Per request, default 20 s, at most 30 s (lower only for tests). A request not answered in time is retryable. */
  readonly timeoutMs?: number;
  /** Request body type: `application/scim+json` (RFC 7644 §3.1) unless the app wants `application/json` (Slack, §1.8). */
  readonly contentType?: string;
  readonly userAgent?: string;
  /** Extra headers on every request (e.g. an API version header). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A vendor's refinement of a classified failure (e.g. Slack's 403 on one Owner account). */
  readonly refineError?: (error: ScimRequestError) => ConnectorError;
}

export interface ScimListQuery {
  readonly filter?: string;
  /** 1-based (RFC 7644 §3.4.2.4). */
  readonly startIndex?: number;
  readonly count?: number;
}

/** RFC 7644 §3.4.2 ListResponse (`Resources` with a capital R). */
export interface ScimListResponse<T> {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: T[];
}

/** RFC 7644 §3.5.2 PATCH operation. */
export interface ScimPatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path?: string;
  readonly value?: unknown;
}

export type ScimResource = Record<string, unknown> & { readonly id: string };

const DEFAULT_TIMEOUT_MS = 20_000;

/** `attr eq "value"` with the value as a JSON string, as RFC 7644 §3.4.2.2 requires (quotes and backslashes escaped). */
export function scimEq(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}

/**
 * A small SCIM 2.0 client (RFC 7644) on fetch: bearer token, JSON bodies, paths relative to the
 * base URL. Every failure is a classified ConnectorError (see scim-error.util.ts): 409 a
 * ScimConflictError, 429 rate_limited with Retry-After, 401/403 unauthorized, 5xx / timeouts /
 * network errors retryable. It does not retry by itself: the engine owns backoff.
 */
export class ScimClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ScimClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ConnectorError('permanent', `base_url "${options.baseUrl}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConnectorError('permanent', 'base_url must be an http(s) URL');
    this.base = url.toString().replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = Math.min(30_000, Math.max(100, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  }

  get baseUrl(): string {
    return this.base;
  }

  async get<T = ScimResource>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return (await this.request<T>('GET', path, { query })) as T;
  }

  async list<T = ScimResource>(path: string, query: ScimListQuery = {}): Promise<ScimListResponse<T>> {
    const body = await this.get<Partial<ScimListResponse<T>>>(path, { filter: query.filter, startIndex: query.startIndex, count: query.count });
    const resources = Array.isArray(body?.Resources) ? body.Resources : [];
    return {
      // Some apps leave totalResults out of an empty page; RFC 7644 §3.4.2 makes it required.
      totalResults: typeof body?.totalResults === 'number' ? body.totalResults : resources.length,
      startIndex: typeof body?.startIndex === 'number' ? body.startIndex : (query.startIndex ?? 1),
      itemsPerPage: typeof body?.itemsPerPage === 'number' ? body.itemsPerPage : resources.length,
      Resources: resources,
    };
  }

  /** The first resource matching a filter, or undefined. */
  async findOne<T = ScimResource>(path: string, filter: string): Promise<T | undefined> {
    return (await this.list<T>(path, { filter, count: 1 })).Resources[0];
  }

  async post<T = ScimResource>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body })) as T;
  }

  async put<T = ScimResource>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PUT', path, { body })) as T;
  }

  /** RFC 7644 §3.5.2: the PatchOp envelope around the operations; undefined when the app answers 204. */
  async patch<T = ScimResource>(path: string, operations: readonly ScimPatchOperation[]): Promise<T | undefined> {
    return this.request<T>('PATCH', path, { body: { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations } });
  }

  /**
   * RFC 7644 §3.6. A 404 means the resource is already gone: returns false instead of throwing,
   * so deletes are idempotent; true when the app deleted it now.
   */
  async delete(path: string): Promise<boolean> {
    try {
      await this.request('DELETE', path, {});
      return true;
    } catch (error) {
      if (error instanceof ConnectorError && error.status === 404) return false;
      throw error;
    }
  }

  async request<T>(method: string, path: string, init: { query?: Record<string, string | number | undefined>; body?: unknown }): Promise<T | undefined> {
    const url = new URL(`${this.base}/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(init.query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    const shownPath = url.pathname.slice(new URL(this.base).pathname.replace(/\/+$/, '').length) || '/';
    const headers: Record<string, string> = {
      accept: 'application/scim+json, application/json',
      authorization: `Bearer ${this.options.token}`,
      'user-agent': this.options.userAgent ?? 'Delta-SCIM/1',
      ...this.options.headers,
    };
    if (init.body !== undefined) headers['content-type'] = this.options.contentType ?? 'application/scim+json';
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(this.timeoutMs),
        // A redirect would replay the bearer token somewhere else: refuse it and say so.
        redirect: 'manual',
      });
    } catch (error) {
      // Duck-typed: the DOMException may come from another realm (jest, workers).
      const name = (error as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const reason = timedOut ? `no answer within ${this.timeoutMs / 1000} s` : describeNetworkError(error);
      throw new ScimRequestError('retryable', `${method} ${shownPath}: ${reason}`, undefined, undefined, method, shownPath);
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 300 && response.status < 400) {
      throw new ScimRequestError('permanent', `${method} ${shownPath} → HTTP ${response.status} redirect to ${response.headers.get('location') ?? '?'}: set base_url to the final SCIM root`, response.status, undefined, method, shownPath);
    }
    if (!response.ok) {
      const error = scimHttpError(method, shownPath, response.status, response.headers.get('retry-after'), text);
      throw this.options.refineError ? this.options.refineError(error) : error;
    }
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ScimRequestError('retryable', `${method} ${shownPath} → HTTP ${response.status} with a body that is not JSON`, response.status, undefined, method, shownPath);
    }
  }
}
