import type { JsonObject } from '../resource/json-value.util';
import { userFieldsOf, UserFields } from '../resource/user-write.preparer';
import { applyPatch } from './patch.engine';

export interface PatchedUser extends UserFields {
  readonly resource: JsonObject;
  readonly password?: string;
  readonly changedAttributes: readonly string[];
  readonly changed: boolean;
}

/** PATCH /Users/{id}: Entra deprovisions and updates this way, Okta deactivates with active=false. */
export function patchUser(stored: JsonObject, body: unknown): PatchedUser {
  const { resource, password, changedAttributes, changed } = applyPatch(stored, body, 'User');
  return { resource, ...userFieldsOf(resource), ...(password !== undefined ? { password } : {}), changedAttributes, changed };
}
