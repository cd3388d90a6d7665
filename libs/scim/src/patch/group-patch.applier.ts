import { groupFieldsOf, GroupFields } from '../resource/group-write.preparer';
import type { JsonObject } from '../resource/json-value.util';
import type { MembershipDelta } from './patch-operation';
import { applyPatch } from './patch.engine';

export interface PatchedGroup extends GroupFields {
  readonly resource: JsonObject;
  readonly changedAttributes: readonly string[];
  /** True when the document changed or the request touched membership (the storage layer knows whether rows moved). */
  readonly changed: boolean;
  readonly members: MembershipDelta;
}

/**
 * PATCH /Groups/{id} without the member list: the stored document never holds members, and
 * member operations come back as a delta (O(1) in the size of the group).
 */
export function patchGroup(stored: JsonObject, body: unknown): PatchedGroup {
  const { resource, changedAttributes, changed, members } = applyPatch(stored, body, 'Group');
  return { resource, ...groupFieldsOf(resource), changedAttributes, changed, members: members ?? { add: [], remove: [], removeAll: false } };
}
