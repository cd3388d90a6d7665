import type { IncomingHttpHeaders } from 'node:http';

/** A request after the shared server has read its body; handlers never touch node's streams. */
export interface EmulatorRequest {
  method: string;
  /** Path without the query string, not decoded (route params are decoded by the router). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Case-insensitive single header value (arrays joined with ", "). */
  header(name: string): string | undefined;
  rawBody: string;
  /** Parsed JSON when the body is JSON text (any content type), else undefined. */
  body: unknown;
  /** Set when the body is non-empty and not valid JSON, so each emulator answers in its vendor's shape. */
  bodyError?: string;
  receivedAt: number;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are; undefined sends no body. */
  body?: unknown;
  /** Content type for object bodies; default `application/json`. */
  contentType?: string;
}

export function json(status: number, body: unknown, headers?: Record<string, string>, contentType?: string): EmulatorResponse {
  return { status, body, headers, contentType };
}

export function noContent(headers?: Record<string, string>): EmulatorResponse {
  return { status: 204, headers };
}

/** The part of every emulator handle that tests rely on. */
export interface EmulatorHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}
