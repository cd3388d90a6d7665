import { type EmulatorResponse, type FaultAction, RateLimiter } from '../support';
import { googleError } from './google-http.types';

export interface GoogleQuotaLimits {
  /** Queries per minute per user per project: 2,400 by default (reference §3.1 error table). */
  perUserPerMinute: number;
  /** Concurrent requests per project before 403 `quotaExceeded` [number not in the reference]. */
  concurrentPerProject: number;
  /** Concurrent requests per Workspace account before 429 `rateLimitExceeded` [number not in the reference]. */
  concurrentPerCustomer: number;
}

export const GOOGLE_DEFAULT_QUOTAS: GoogleQuotaLimits = { perUserPerMinute: 2400, concurrentPerProject: 100, concurrentPerCustomer: 200 };

export type GoogleQuotaReason = 'userRateLimitExceeded' | 'quotaExceeded' | 'rateLimitExceeded' | 'backendError';

/** The error envelopes of §3.1 / §4.3 "Quota faults" (messages [unconfirmed]). */
export function googleQuotaError(reason: GoogleQuotaReason): EmulatorResponse {
  switch (reason) {
    case 'userRateLimitExceeded':
      return googleError(403, reason, "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.", 'usageLimits');
    case 'quotaExceeded':
      return googleError(403, reason, 'Quota exceeded: too many concurrent requests for this project.', 'usageLimits');
    case 'rateLimitExceeded':
      return googleError(429, reason, 'Rate Limit Exceeded', 'usageLimits');
    case 'backendError':
      return googleError(503, reason, 'Backend Error', 'global');
  }
}

/** A canned fault action for `faults.next(n, googleQuotaFault('quotaExceeded'))`. */
export function googleQuotaFault(reason: GoogleQuotaReason): FaultAction {
  const { status, body } = googleQuotaError(reason);
  return { status, body, headers: { 'content-type': 'application/json; charset=UTF-8' } };
}

/** Per-user minute buckets and concurrency counters; `enforce: false` never refuses. */
export class GoogleQuotas {
  private readonly limiter: RateLimiter;
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limits: GoogleQuotaLimits,
    private readonly enforce: boolean,
    now: () => number,
  ) {
    this.limiter = new RateLimiter(now);
  }

  reset(): void {
    this.limiter.reset();
    this.inFlight.clear();
  }

  /** Checks every bucket; on success returns a release function for the concurrency slots. */
  take(project: string, user: string, customer: string): { refusal?: EmulatorResponse; release: () => void } {
    const release = () => undefined;
    if (!this.enforce) return { release };
    const perUser = this.limiter.take(`user:${project}:${user}`, { limit: this.limits.perUserPerMinute, windowMs: 60_000, algorithm: 'fixed-window' });
    if (!perUser.allowed) return { refusal: googleQuotaError('userRateLimitExceeded'), release };
    if ((this.inFlight.get(`customer:${customer}`) ?? 0) >= this.limits.concurrentPerCustomer) return { refusal: googleQuotaError('rateLimitExceeded'), release };
    if ((this.inFlight.get(`project:${project}`) ?? 0) >= this.limits.concurrentPerProject) return { refusal: googleQuotaError('quotaExceeded'), release };
    const keys = [`customer:${customer}`, `project:${project}`];
    for (const k of keys) this.inFlight.set(k, (this.inFlight.get(k) ?? 0) + 1);
    return { release: () => keys.forEach((k) => this.inFlight.set(k, (this.inFlight.get(k) ?? 1) - 1)) };
  }
}
