import { SCHEMAS_BY_RESOURCE } from '../schema/core-schemas';
import { changedAttributesBetween } from './changed-attributes.util';
import { keepImmutableAttributes } from './immutable-attributes.util';
import { JsonObject } from './json-value.util';
import { canonicalizeResource } from './resource-document.canonicalizer';

/** The columns the storage layer keeps beside the User document. */
export interface UserFields {
  readonly userName: string;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly active: boolean;
}

export interface PreparedUserWrite extends UserFields {
  /** The document to store (no id, meta, groups, schemas or password). */
  readonly resource: JsonObject;
  /** Present when the request set a password: hash it, never store it as given. */
  readonly password?: string;
  /** Attributes the write changes (all present ones on create), plus `password` when set. */
  readonly changedAttributes: readonly string[];
  readonly ignoredAttributes: readonly string[];
}

export interface PrepareWriteOptions {
  /** The stored document, for PUT (RFC 7644 §3.5.1); absent for POST. */
  readonly existing?: JsonObject;
}

/** Reads the column values out of a canonical User document. */
export function userFieldsOf(document: JsonObject): UserFields {
  return {
    userName: document.userName as string,
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
    displayName: typeof document.displayName === 'string' ? document.displayName : null,
    active: document.active !== false,
  };
}

/**
 * A User body of a POST or PUT, validated and canonicalized (see canonicalizeResource).
 *
 * `active` has no default in RFC 7643 §4.1.1. On create a user without it is active; on PUT
 * an omitted `active` keeps the stored state (RFC 7644 §3.5.1 lets the server "assign a default
 * value"), so a replace that forgets the flag never reactivates a deprovisioned user.
 */
export function prepareUserForWrite(body: unknown, options: PrepareWriteOptions = {}): PreparedUserWrite {
  const incoming = canonicalizeResource(body, 'User');
  const existing = options.existing ? canonicalizeResource(options.existing, 'User', { checkRequired: false }).document : undefined;
  let resource = existing ? keepImmutableAttributes(SCHEMAS_BY_RESOURCE.User, existing, incoming.document) : incoming.document;
  if (resource.active === undefined) resource = { ...resource, active: existing?.active === false ? false : true };
  const changedAttributes = changedAttributesBetween(existing ?? {}, resource);
  return {
    resource,
    ...userFieldsOf(resource),
    ...(incoming.password !== undefined ? { password: incoming.password } : {}),
    changedAttributes: incoming.password !== undefined ? [...changedAttributes, 'password'] : changedAttributes,
    ignoredAttributes: incoming.ignoredAttributes,
  };
}
