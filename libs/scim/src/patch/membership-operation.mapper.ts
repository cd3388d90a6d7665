import { ScimError } from '../errors/scim-error';
import type { FilterNode } from '../filter/filter-ast';
import { parseMemberInputs } from '../resource/group-member.parser';
import { memberIdsOf } from './member-filter.util';
import type { MembershipChange, MembershipOperation, PatchOpName } from './patch-operation';

function removal(filter: FilterNode): MembershipChange {
  const ids = memberIdsOf(filter);
  return ids ? { type: 'remove', ids } : { type: 'removeWhere', filter };
}

/**
 * A PATCH operation on Group `members` as membership changes (RFC 7644 §3.5.2, the member
 * examples of §3.5.2.1-3), so that no operation needs the member list:
 * - add `members` [values] → add;
 * - replace `members` [values] → replace the whole list (null or [] → remove all);
 * - remove `members` → remove all; remove `members[filter]` → ids, or a filter for SQL;
 * - remove `members` with a `value` list → remove those ids: Entra without aadOptscim062020
 *   (Microsoft known-issues page; MicrosoftDocs/azure-docs#30826, landscape.md §4.A);
 * - replace `members[filter]` with values → remove the matched, add the values.
 * Member sub-attributes are immutable (RFC 7643 §4.2): paths into them → 400 mutability.
 */
export function toMembershipOperations(op: PatchOpName, path: string, filter: FilterNode | undefined, subAttribute: string | undefined, value: unknown): MembershipOperation[] {
  if (subAttribute !== undefined) {
    throw ScimError.badRequest('mutability', `${path}: the sub-attributes of members are immutable; add or remove the member instead.`);
  }
  const changes: MembershipChange[] = [];
  if (op === 'add') {
    if (filter) throw ScimError.badRequest('invalidPath', `${path}: add takes the members path without a filter.`);
    if (value === undefined) throw ScimError.badRequest('invalidValue', `${path}: add requires a value.`);
    changes.push({ type: 'add', members: parseMemberInputs(value, 'members') });
  } else if (op === 'replace') {
    if (value === undefined) throw ScimError.badRequest('invalidValue', `${path}: replace requires a value.`);
    if (filter) changes.push(removal(filter), { type: 'add', members: parseMemberInputs(value, 'members') });
    else changes.push({ type: 'replace', members: parseMemberInputs(value, 'members') });
  } else if (filter) {
    changes.push(removal(filter));
  } else if (value !== undefined && value !== null) {
    changes.push({ type: 'remove', ids: parseMemberInputs(value, 'members').map((m) => m.value) });
  } else {
    changes.push({ type: 'removeAll' });
  }
  return changes.map((change) => ({ kind: 'members', op, path, change }));
}
