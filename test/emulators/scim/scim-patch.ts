import { matchesFilter, parseFilter, ScimFilterError } from './scim-filter';

/**
 * RFC 7644 §3.5.2 PATCH on a plain JSON resource: `add`, `replace`, `remove` (op names
 * case-insensitive, as Entra sends `Replace`), with or without `path`, value-filtered paths
 * (`members[value eq "W1"]`, `emails[type eq "work"].value`) and extension URN prefixes.
 * Returns a new resource; the caller validates the result (uniqueness, required attributes).
 */

export class ScimPatchError extends Error {
  constructor(
    readonly scimType: 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'mutability',
    message: string,
  ) {
    super(message);
  }
}

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Json = Record<string, unknown>;
interface Operation {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

/** Attributes a client may not write (RFC 7643 §3.1 `mutability: readOnly`). */
const READ_ONLY = new Set(['id', 'meta', 'schemas']);

export function applyPatch(resource: Json, body: unknown): Json {
  const ops = (body as { Operations?: unknown } | undefined)?.Operations;
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimPatchError('invalidSyntax', 'PATCH body needs a non-empty Operations array');
  const out = structuredClone(resource);
  for (const raw of ops as Operation[]) {
    const op = typeof raw?.op === 'string' ? raw.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new ScimPatchError('invalidSyntax', `Unknown op: ${String(raw?.op)}`);
    const path = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path.trim() : undefined;
    if (path === undefined) {
      if (op === 'remove') throw new ScimPatchError('noTarget', 'remove needs a path');
      if (raw.value === null || typeof raw.value !== 'object' || Array.isArray(raw.value)) throw new ScimPatchError('invalidValue', 'op without path needs an object value');
      for (const [key, value] of Object.entries(raw.value as Json)) {
        if (key.startsWith('urn:') && value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [sub, subValue] of Object.entries(value as Json)) applyAt(out, `${key}:${sub}`, op, subValue);
        } else applyAt(out, key, op, value);
      }
    } else applyAt(out, path, op, raw.value);
  }
  return out;
}

const PATH = /^([A-Za-z][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z][\w$-]*))?$/;

function applyAt(resource: Json, fullPath: string, op: 'add' | 'replace' | 'remove', value: unknown): void {
  let container = resource;
  let path = fullPath;
  const urn = /^(urn:[^[\]]+):([^:[\]]+(?:\[.+\])?(?:\.[^:]+)?)$/.exec(fullPath);
  if (urn) {
    path = urn[2];
    if (!/^urn:ietf:params:scim:schemas:core:2\.0:/i.test(urn[1])) {
      container = ensureObject(resource, urn[1]);
    }
  }
  const m = PATH.exec(path);
  if (!m) throw new ScimPatchError('invalidPath', `Unsupported path: ${fullPath}`);
  const [, attrName, filterText, sub] = m;
  if (READ_ONLY.has(attrName.toLowerCase())) throw new ScimPatchError('mutability', `${attrName} is read-only`);
  const key = keyOf(container, attrName);

  if (filterText !== undefined) {
    applyFiltered(container, key, filterText, sub, op, value, fullPath);
    return;
  }
  if (sub !== undefined) {
    const parent = ensureObject(container, key);
    const subKey = keyOf(parent, sub);
    if (op === 'remove') delete parent[subKey];
    else parent[subKey] = value;
    return;
  }
  const existing = container[key];
  if (op === 'remove') {
    // Entra removes members with `path: "members", value: [{value}]` instead of a filter.
    if (Array.isArray(existing) && Array.isArray(value)) {
      const drop = new Set(value.map((v) => valueKey(v)));
      container[key] = existing.filter((e) => !drop.has(valueKey(e)));
    } else delete container[key];
    return;
  }
  if (op === 'add' && Array.isArray(existing)) {
    const incoming = Array.isArray(value) ? value : [value];
    const seen = new Set(existing.map((e) => valueKey(e)));
    container[key] = [...existing, ...incoming.filter((v) => !seen.has(valueKey(v)))];
    return;
  }
  if (op === 'add' && isObject(existing) && isObject(value)) {
    container[key] = { ...existing, ...value };
    return;
  }
  container[key] = value;
}

function applyFiltered(container: Json, key: string, filterText: string, sub: string | undefined, op: string, value: unknown, fullPath: string): void {
  let filter;
  try {
    filter = parseFilter(filterText);
  } catch (error) {
    if (error instanceof ScimFilterError) throw new ScimPatchError('invalidPath', `Bad value filter in ${fullPath}`);
    throw error;
  }
  const list = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
  const hits = list.filter((e) => isObject(e) && matchesFilter(e, filter));
  if (op === 'remove') {
    container[key] = sub === undefined ? list.filter((e) => !hits.includes(e)) : list.map((e) => (hits.includes(e) ? omit(e as Json, sub) : e));
    return;
  }
  if (hits.length === 0) {
    if (op === 'replace' && sub === undefined) throw new ScimPatchError('noTarget', `No value matches ${fullPath}`);
    // Entra/Okta send `emails[type eq "work"].value` for an email that does not exist yet:
    // build the element from the filter's eq terms.
    const seed: Json = {};
    for (const c of filter.flat()) if (c.op === 'eq') seed[c.attr] = c.value;
    container[key] = [...list, sub === undefined ? { ...seed, ...(value as Json) } : { ...seed, [sub]: value }];
    return;
  }
  container[key] = list.map((e) => {
    if (!hits.includes(e)) return e;
    return sub === undefined ? { ...(e as Json), ...(value as Json) } : { ...(e as Json), [keyOf(e as Json, sub)]: value };
  });
}

function keyOf(obj: Json, name: string): string {
  return Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function ensureObject(obj: Json, name: string): Json {
  const key = keyOf(obj, name);
  if (!isObject(obj[key])) obj[key] = {};
  return obj[key] as Json;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function omit(obj: Json, name: string): Json {
  const key = keyOf(obj, name);
  const { [key]: _dropped, ...rest } = obj;
  return rest;
}

/** Multi-valued elements are the same when their `value` is (RFC 7643 §2.4), else when equal as JSON. */
function valueKey(v: unknown): string {
  return isObject(v) && 'value' in v ? `v:${String(v.value)}` : `j:${JSON.stringify(v)}`;
}
