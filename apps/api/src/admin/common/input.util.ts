import { DomainError } from '@delta/core';
import { KeysetCursor, decodeCursor } from '@delta/persistence';

/** Small explicit validators for /v1 bodies: every failure names the field. */
export type Body = Record<string, unknown>;

const invalid = (message: string): DomainError => new DomainError('invalid_input', message);

export function requireBody(body: unknown, allowed: readonly string[]): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('The request body must be a JSON object.');
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(`Unknown field(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
  return body as Body;
}

export function optionalBody(body: unknown, allowed: readonly string[]): Body {
  return body === undefined || body === null || body === '' ? {} : requireBody(body, allowed);
}

export function readText(
  body: Body,
  field: string,
  rules: { required: boolean; max: number; pattern?: RegExp; patternHint?: string },
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (rules.required) throw invalid(`${field} is required.`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(`${field} must be a string.`);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(`${field} must not be empty.`);
  if (trimmed.length > rules.max) throw invalid(`${field} must be at most ${rules.max} characters.`);
  if (rules.pattern && !rules.pattern.test(trimmed)) throw invalid(`${field} ${rules.patternHint ?? 'has an invalid format'}.`);
  return trimmed;
}

export function readFutureTime(body: Body, field: string): Date | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(`${field} must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z.`);
  }
  const time = new Date(value);
  if (time.getTime() <= Date.now()) throw invalid(`${field} must be in the future.`);
  return time;
}

export interface PageQuery {
  readonly limit: number;
  readonly after?: KeysetCursor;
}

export function readPageQuery(query: { limit?: string; cursor?: string }): PageQuery {
  let limit = 50;
  if (query.limit !== undefined) {
    if (!/^\d+$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > 200) {
      throw invalid('limit must be a whole number from 1 to 200.');
    }
    limit = Number(query.limit);
  }
  if (query.cursor === undefined || query.cursor === '') return { limit };
  const after = decodeCursor(query.cursor);
  if (!after) throw invalid('cursor is not a cursor this API issued.');
  return { limit, after };
}

export function requireUuidParam(value: string, what: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new DomainError('not_found', `No ${what} with id ${JSON.stringify(value)}.`);
  }
  return value.toLowerCase();
}
