import { ScimError } from '../errors/scim-error';
import { changedAttributesBetween } from '../resource/changed-attributes.util';
import { keepImmutableAttributes } from '../resource/immutable-attributes.util';
import { cloneJson, findKey, isJsonObject, JsonObject } from '../resource/json-value.util';
import { elementContains } from '../resource/multi-valued.util';
import { canonicalizeResource } from '../resource/resource-document.canonicalizer';
import { ResourceKind, SCHEMAS_BY_RESOURCE } from '../schema/core-schemas';
import { MembershipDeltaBuilder } from './membership-delta.builder';
import { elementFromFilter, matchingElements, primaryToWritten } from './multi-valued-patch.util';
import type { AttributeOperation, MembershipDelta, NormalizedPatchOperation } from './patch-operation';
import { normalizePatchRequest } from './patch-request.normalizer';

export interface PatchResult {
  /** The patched document, canonical and validated; the stored document is never modified. */
  readonly resource: JsonObject;
  /** Document attributes that differ, plus `password` when set and `members` when touched. */
  readonly changedAttributes: readonly string[];
  readonly changed: boolean;
  /** Set by the request (writeOnly): hash it, never store it. */
  readonly password?: string;
  /** Groups only: the membership delta for the storage layer (never a member list). */
  readonly members?: MembershipDelta;
}

function holderOf(document: JsonObject, container: string | undefined, create: boolean): JsonObject | undefined {
  if (!container) return document;
  const key = findKey(document, container);
  if (key !== undefined && isJsonObject(document[key])) return document[key] as JsonObject;
  if (!create) return undefined;
  const holder: JsonObject = {};
  document[key ?? container] = holder;
  return holder;
}

function withoutKey(element: unknown, name: string): unknown {
  if (!isJsonObject(element)) return element;
  const key = findKey(element, name);
  if (key === undefined) return element;
  const { [key]: _removed, ...rest } = element;
  return rest;
}

const nonEmpty = (element: unknown): boolean => !(isJsonObject(element) && Object.keys(element).length === 0);

function setOrDelete(holder: JsonObject, key: string, elements: unknown[]): void {
  // RFC 7644 §3.5.2.2: with no values left the attribute is unassigned.
  if (elements.length > 0) holder[key] = elements;
  else delete holder[key];
}

/** add / replace (RFC 7644 §3.5.2.1, §3.5.2.3). */
function write(holder: JsonObject, key: string, operation: AttributeOperation): void {
  const { target, filter, value } = operation;
  const definition = target.definition;
  const sub = target.subName;
  const current = holder[key];
  if (filter) {
    let elements = Array.isArray(current) ? [...current] : [];
    const matched = matchingElements(elements, filter, definition);
    const written: unknown[] = [];
    if (matched.length === 0) {
      const template = elementFromFilter(filter, definition);
      if (!template) throw ScimError.badRequest('noTarget', `${operation.path}: the filter matches no value.`);
      const created = sub !== undefined ? { ...template, [sub]: value } : { ...template, ...(isJsonObject(value) ? value : { value }) };
      elements.push(created);
      written.push(created);
    } else {
      elements = elements.map((element) => {
        if (!matched.includes(element)) return element;
        const base = isJsonObject(element) ? element : {};
        // Replace without a sub-attribute replaces the matched values whole (§3.5.2.3); add merges.
        const updated = sub !== undefined ? { ...base, [sub]: value } : operation.op === 'add' && isJsonObject(value) ? { ...base, ...value } : value;
        written.push(updated);
        return updated;
      });
    }
    holder[key] = primaryToWritten(elements, written);
    return;
  }
  if (sub !== undefined) {
    if (definition?.multiValued) {
      // `emails.type` without a filter: every value gets it (one is created if there is none).
      const elements = (Array.isArray(current) && current.length > 0 ? current : [{}]).map((element) => ({ ...(isJsonObject(element) ? element : {}), [sub]: value }));
      holder[key] = primaryToWritten(elements, elements);
    } else {
      holder[key] = { ...(isJsonObject(current) ? current : {}), [sub]: value };
    }
    return;
  }
  if (definition?.multiValued) {
    const incoming = value as unknown[];
    if (operation.op === 'replace' || !Array.isArray(current)) {
      holder[key] = incoming;
      return;
    }
    // Adding a value already present changes nothing (§3.5.2.1).
    const added = incoming.filter((candidate) => !current.some((element) => elementContains(definition, element, candidate)));
    holder[key] = primaryToWritten([...current, ...added], added);
    return;
  }
  if (isJsonObject(current) && isJsonObject(value) && (!definition || definition.type === 'complex')) {
    // A complex value: the sub-attributes given are written, the others left unchanged, for
    // add and for replace alike (§3.5.2.1; §3.5.2.3 "Sub-attributes that are not specified in
    // the value parameter are left unchanged").
    holder[key] = { ...current, ...value };
    return;
  }
  if (!definition && operation.op === 'add' && Array.isArray(current) && Array.isArray(value)) {
    holder[key] = [...current, ...value.filter((v) => !current.some((element) => elementContains(undefined, element, v)))];
    return;
  }
  holder[key] = value;
}

/** remove (RFC 7644 §3.5.2.2). Removing what is not there changes nothing. */
function remove(holder: JsonObject, key: string, operation: AttributeOperation): void {
  const { target, filter, values } = operation;
  const current = holder[key];
  if (current === undefined) return;
  const sub = target.subName;
  if (filter) {
    if (!Array.isArray(current)) return;
    // A filter matching nothing is not an error for remove: the state asked for already holds,
    // and IdPs retrying a removal must not fail.
    const matched = matchingElements(current, filter, target.definition);
    if (matched.length === 0) return;
    const next = sub === undefined ? current.filter((e) => !matched.includes(e)) : current.map((e) => (matched.includes(e) ? withoutKey(e, sub) : e)).filter(nonEmpty);
    setOrDelete(holder, key, next);
    return;
  }
  if (values && Array.isArray(current)) {
    setOrDelete(holder, key, current.filter((element) => !values.some((candidate) => elementContains(target.definition, element, candidate))));
    return;
  }
  if (sub !== undefined) {
    if (Array.isArray(current)) setOrDelete(holder, key, current.map((e) => withoutKey(e, sub)).filter(nonEmpty));
    else if (isJsonObject(current)) {
      const next = withoutKey(current, sub) as JsonObject;
      if (Object.keys(next).length > 0) holder[key] = next;
      else delete holder[key];
    }
    return;
  }
  delete holder[key];
}

function applyAttribute(document: JsonObject, operation: AttributeOperation): void {
  const { target } = operation;
  const holder = holderOf(document, target.container, operation.op !== 'remove');
  if (!holder) return;
  const key = target.definition ? target.name : (findKey(holder, target.name) ?? target.name);
  if (operation.op === 'remove') remove(holder, key, operation);
  else write(holder, key, operation);
  if (target.container && Object.keys(holder).length === 0) {
    const containerKey = findKey(document, target.container);
    if (containerKey !== undefined) delete document[containerKey];
  }
}

/**
 * Applies normalized operations, in order, to a copy of the stored document. Atomic: any
 * failure throws a ScimError before anything is returned, and the caller's document is never
 * touched. After the operations the whole document is validated again as a PUT body would be
 * (types, required attributes such as userName — removing it is 400 invalidValue — one
 * primary), and immutable attributes are checked (400 mutability).
 */
export function applyPatchOperations(stored: JsonObject, operations: readonly NormalizedPatchOperation[], kind: ResourceKind): PatchResult {
  const detachMembers = kind === 'Group';
  const before = canonicalizeResource(stored, kind, { checkRequired: false, detachMembers }).document;
  const working = cloneJson(before);
  const members = new MembershipDeltaBuilder();
  let password: string | undefined;
  for (const operation of operations) {
    switch (operation.kind) {
      case 'attribute':
        applyAttribute(working, operation);
        break;
      case 'extension': {
        const key = findKey(working, operation.urn);
        if (key !== undefined) delete working[key];
        break;
      }
      case 'password':
        // Nothing is stored to remove: a password removal is a no-op.
        if (operation.op !== 'remove') password = operation.value;
        break;
      case 'members':
        members.apply(operation.change);
        break;
    }
  }
  const validated = canonicalizeResource(working, kind, { detachMembers }).document;
  const resource = keepImmutableAttributes(SCHEMAS_BY_RESOURCE[kind], before, validated);
  const changedAttributes = changedAttributesBetween(before, resource);
  if (password !== undefined) changedAttributes.push('password');
  if (!members.isEmpty) changedAttributes.push('members');
  return {
    resource,
    changedAttributes,
    changed: changedAttributes.length > 0,
    ...(password !== undefined ? { password } : {}),
    ...(kind === 'Group' ? { members: members.build() } : {}),
  };
}

/** A PatchOp body (RFC 7644 §3.5.2) normalized and applied to the stored document. */
export function applyPatch(stored: JsonObject, body: unknown, kind: ResourceKind): PatchResult {
  return applyPatchOperations(stored, normalizePatchRequest(body, kind), kind);
}
