import type { FilterNode } from '../filter/filter-ast';

/**
 * An attribute reference as RFC 7644 §3.10 writes it: `[URN ":"] attr ["." subAttr]`.
 * `schema` is the URN when the path was qualified (or when the attribute lives in an extension);
 * names keep the spelling the client used; resolution against a schema is case-insensitive
 * (RFC 7643 §2.1).
 */
export interface AttributePath {
  readonly schema?: string;
  readonly attribute: string;
  readonly subAttribute?: string;
}

/**
 * A PATCH path (RFC 7644 §3.5.2): `attrPath` or `valuePath ["." subAttr]`, for example
 * `emails[type eq "work"].value` or `members[value eq "2819c223"]`.
 */
export interface PatchPath {
  readonly attribute: AttributePath;
  /** The bracketed filter selecting elements of a multi-valued attribute, when present. */
  readonly valueFilter?: FilterNode;
  /** The sub-attribute after the bracket, e.g. `value` in `emails[type eq "work"].value`. */
  readonly subAttribute?: string;
}
