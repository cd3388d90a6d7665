export type ActorType = 'scim_token' | 'admin' | 'system';

export interface AuditEntryInput {
  readonly actorType: ActorType;
  readonly actorId?: string | null;
  readonly requestId?: string | null;
  readonly method?: string | null;
  readonly path?: string | null;
  readonly resourceType?: string | null;
  readonly resourceId?: string | null;
  readonly status?: number | null;
  /** What happened, e.g. `organization.created`, `scim_token.revoked`, `user.updated`. */
  readonly action: string;
  /** What changed, never secrets. */
  readonly changes?: unknown;
}

export interface AuditEntryRecord extends AuditEntryInput {
  readonly id: string;
  readonly organizationId: string;
  readonly occurredAt: Date;
}
