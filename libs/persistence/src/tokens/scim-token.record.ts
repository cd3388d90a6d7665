export interface ScimTokenRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Only the authenticator sees the hash. */
export interface ScimTokenSecretRecord extends ScimTokenRecord {
  readonly secretHash: string;
}
