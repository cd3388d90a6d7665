import { ScimError } from '../errors/scim-error';
import { findKey, isJsonObject } from './json-value.util';

/** A member named by a request: the member's id and, when the client said so, its type. */
export interface MemberInput {
  readonly value: string;
  readonly type?: 'User' | 'Group';
}

function memberType(element: Record<string, unknown>, label: string): 'User' | 'Group' | undefined {
  const typeKey = findKey(element, 'type');
  const type = typeKey === undefined ? undefined : element[typeKey];
  if (type !== undefined && type !== null) {
    // RFC 7643 §4.2: canonical values "User" and "Group"; clients vary the case.
    if (typeof type === 'string' && /^(user|group)$/i.test(type.trim())) return type.trim().toLowerCase() === 'group' ? 'Group' : 'User';
    throw ScimError.badRequest('invalidValue', `${label}.type: expected "User" or "Group", got ${JSON.stringify(type)}.`);
  }
  // Without a type, a $ref to …/Groups/{id} still says what the member is (RFC 7643 §4.2).
  const refKey = findKey(element, '$ref');
  const ref = refKey === undefined ? undefined : element[refKey];
  if (typeof ref === 'string') {
    if (/\/Groups\/[^/]+\/?$/i.test(ref)) return 'Group';
    if (/\/Users\/[^/]+\/?$/i.test(ref)) return 'User';
  }
  return undefined;
}

/**
 * The members of a Group body or PATCH value: each needs a non-empty `value` (the member's id,
 * RFC 7643 §4.2); `display` is ignored (read-only here, derived from the member); duplicates
 * collapse to the first. A lone object or a bare id string is accepted where an array belongs.
 * null or an empty array means no members.
 */
export function parseMemberInputs(value: unknown, label = 'members'): MemberInput[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const members = new Map<string, MemberInput>();
  items.forEach((item, index) => {
    const itemLabel = `${label}[${index}]`;
    if (item === null) return;
    if (typeof item === 'string') {
      if (item.trim() === '') throw ScimError.badRequest('invalidValue', `${itemLabel}.value: a member id is required.`);
      if (!members.has(item.trim())) members.set(item.trim(), { value: item.trim() });
      return;
    }
    if (!isJsonObject(item)) throw ScimError.badRequest('invalidValue', `${itemLabel}: expected a member object with a "value".`);
    const valueKey = findKey(item, 'value');
    const id = valueKey === undefined ? undefined : item[valueKey];
    if (typeof id !== 'string' || id.trim() === '') throw ScimError.badRequest('invalidValue', `${itemLabel}.value: a member id is required.`);
    const type = memberType(item, itemLabel);
    if (!members.has(id.trim())) members.set(id.trim(), { value: id.trim(), ...(type ? { type } : {}) });
  });
  return [...members.values()];
}
