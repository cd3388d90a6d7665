import type { GitHubCall, GitHubReply } from './github-http.types';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest/enterprise-admin/scim';

/** SCIM answers are `application/scim+json` (reference §2.2 "Basics"). */
export function scimReply(status: number, body?: unknown): GitHubReply {
  return { status, headers: body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }, body };
}

/**
 * SCIM error `{schemas, detail, status, scimType, message?, documentation_url?}` (§2.4 "Error
 * bodies"). `message` repeats `detail` because Octokit builds its error text from `message` (§2.6).
 */
export function scimError(status: number, detail: string, scimType?: string): GitHubReply {
  return scimReply(status, { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail, message: detail, documentation_url: SCIM_DOCS });
}

/**
 * One `attr eq "value"` filter on an allowed attribute; anything else is a 400 (§2.2
 * "Filtering and pagination": multiple filters are not supported). `emails` matches any value.
 */
export function scimFilter(call: GitHubCall, allowed: readonly string[]): ((resource: Record<string, any>) => boolean) | GitHubReply {
  const filter = call.query.get('filter');
  if (!filter) return () => true;
  const m = /^\s*([A-Za-z.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!m || !allowed.includes(m[1])) return scimError(400, `Unsupported filter: ${filter}`, 'invalidFilter');
  const [, attr, value] = m;
  if (attr === 'emails') return (r) => (r.emails ?? []).some((e: { value?: string }) => e.value?.toLowerCase() === value.toLowerCase());
  // userName compares case-insensitively (RFC 7643 §4.1.1 caseExact false); ids exactly.
  return (r) => (attr === 'userName' ? String(r[attr] ?? '').toLowerCase() === value.toLowerCase() : String(r[attr] ?? '') === value);
}

/** `startIndex` (1-based) and `count` → ListResponse with `totalResults`, `itemsPerPage`, `startIndex`. */
export function scimList(call: GitHubCall, resources: Record<string, any>[]): GitHubReply {
  const startIndex = Math.max(Number(call.query.get('startIndex') ?? 1) || 1, 1);
  const count = Math.max(Number(call.query.get('count') ?? 100) || 0, 0);
  const page = resources.slice(startIndex - 1, startIndex - 1 + count);
  return scimReply(200, { schemas: [LIST], totalResults: resources.length, Resources: page, startIndex, itemsPerPage: page.length });
}

export interface PatchOperation {
  op: string;
  path?: string;
  value?: any;
}

/** The `Operations` array of a PatchOp body, or a 400. */
export function patchOperations(body: any): PatchOperation[] | GitHubReply {
  const ops = body?.Operations;
  if (!Array.isArray(ops) || ops.some((o) => typeof o?.op !== 'string' || !['add', 'replace', 'remove'].includes(o.op.toLowerCase()))) {
    return scimError(400, 'Invalid PATCH body: expected Operations with op add, replace or remove', 'invalidSyntax');
  }
  return ops.map((o) => ({ ...o, op: o.op.toLowerCase() }));
}

/**
 * Applies add/replace/remove to a plain attribute (`active`, `name.givenName`); paths with a
 * filter (`emails[type eq "work"]`) are not supported by GitHub and have no effect (§2.2 "PATCH body").
 * `members` is left to the group handler.
 */
export function applySimpleOperation(resource: Record<string, any>, op: PatchOperation): void {
  if (op.path?.includes('[')) return;
  if (!op.path) {
    if (op.op !== 'remove' && op.value && typeof op.value === 'object') for (const [k, v] of Object.entries(op.value)) setPath(resource, k, v);
    return;
  }
  if (op.op === 'remove') setPath(resource, op.path, undefined);
  else setPath(resource, op.path, op.value);
}

function setPath(resource: Record<string, any>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    if (value === undefined) delete resource[head];
    else resource[head] = value;
    return;
  }
  resource[head] = { ...(resource[head] ?? {}) };
  setPath(resource[head], rest.join('.'), value);
}
