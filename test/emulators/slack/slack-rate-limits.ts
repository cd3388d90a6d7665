import type { BucketLimit } from '../support';

/**
 * Slack SCIM rate limits (ref §1.6, docs.slack.dev/reference/scim-api/rate-limits): org-wide
 * read and write sets shared by every SCIM app of the org, plus per-endpoint limits on top. List
 * endpoints have no per-endpoint row and only count against the org-wide read set.
 */

export interface SlackLimit {
  /** Requests per window (Slack documents per minute). */
  limit: number;
  /** Requests tolerated at once. */
  burst: number;
}

export type SlackEndpointKey =
  | 'GET /Users/{id}'
  | 'POST /Users'
  | 'PUT|PATCH /Users/{id}'
  | 'DELETE /Users/{id}'
  | 'GET /Groups/{id}'
  | 'POST /Groups'
  | 'PUT|PATCH /Groups/{id}'
  | 'DELETE /Groups/{id}';

export interface SlackRateLimits {
  /** Window of every limit; 60 000 in Slack. Tests scale down with e.g. 1000. */
  windowMs: number;
  orgWrites: SlackLimit;
  orgReads: SlackLimit;
  endpoints: Record<SlackEndpointKey, SlackLimit>;
}

export const SLACK_DOCUMENTED_LIMITS: SlackRateLimits = {
  windowMs: 60_000,
  orgWrites: { limit: 600, burst: 180 },
  orgReads: { limit: 1000, burst: 1000 },
  endpoints: {
    'GET /Users/{id}': { limit: 300, burst: 300 },
    'POST /Users': { limit: 180, burst: 20 },
    'PUT|PATCH /Users/{id}': { limit: 180, burst: 20 },
    'DELETE /Users/{id}': { limit: 180, burst: 20 },
    'GET /Groups/{id}': { limit: 300, burst: 300 },
    'POST /Groups': { limit: 180, burst: 20 },
    // The one different burst in the table: group updates tolerate 80.
    'PUT|PATCH /Groups/{id}': { limit: 180, burst: 80 },
    'DELETE /Groups/{id}': { limit: 180, burst: 20 },
  },
};

export type SlackRateLimitOptions = Partial<Omit<SlackRateLimits, 'endpoints'>> & { endpoints?: Partial<Record<SlackEndpointKey, SlackLimit>> };

export function resolveSlackLimits(options: SlackRateLimitOptions | undefined): SlackRateLimits {
  return {
    windowMs: options?.windowMs ?? SLACK_DOCUMENTED_LIMITS.windowMs,
    orgWrites: options?.orgWrites ?? SLACK_DOCUMENTED_LIMITS.orgWrites,
    orgReads: options?.orgReads ?? SLACK_DOCUMENTED_LIMITS.orgReads,
    endpoints: { ...SLACK_DOCUMENTED_LIMITS.endpoints, ...(options?.endpoints ?? {}) },
  };
}

/** The buckets one request spends from: its org-wide set and, if listed, its endpoint. */
export function slackBuckets(limits: SlackRateLimits, method: string, resourcePath: string): Array<BucketLimit & { bucket: string }> {
  const isRead = method === 'GET';
  const org = isRead ? limits.orgReads : limits.orgWrites;
  const buckets: Array<BucketLimit & { bucket: string }> = [
    { bucket: isRead ? 'org:reads' : 'org:writes', limit: org.limit, burst: org.burst, windowMs: limits.windowMs },
  ];
  const endpoint = endpointKey(method, resourcePath);
  if (endpoint) {
    const e = limits.endpoints[endpoint];
    buckets.push({ bucket: endpoint, limit: e.limit, burst: e.burst, windowMs: limits.windowMs });
  }
  return buckets;
}

function endpointKey(method: string, resourcePath: string): SlackEndpointKey | undefined {
  const m = /^\/(Users|Groups)(\/[^/]+)?\/?$/.exec(resourcePath);
  if (!m) return undefined;
  const [, kind, id] = m;
  if (!id) return method === 'POST' ? (`POST /${kind}` as SlackEndpointKey) : undefined;
  if (method === 'PUT' || method === 'PATCH') return `PUT|PATCH /${kind}/{id}` as SlackEndpointKey;
  if (method === 'GET' || method === 'DELETE') return `${method} /${kind}/{id}` as SlackEndpointKey;
  return undefined;
}
