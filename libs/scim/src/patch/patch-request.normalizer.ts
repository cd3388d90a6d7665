import { ScimError } from '../errors/scim-error';
import { parsePatchPath } from '../path/attribute-path.parser';
import { coerceAttributeValue, coerceSingleValue } from '../resource/attribute-value.coercer';
import { findKey, isJsonObject, cloneJson, JsonObject } from '../resource/json-value.util';
import { resolveAttributePath, ResolvedAttribute, schemaContainerOf } from '../schema/attribute-reference.resolver';
import { findSubAttribute, ResourceKind } from '../schema/core-schemas';
import { PATCH_OP_SCHEMA } from '../schema/schema-definition';
import type { FilterNode } from '../filter/filter-ast';
import type { PatchPath } from '../path/attribute-path';
import { toMembershipOperations } from './membership-operation.mapper';
import type { NormalizedPatchOperation, PatchOpName } from './patch-operation';

const OPS: readonly PatchOpName[] = ['add', 'remove', 'replace'];

interface Context {
  readonly kind: ResourceKind;
  readonly op: PatchOpName;
  /** The operation had no path: its value's keys are being expanded (RFC 7644 §3.5.2.1, §3.5.2.3). */
  readonly pathless: boolean;
  readonly out: NormalizedPatchOperation[];
}

function parsePath(text: string): PatchPath {
  try {
    return parsePatchPath(text);
  } catch (error) {
    if (error instanceof ScimError) throw error;
    throw ScimError.badRequest('invalidPath', `"${text}" is not a valid attribute path.`);
  }
}

/** The typed value an add/replace writes at the target; undefined means unassigned. */
function typedValue(target: ResolvedAttribute, filter: FilterNode | undefined, value: unknown, label: string): unknown {
  if (!target.definition) return cloneJson(value);
  if (target.subDefinition) return coerceAttributeValue(target.subDefinition, value, label);
  if (filter) {
    // One element of a multi-valued attribute; a one-element array is taken as that element.
    const element = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (Array.isArray(element)) throw ScimError.badRequest('invalidValue', `${label}: expected one ${target.definition.name} value, got an array.`);
    return coerceSingleValue(target.definition, element, label);
  }
  return coerceAttributeValue(target.definition, value, label);
}

function emitAttribute(ctx: Context, path: string, target: ResolvedAttribute, filter: FilterNode | undefined, value: unknown): void {
  const { definition, subDefinition } = target;
  if (definition?.mutability === 'readOnly' || subDefinition?.mutability === 'readOnly') {
    // Clients echo whole representations in pathless values (Okta's group rename sends `id`):
    // ignored there as on PUT (RFC 7644 §3.5.1); an explicit path to them is an error.
    if (ctx.pathless) return;
    throw ScimError.badRequest('mutability', `${path} is read-only.`);
  }
  if (definition?.mutability === 'writeOnly') {
    if (ctx.op === 'remove') return void ctx.out.push({ kind: 'password', op: 'remove', path });
    const password = coerceAttributeValue(definition, value, path);
    if (password !== undefined) ctx.out.push({ kind: 'password', op: ctx.op, path, value: password as string });
    return;
  }
  if (ctx.kind === 'Group' && !target.container && definition?.name === 'members') {
    ctx.out.push(...toMembershipOperations(ctx.op, path, filter, subDefinition?.name, value));
    return;
  }
  if (ctx.op === 'remove') {
    const values =
      value !== undefined && value !== null && definition?.multiValued && !filter && !subDefinition
        ? ((coerceAttributeValue(definition, value, path) as unknown[] | undefined) ?? [])
        : undefined;
    ctx.out.push({ kind: 'attribute', op: 'remove', path, target, ...(filter ? { filter } : {}), ...(values ? { values } : {}) });
    return;
  }
  if (value === undefined) throw ScimError.badRequest('invalidValue', `${path}: ${ctx.op} requires a value.`);
  const typed = typedValue(target, filter, value, path);
  // null (or nothing left after typing) means unassigned (RFC 7644 §3.5.1, RFC 7643 §2.5):
  // replace with it removes; add of nothing changes nothing.
  if (typed === undefined) {
    if (ctx.op === 'replace') ctx.out.push({ kind: 'attribute', op: 'remove', path, target, ...(filter ? { filter } : {}) });
    return;
  }
  ctx.out.push({ kind: 'attribute', op: ctx.op, path, target, ...(filter ? { filter } : {}), value: typed });
}

function expandObject(ctx: Context, value: unknown, label: string): void {
  if (!isJsonObject(value)) throw ScimError.badRequest('invalidSyntax', `${label}: without a path, the value must be an object of attributes.`);
  const inner: Context = { ...ctx, pathless: true };
  for (const [key, item] of Object.entries(value)) {
    if (key.toLowerCase() !== 'schemas') expandPath(inner, key, item);
  }
}

function expandContainer(ctx: Context, urn: string, isCore: boolean, known: boolean, path: string, value: unknown): void {
  if (isCore) {
    if (ctx.op === 'remove') throw ScimError.badRequest('invalidPath', `${path}: the core schema cannot be removed.`);
    return expandObject(ctx, value, path);
  }
  if (ctx.op === 'remove' || value === null) {
    if (ctx.op !== 'add') ctx.out.push({ kind: 'extension', op: 'remove', path, urn });
    return;
  }
  if (!isJsonObject(value)) throw ScimError.badRequest('invalidValue', `${path}: expected an object of extension attributes.`);
  // A whole extension object in add/replace is a complex value: each attribute is written,
  // the others left unchanged (RFC 7644 §3.5.2.1, §3.5.2.3).
  for (const [key, item] of Object.entries(value)) {
    const dot = key.indexOf('.');
    const target = known
      ? resolveAttributePath(dot < 0 ? { schema: urn, attribute: key } : { schema: urn, attribute: key.slice(0, dot), subAttribute: key.slice(dot + 1) }, ctx.kind)
      : { container: urn, name: key };
    if (target) emitAttribute({ ...ctx, pathless: true }, `${urn}:${key}`, target, undefined, item);
  }
}

/**
 * One path (an operation's, or a key of a pathless value: dotted `name.givenName`,
 * URN-qualified `urn:…:enterprise:2.0:User:employeeNumber`, or even a filter key
 * `emails[type eq "work"].value`, which Entra with aadOptscim062020 puts in pathless replace
 * values; Microsoft known-issues page, landscape.md §1.10) into resolved operations.
 */
function expandPath(ctx: Context, text: string, value: unknown): void {
  const container = schemaContainerOf(text, ctx.kind);
  if (container) return expandContainer(ctx, container.urn, container.isCore, Boolean(container.extension), text, value);
  const parsed = parsePath(text);
  const attribute = resolveAttributePath(parsed.attribute, ctx.kind);
  if (!attribute) {
    // Unknown keys of a pathless value are dropped, as unknown attributes of a POST body are.
    if (ctx.pathless) return;
    throw ScimError.badRequest('invalidPath', `${text}: no such attribute.`);
  }
  let target = attribute;
  if (parsed.valueFilter) {
    if (attribute.definition && !attribute.definition.multiValued) throw ScimError.badRequest('invalidPath', `${text}: a filter applies only to a multi-valued attribute.`);
    if (attribute.subName !== undefined) throw ScimError.badRequest('invalidPath', `${text}: the filter must follow the attribute name.`);
    if (parsed.subAttribute !== undefined) {
      const subDefinition = attribute.definition ? findSubAttribute(attribute.definition, parsed.subAttribute) : undefined;
      if (attribute.definition && !subDefinition) throw ScimError.badRequest('invalidPath', `${text}: no such sub-attribute.`);
      target = { ...attribute, subName: subDefinition?.name ?? parsed.subAttribute, ...(subDefinition ? { subDefinition } : {}) };
    }
  }
  emitAttribute(ctx, text, target, parsed.valueFilter, value);
}

function checkSchemas(body: JsonObject): void {
  const key = findKey(body, 'schemas');
  if (key === undefined) return; // Tolerated: the endpoint and method already say this is a PatchOp.
  const schemas = body[key];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    throw ScimError.badRequest('invalidSyntax', `schemas must contain "${PATCH_OP_SCHEMA}" (RFC 7644 §3.5.2).`);
  }
}

function opName(operation: JsonObject, label: string): PatchOpName {
  const key = findKey(operation, 'op');
  const raw = key === undefined ? undefined : operation[key];
  // Entra sends "Add"/"Replace"/"Remove" (landscape.md §1.10, §4.A; scim-patch PR #6).
  const op = typeof raw === 'string' ? (raw.trim().toLowerCase() as PatchOpName) : undefined;
  if (!op || !OPS.includes(op)) throw ScimError.badRequest('invalidSyntax', `${label}.op must be "add", "remove" or "replace", got ${JSON.stringify(raw ?? null)}.`);
  return op;
}

/**
 * Validates a PatchOp message (RFC 7644 §3.5.2) and normalizes what IdPs really send into
 * resolved operations with typed values, before any RFC semantics apply:
 * - `schemas` may be missing; when present it must name the PatchOp schema;
 * - `Operations` (any case) must be an array; an empty one is a no-op (the Microsoft
 *   validator sends it, scimmy#90, landscape.md §4.C);
 * - op names in any case; "True"/"False" on booleans; Entra's bare `manager` string → {value};
 * - pathless add/replace values expanded key by key into path operations;
 * - Group `members` operations turned into membership changes (see toMembershipOperations).
 * Unknown op → 400 invalidSyntax; remove without path → 400 noTarget (RFC 7644 §3.5.2.2).
 */
export function normalizePatchRequest(body: unknown, kind: ResourceKind): NormalizedPatchOperation[] {
  if (!isJsonObject(body)) throw ScimError.badRequest('invalidSyntax', 'The PATCH body must be a JSON object.');
  checkSchemas(body);
  const operationsKey = findKey(body, 'Operations');
  const operations = operationsKey === undefined ? undefined : body[operationsKey];
  if (!Array.isArray(operations)) throw ScimError.badRequest('invalidSyntax', 'Operations must be an array of operations (RFC 7644 §3.5.2).');
  const out: NormalizedPatchOperation[] = [];
  operations.forEach((operation, index) => {
    const label = `Operations[${index}]`;
    if (!isJsonObject(operation)) throw ScimError.badRequest('invalidSyntax', `${label} must be an object.`);
    const op = opName(operation, label);
    const pathKey = findKey(operation, 'path');
    const valueKey = findKey(operation, 'value');
    const rawPath = pathKey === undefined ? undefined : operation[pathKey];
    const value = valueKey === undefined ? undefined : operation[valueKey];
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') throw ScimError.badRequest('invalidPath', `${label}.path must be a string.`);
    const path = typeof rawPath === 'string' ? rawPath.trim() : '';
    const ctx: Context = { kind, op, pathless: path === '', out };
    if (path !== '') return expandPath(ctx, path, value);
    if (op === 'remove') throw ScimError.badRequest('noTarget', `${label}: remove requires a path (RFC 7644 §3.5.2.2).`);
    expandObject(ctx, value, `${label}.value`);
  });
  return out;
}
