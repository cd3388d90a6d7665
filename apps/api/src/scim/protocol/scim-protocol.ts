import { Injectable } from '@nestjs/common';
import { compileMemberCondition, compileScimFilter, compileScimSort } from '@delta/persistence';
import type { FilterNode } from '@delta/scim/filter/filter-ast';
import { parseFilter } from '@delta/scim/filter/filter.parser';
import type { MembershipDelta } from '@delta/scim/patch/patch-operation';
import { patchGroup, PatchedGroup } from '@delta/scim/patch/group-patch.applier';
import { patchUser, PatchedUser } from '@delta/scim/patch/user-patch.applier';
import { returnsMemberships } from '@delta/scim/projection/membership-request.util';
import { projectResource } from '@delta/scim/projection/resource.projector';
import type { MemberInput } from '@delta/scim/resource/group-member.parser';
import { prepareGroupForWrite, PreparedGroupWrite } from '@delta/scim/resource/group-write.preparer';
import { prepareUserForWrite, PreparedUserWrite } from '@delta/scim/resource/user-write.preparer';

export type ScimResourceType = 'User' | 'Group';
export type { MemberInput, MembershipDelta, PatchedGroup, PatchedUser };
export type PreparedUser = PreparedUserWrite;
export type PreparedGroup = PreparedGroupWrite;

export interface Projection {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

/**
 * The SCIM edge's one door to the pure protocol library (libs/scim) and to the filter and sort
 * compilers: services depend on this class, so they never assemble protocol pieces themselves.
 * Everything here throws ScimError for client mistakes.
 */
@Injectable()
export class ScimProtocol {
  /** Parses `filter` and appends its compiled SQL predicate's parameters to `params`. */
  compileFilter(type: ScimResourceType, filter: string, params: unknown[]): string {
    return compileScimFilter(type, parseFilter(filter), params);
  }

  sortExpression(type: ScimResourceType, sortBy: string): string {
    return compileScimSort(type, sortBy);
  }

  prepareUser(body: unknown, existing?: Record<string, unknown>): PreparedUser {
    return prepareUserForWrite(body, existing ? { existing } : {});
  }

  prepareGroup(body: unknown, existing?: Record<string, unknown>): PreparedGroup {
    return prepareGroupForWrite(body, existing ? { existing } : {});
  }

  patchUser(stored: Record<string, unknown>, body: unknown): PatchedUser {
    return patchUser(stored, body);
  }

  patchGroup(stored: Record<string, unknown>, body: unknown): PatchedGroup {
    return patchGroup(stored, body);
  }

  /** A filter over membership rows (alias `gm`), e.g. from `members[type eq "Group"]`. */
  compileMemberFilter(filter: FilterNode, params: unknown[]): string {
    return compileMemberCondition(filter, 'gm', params);
  }

  project(type: ScimResourceType, representation: Record<string, unknown>, projection: Projection): Record<string, unknown> {
    return projectResource(representation, projection, type);
  }

  /** Whether the projection returns `groups` (User) or `members` (Group): if not, skip reading them. */
  returnsMemberships(type: ScimResourceType, projection: Projection): boolean {
    return returnsMemberships(type, projection);
  }
}
