/** The connection types the admin API accepts (issue 5 contract). */
export const CONNECTION_TYPES = ['webhook', 'slack', 'github', 'google', 'scim'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface RateLimit {
  readonly requests_per_minute: number;
  readonly burst: number;
}

/**
 * Default rate limits per type, in HTTP requests per minute to the app (every call Delta makes on
 * the connection takes a token; shared/reference/downstream-apis.md), used when a connection does
 * not set its own. The app's own 429s and Retry-After tighten them at run time.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ConnectionType, RateLimit>> = {
  // The product's own endpoint: generous, so one organization's burst does not queue for minutes.
  webhook: { requests_per_minute: 6000, burst: 100 },
  // Slack SCIM (reference §1.6): 180/min with bursts of 20 per write endpoint, 600 writes/min
  // org-wide shared by every SCIM app of the org. An initial sync is mostly POST /Users, so the
  // connection stays at one endpoint's budget (measured: 300/min drew 161 × 429 on 450 joiners).
  slack: { requests_per_minute: 180, burst: 20 },
  // GitHub (reference §2.5): 5,000/h primary (~83/min); the 80/min and 500/h content-creating
  // secondary limits answer 403/429 with retry-after, which pauses the connection.
  github: { requests_per_minute: 60, burst: 10 },
  // Admin SDK Directory API (reference §3.1): 2,400/min per user per project.
  google: { requests_per_minute: 2000, burst: 50 },
  scim: { requests_per_minute: 300, burst: 10 },
};

/** Whether a type converges state (apps) or streams events (the product's webhook). */
export function deliveryModeOf(type: ConnectionType): 'converge' | 'event' {
  return type === 'webhook' ? 'event' : 'converge';
}
