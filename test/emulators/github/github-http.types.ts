import type { IncomingHttpHeaders } from 'node:http';

/** One parsed request as the GitHub handlers see it (transport-free, so handlers stay pure). */
export interface GitHubCall {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
  /** The login the bearer token belongs to (auth is checked before any handler runs). */
  readonly login: string;
  readonly scopes: readonly string[];
  /** Absolute origin of the emulator, for `link` headers and `url` fields. */
  readonly origin: string;
}

export interface GitHubReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type GitHubHandler = (call: GitHubCall) => GitHubReply;

export interface GitHubRoute {
  readonly method: string;
  /** Express-like pattern: `/orgs/:org/memberships/:username`. */
  readonly pattern: string;
  readonly handler: GitHubHandler;
  /** Rate-limit resource named in `x-ratelimit-resource` (§2.5). */
  readonly resource?: 'core' | 'search';
}

export const DOCS = 'https://docs.github.com/rest';

export function message(status: number, text: string, documentationUrl = DOCS): GitHubReply {
  // Basic error body `{message, documentation_url, status?}` (reference §2.4 "Error bodies").
  return { status, body: { message: text, documentation_url: documentationUrl, status: String(status) } };
}

export function notFound(): GitHubReply {
  return message(404, 'Not Found');
}

/** 422 validation error `{message, documentation_url, errors:[{resource, field, code, message?}]}` (§2.4). */
export function validationFailed(resource: string, field: string, code: string, text?: string): GitHubReply {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [{ resource, field, code, ...(text ? { message: text } : {}) }], documentation_url: DOCS, status: '422' },
  };
}
