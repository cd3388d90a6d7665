import type { UserField } from './mapping-config';

export interface DefaultMapping {
  readonly path: string;
  readonly target: UserField;
}

/**
 * The mappings every organization starts with (product spec, and the Google Workspace guide's
 * "built-ins" table). Listed in precedence order: where two defaults feed one field, the earlier
 * one wins when it has a value. Google sends the primary address only as `userName`; Entra ID
 * and Okta send `emails` with a primary flag, and their `userName` can be a UPN or login that
 * is not a mailbox, so the primary email goes first.
 */
export const DEFAULT_MAPPINGS: readonly DefaultMapping[] = Object.freeze([
  { path: 'emails[primary eq true].value', target: 'email_address' },
  { path: 'userName', target: 'email_address' },
  { path: 'name.givenName', target: 'first_name' },
  { path: 'name.familyName', target: 'last_name' },
  { path: 'externalId', target: 'external_id' },
  { path: 'active', target: 'active' },
]);
