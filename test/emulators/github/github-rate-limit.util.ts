import { RateLimiter } from '../support';
import type { GitHubReply } from './github-http.types';

/** Limits of reference §2.5; tests scale them down. */
export interface GitHubLimits {
  /** Primary `core` budget per window (5,000/h for user tokens, §2.5). */
  core: number;
  /** Primary `search` budget per window [not in the reference; GitHub documents 30/min]. */
  search: number;
  /** Primary window; GitHub resets the budget hourly. */
  windowSeconds: number;
  searchWindowSeconds: number;
  /** Secondary: content-creating requests (POST/PUT/PATCH here) per minute and per hour. */
  contentCreationPerMinute: number;
  contentCreationPerHour: number;
  /** Secondary: points per minute per REST endpoint, GET 1, writes 5. */
  pointsPerMinute: number;
  /** Secondary: concurrent requests per token (100, shared with GraphQL). */
  concurrent: number;
  /** GitHub answers an exceeded limit with 403 or 429; both are allowed here. */
  primaryStatus: 403 | 429;
  secondaryStatus: 403 | 429;
  /** `retry-after` seconds sent with a secondary refusal; null sends none (Octokit then waits 60 s, §4.2). */
  secondaryRetryAfter: number | null;
}

export const GITHUB_DEFAULT_LIMITS: GitHubLimits = {
  core: 5000,
  search: 30,
  windowSeconds: 3600,
  searchWindowSeconds: 60,
  contentCreationPerMinute: 80,
  contentCreationPerHour: 500,
  pointsPerMinute: 900,
  concurrent: 100,
  primaryStatus: 403,
  secondaryStatus: 403,
  secondaryRetryAfter: 60,
};

const PRIMARY_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';
const SECONDARY_DOCS = `${PRIMARY_DOCS}#about-secondary-rate-limits`;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CONTENT_CREATING = new Set(['POST', 'PUT', 'PATCH']);

export interface RateOutcome {
  headers: Record<string, string>;
  refusal?: GitHubReply;
}

/**
 * Primary limits per token and resource with the five `x-ratelimit-*` headers on every answer;
 * secondary limits (content creation, per-endpoint points, concurrency) refused with the message
 * Octokit's throttling plugin recognises (`/\bsecondary rate\b/i`, §2.6) and `retry-after`.
 */
export class GitHubRateLimits {
  private readonly limiter: RateLimiter;
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limits: GitHubLimits,
    private readonly enforce: boolean,
    now: () => number,
  ) {
    this.limiter = new RateLimiter(now);
  }

  reset(): void {
    this.limiter.reset();
    this.inFlight.clear();
  }

  /** Spends one request of the primary budget and checks the secondary limits. */
  take(key: string, userId: number, resource: 'core' | 'search', method: string, endpoint: string): RateOutcome {
    const search = resource === 'search';
    const limit = search ? this.limits.search : this.limits.core;
    const windowMs = (search ? this.limits.searchWindowSeconds : this.limits.windowSeconds) * 1000;
    const primary = this.limiter.take(`${key}:${resource}`, { limit, windowMs, algorithm: 'fixed-window' });
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(primary.remaining),
      'x-ratelimit-used': String(limit - primary.remaining),
      'x-ratelimit-reset': String(Math.ceil(primary.resetAtMs / 1000)),
      'x-ratelimit-resource': resource,
    };
    if (!primary.allowed && this.enforce) {
      // Primary: 403/429 with `x-ratelimit-remaining: 0`; do not retry before the reset (§2.5).
      return { headers, refusal: this.refuse(this.limits.primaryStatus, `API rate limit exceeded for user ID ${userId}.`, PRIMARY_DOCS, headers) };
    }
    if (!this.enforce) return { headers };
    if ((this.inFlight.get(key) ?? 0) >= this.limits.concurrent) return { headers, refusal: this.secondary(headers) };
    // Points per endpoint: most GETs cost 1, most writes 5 (§2.5).
    const points = this.limiter.take(`${key}:points:${method} ${endpoint}`, { limit: this.limits.pointsPerMinute, algorithm: 'fixed-window' }, WRITES.has(method) ? 5 : 1);
    if (!points.allowed) return { headers, refusal: this.secondary(headers) };
    if (CONTENT_CREATING.has(method)) {
      const content = this.limiter.takeAll([
        { bucket: `${key}:content:minute`, limit: this.limits.contentCreationPerMinute, algorithm: 'fixed-window' },
        { bucket: `${key}:content:hour`, limit: this.limits.contentCreationPerHour, algorithm: 'fixed-window', windowMs: 3600_000 },
      ]);
      if (!content.allowed) return { headers, refusal: this.secondary(headers) };
    }
    return { headers };
  }

  /** Concurrency accounting: call `enter` before handling and the returned function after. */
  enter(key: string): () => void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    return () => this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
  }

  private secondary(headers: Record<string, string>): GitHubReply {
    const text =
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
      'If you reach out to GitHub Support for help, please include the request ID 0000:0000:EMULATOR.';
    const retryAfter = this.limits.secondaryRetryAfter;
    return this.refuse(this.limits.secondaryStatus, text, SECONDARY_DOCS, { ...headers, ...(retryAfter === null ? {} : { 'retry-after': String(retryAfter) }) });
  }

  private refuse(status: number, text: string, docs: string, headers: Record<string, string>): GitHubReply {
    return { status, headers, body: { message: text, documentation_url: docs, status: String(status) } };
  }
}
