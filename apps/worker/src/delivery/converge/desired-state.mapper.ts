import { createHash } from 'node:crypto';
import type { DesiredGroup, DesiredUser } from '@delta/connectors';

/** A users row as `to_jsonb(u)` gives it (snake_case, profile included). */
export type UserRow = Record<string, unknown> & { id: string };
export type GroupRow = Record<string, unknown> & { id: string };

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const object = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** What an app should hold for a user: the product's mapped fields first, the SCIM document beside them. */
export function toDesiredUser(row: UserRow): DesiredUser {
  const profile = object(row.profile);
  const resource = object(row.resource);
  return {
    id: row.id,
    userName: String(row.user_name ?? ''),
    externalId: text(row.external_id),
    email: text(profile.email_address),
    firstName: text(profile.first_name),
    lastName: text(profile.last_name),
    displayName: text(row.display_name),
    active: typeof profile.active === 'boolean' ? profile.active : row.active !== false,
    scim: { ...resource, userName: row.user_name, ...(row.external_id ? { externalId: row.external_id } : {}), active: row.active !== false },
    profile,
  };
}

export function toDesiredGroup(row: GroupRow): DesiredGroup {
  return { id: row.id, displayName: String(row.display_name ?? ''), externalId: text(row.external_id) };
}

/** A digest of what was last written to the app: an unchanged user costs no call. */
export function stateHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
