/** The organization a unit of work runs for; resolved once at the edge and passed explicitly. */
export interface TenantContext {
  readonly organizationId: string;
  /** Correlates logs, audit rows and outbox rows with the request that caused them. */
  readonly requestId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
