/** The connection types the admin API accepts (issue 5 contract). */
export const CONNECTION_TYPES = ['webhook', 'slack', 'github', 'google', 'scim'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface RateLimit {
  readonly requests_per_minute: number;
  readonly burst: number;
}

/**
 * Documented default rate limits per type (shared/reference/downstream-apis.md), used when a
 * connection does not set its own. Conservative where the vendor's limit is shared with other
 * clients of the same workspace.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ConnectionType, RateLimit>> = {
  // A receiver we do not know: generous, tightened by its own 429s.
  webhook: { requests_per_minute: 600, burst: 20 },
  // Slack SCIM (reference §1.6): 180/min with bursts of 20 per write endpoint; 600 writes/min
  // org-wide shared by every SCIM app of the org, so one connection stays at the endpoint budget.
  slack: { requests_per_minute: 180, burst: 20 },
  // GitHub (reference §2.5): a delivery makes 2-3 requests; 5,000/h primary and 80/min, 500/h
  // content-creating secondary limits allow ~25 deliveries a minute sustained.
  github: { requests_per_minute: 25, burst: 10 },
  // Admin SDK Directory API: 2,400/min per user per project by default.
  google: { requests_per_minute: 600, burst: 20 },
  scim: { requests_per_minute: 300, burst: 10 },
};

/** Whether a type converges state (apps) or streams events (the product's webhook). */
export function deliveryModeOf(type: ConnectionType): 'converge' | 'event' {
  return type === 'webhook' ? 'event' : 'converge';
}
