/** A user as the /v1 API and the product's webhooks show it (snake_case, mapped fields only). */
export interface ApiUser {
  readonly id: string;
  readonly email_address: string | null;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly external_id: string | null;
  readonly active: boolean;
  readonly organization_role: string | null;
  readonly public_metadata: Record<string, unknown>;
  readonly private_metadata: Record<string, unknown>;
  readonly groups: { id: string; display_name: string }[];
  readonly created_at: string;
  readonly updated_at: string;
}

/**
 * A users row as `to_jsonb(u)` (the outbox snapshot) or a `SELECT u.*` gives it: snake_case
 * columns; timestamps as ISO strings or Dates.
 */
export interface UserRowLike {
  readonly id: string;
  readonly active?: boolean;
  readonly profile?: Record<string, unknown> | null;
  readonly created_at: string | Date;
  readonly updated_at: string | Date;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const object = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const iso = (value: string | Date): string => new Date(value).toISOString();

/**
 * The API user from a users row and its groups. Pure, allowlisted: the SCIM document, password
 * hash and any future column stay invisible. A row never mapped yet (`profile` `{}`) shows null
 * fields and the row's SCIM `active`.
 */
export function toApiUser(row: UserRowLike, groups: readonly { id: string; display_name: string }[] = []): ApiUser {
  const profile = object(row.profile);
  return {
    id: row.id,
    email_address: text(profile.email_address),
    first_name: text(profile.first_name),
    last_name: text(profile.last_name),
    external_id: text(profile.external_id),
    active: typeof profile.active === 'boolean' ? profile.active : row.active !== false,
    organization_role: text(profile.organization_role),
    public_metadata: object(profile.public_metadata),
    private_metadata: object(profile.private_metadata),
    groups: groups.map((g) => ({ id: g.id, display_name: g.display_name })),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}
