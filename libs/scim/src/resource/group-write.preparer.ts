import { SCHEMAS_BY_RESOURCE } from '../schema/core-schemas';
import { changedAttributesBetween } from './changed-attributes.util';
import { MemberInput, parseMemberInputs } from './group-member.parser';
import { keepImmutableAttributes } from './immutable-attributes.util';
import { JsonObject } from './json-value.util';
import { canonicalizeResource } from './resource-document.canonicalizer';
import type { PrepareWriteOptions } from './user-write.preparer';

/** The columns the storage layer keeps beside the Group document. */
export interface GroupFields {
  readonly displayName: string;
  readonly externalId: string | null;
}

export interface PreparedGroupWrite extends GroupFields {
  /** The document to store: never `members`, which are membership rows. */
  readonly resource: JsonObject;
  /**
   * The members the body lists (validated, deduplicated); undefined when the body does not
   * mention `members` at all, [] when it gives null or an empty list.
   */
  readonly members?: readonly MemberInput[];
  /** Document attributes the write changes; `members` is judged by the storage layer. */
  readonly changedAttributes: readonly string[];
  readonly ignoredAttributes: readonly string[];
}

export function groupFieldsOf(document: JsonObject): GroupFields {
  return {
    displayName: document.displayName as string,
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
  };
}

/**
 * A Group body of a POST or PUT (Okta pushes renames as PUT, landscape.md §1.10). The member
 * list is returned apart from the document so that the storage layer writes rows and a group
 * of 100k members is never one JSON value.
 */
export function prepareGroupForWrite(body: unknown, options: PrepareWriteOptions = {}): PreparedGroupWrite {
  const incoming = canonicalizeResource(body, 'Group', { detachMembers: true });
  const existing = options.existing ? canonicalizeResource(options.existing, 'Group', { checkRequired: false, detachMembers: true }).document : undefined;
  const resource = existing ? keepImmutableAttributes(SCHEMAS_BY_RESOURCE.Group, existing, incoming.document) : incoming.document;
  return {
    resource,
    ...groupFieldsOf(resource),
    ...(incoming.membersPresent ? { members: parseMemberInputs(incoming.members) } : {}),
    changedAttributes: changedAttributesBetween(existing ?? {}, resource),
    ignoredAttributes: incoming.ignoredAttributes,
  };
}
