import type { ScimTokenRecord } from '@delta/persistence';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** A token as lists show it: never the secret, never the hash. */
export interface ScimTokenOutput {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
}

/** The creation answer: the only place the plaintext ever appears. */
export interface CreatedScimTokenOutput {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly created_at: string;
  readonly expires_at: string | null;
}

export function toScimTokenOutput(token: ScimTokenRecord): ScimTokenOutput {
  return {
    id: token.id,
    name: token.name,
    created_at: token.createdAt.toISOString(),
    expires_at: iso(token.expiresAt),
    last_used_at: iso(token.lastUsedAt),
    revoked_at: iso(token.revokedAt),
  };
}

export function toCreatedScimTokenOutput(token: ScimTokenRecord, plaintext: string): CreatedScimTokenOutput {
  return {
    id: token.id,
    name: token.name,
    token: plaintext,
    created_at: token.createdAt.toISOString(),
    expires_at: iso(token.expiresAt),
  };
}
