import { ScimError } from '@delta/scim/errors/scim-error';
import type { WriteOrigin } from '@delta/persistence';
import type { ScimPrincipal } from '../../auth/scim-principal';
import type { Projection } from '../protocol/scim-protocol';

/** What a SCIM use case needs to know about the request that carries it. */
export interface ScimCall {
  readonly principal: ScimPrincipal;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** The organization's SCIM base URL, for meta.location and $ref. */
  readonly baseUrl: string;
  /** Called when the write's own transaction recorded it in the provisioning log. */
  readonly audited: () => void;
}

export function originOf(call: ScimCall, status: number): WriteOrigin {
  return { actorType: 'scim_token', actorId: call.principal.tokenId, method: call.method, path: call.path, status };
}

export function tenantOf(call: ScimCall): { organizationId: string; requestId: string } {
  return { organizationId: call.principal.organizationId, requestId: call.requestId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a resource here, so it is a plain 404. */
export function resourceId(id: string, type: 'User' | 'Group'): string {
  if (!UUID.test(id)) throw ScimError.notFound(`${type} ${id} not found`);
  return id.toLowerCase();
}

/**
 * RFC 7644 §3.14: If-Match carries the ETag(s) the client last saw; `*` matches any.
 * A mismatch is 412 and nothing is changed.
 */
export function assertIfMatch(ifMatch: string | undefined, currentEtag: string): void {
  if (!ifMatch) return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*')) return;
  const strip = (tag: string) => tag.replace(/^W\//, '');
  if (!tags.some((tag) => strip(tag) === strip(currentEtag))) {
    throw new ScimError(412, undefined, `The resource has changed (current version ${currentEtag}).`);
  }
}

export interface ListParams {
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder?: string;
  readonly startIndex?: string | number;
  readonly count?: string | number;
  readonly attributes?: string | readonly string[];
  readonly excludedAttributes?: string | readonly string[];
}

export interface ParsedList {
  readonly filter?: string;
  readonly sortBy?: string;
  readonly descending: boolean;
  readonly startIndex: number;
  readonly count: number;
  readonly projection: Projection;
}

function toInt(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw ScimError.badRequest('invalidValue', `${name} must be an integer.`);
  return n;
}

function toList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (typeof value === 'string' ? value.split(',') : [...value]).map((p) => p.trim()).filter(Boolean);
  return parts.length ? parts : undefined;
}

/**
 * RFC 7644 §3.4.2.4: startIndex is 1-based (values below 1 mean 1); count below 0 means 0, and
 * counts above the advertised maximum are served as the maximum.
 */
function readString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', `${name} must be a string.`);
  return value;
}

function readStringList(value: unknown, name: string): string | readonly string[] | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw ScimError.badRequest('invalidValue', `${name} must be a string or a list of strings.`);
}

/**
 * The list parameters of a query string or a SearchRequest body (RFC 7644 §3.4.3), each checked
 * for its type: a body is client data like any other (`"filter": []` is a 400, not a crash).
 */
export function readListParams(source: unknown): ListParams {
  if (source === undefined || source === null) return {};
  if (typeof source !== 'object' || Array.isArray(source)) throw ScimError.badRequest('invalidSyntax', 'The search request must be a JSON object.');
  const params = source as Record<string, unknown>;
  const number = (name: string): string | number | undefined => {
    const value = params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || typeof value === 'string') return value;
    throw ScimError.badRequest('invalidValue', `${name} must be an integer.`);
  };
  return {
    filter: readString(params.filter, 'filter'),
    sortBy: readString(params.sortBy, 'sortBy'),
    sortOrder: readString(params.sortOrder, 'sortOrder'),
    startIndex: number('startIndex'),
    count: number('count'),
    attributes: readStringList(params.attributes, 'attributes'),
    excludedAttributes: readStringList(params.excludedAttributes, 'excludedAttributes'),
  };
}

export function parseListParams(raw: ListParams, maxResults: number): ParsedList {
  const params = readListParams(raw);
  const startIndex = Math.max(1, toInt(params.startIndex, 'startIndex') ?? 1);
  const requested = toInt(params.count, 'count');
  const count = Math.min(maxResults, Math.max(0, requested ?? maxResults));
  const sortOrder = params.sortOrder?.toLowerCase();
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw ScimError.badRequest('invalidValue', 'sortOrder must be "ascending" or "descending".');
  }
  return {
    filter: params.filter?.trim() ? params.filter : undefined,
    sortBy: params.sortBy?.trim() ? params.sortBy.trim() : undefined,
    descending: sortOrder === 'descending',
    startIndex,
    count,
    projection: parseProjection(params),
  };
}

export function parseProjection(params: Pick<ListParams, 'attributes' | 'excludedAttributes'>): Projection {
  return { attributes: toList(params.attributes), excludedAttributes: toList(params.excludedAttributes) };
}

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ListResponse {
  readonly schemas: string[];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: Record<string, unknown>[];
}
