import type { FilterNode } from '../filter/filter-ast';
import type { MemberInput } from '../resource/group-member.parser';
import type { ResolvedAttribute } from '../schema/attribute-reference.resolver';

/** RFC 7644 §3.5.2: the three PATCH operations, lower-cased by the normalizer. */
export type PatchOpName = 'add' | 'remove' | 'replace';

/** An operation on a document attribute, its path resolved and its value typed. */
export interface AttributeOperation {
  readonly kind: 'attribute';
  readonly op: PatchOpName;
  /** The path as the client wrote it, or the key of a pathless value it was expanded from. */
  readonly path: string;
  readonly target: ResolvedAttribute;
  /** The valuePath filter (`emails[type eq "work"]`) selecting elements of a multi-valued attribute. */
  readonly filter?: FilterNode;
  /** add/replace: the canonical value for the target (an array for a whole multi-valued attribute). */
  readonly value?: unknown;
  /**
   * remove of a multi-valued attribute with a `value` (Entra's shape, generalised from
   * `members`): the elements to take out, each matched by the sub-attributes it gives.
   */
  readonly values?: readonly unknown[];
}

/** remove of a whole extension object (`"path": "urn:…:enterprise:2.0:User"`). */
export interface ExtensionRemoval {
  readonly kind: 'extension';
  readonly op: 'remove';
  readonly path: string;
  readonly urn: string;
}

/** The writeOnly password (RFC 7643 §4.1.1): handed to the caller to hash, never stored. */
export interface PasswordOperation {
  readonly kind: 'password';
  readonly op: PatchOpName;
  readonly path: string;
  readonly value?: string;
}

/** A change to Group membership; applied to rows by the storage layer, never to a list in memory. */
export type MembershipChange =
  | { readonly type: 'add'; readonly members: readonly MemberInput[] }
  | { readonly type: 'remove'; readonly ids: readonly string[] }
  | { readonly type: 'removeWhere'; readonly filter: FilterNode }
  | { readonly type: 'removeAll' }
  | { readonly type: 'replace'; readonly members: readonly MemberInput[] };

export interface MembershipOperation {
  readonly kind: 'members';
  readonly op: PatchOpName;
  readonly path: string;
  readonly change: MembershipChange;
}

export type NormalizedPatchOperation = AttributeOperation | ExtensionRemoval | PasswordOperation | MembershipOperation;

/**
 * The net membership change of one PATCH request, for the storage layer. Apply in this order:
 * if `removeAll`, delete every membership row and insert `replaceWith`; otherwise delete the
 * rows of `remove` and those matching `removeWhere`, then insert `add` (idempotently: adding
 * an existing member changes nothing, RFC 7644 §3.5.2.1).
 */
export interface MembershipDelta {
  readonly add: readonly MemberInput[];
  /** Member ids to delete. */
  readonly remove: readonly string[];
  /** True when the request replaced or removed the whole member list; then `replaceWith` is set and `add`/`remove` are empty. */
  readonly removeAll: boolean;
  readonly replaceWith?: readonly MemberInput[];
  /**
   * A filter over member elements (paths relative to a member: `value`, `type`, `display`),
   * e.g. from `members[type eq "Group"]`, for the storage layer to compile to SQL. Filters that
   * only name ids (`value eq "a" or value eq "b"`) arrive in `remove` instead.
   */
  readonly removeWhere?: FilterNode;
}
