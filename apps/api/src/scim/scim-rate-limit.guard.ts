import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '@delta/core';
import type { ScimPrincipal } from '../auth/scim-principal';
import type { BatchedRateLimiter } from './batched-rate-limiter';

export const SCIM_RATE_LIMITER = Symbol('SCIM_RATE_LIMITER');

/**
 * Per-organization SCIM rate limit, so one tenant's initial sync cannot starve the others.
 * Shared by every API replica through Redis in production (points taken in small batches, see
 * BatchedRateLimiter), in memory when embedded. Runs after the token guard, keyed by the
 * authenticated organization.
 */
@Injectable()
export class ScimRateLimitGuard implements CanActivate {
  constructor(@Inject(SCIM_RATE_LIMITER) private readonly limiter: BatchedRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<{ user?: ScimPrincipal }>().user;
    if (!principal) return true;
    try {
      await this.limiter.consume(principal.organizationId);
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new DomainError(
          'rate_limited',
          'This organization is sending SCIM requests faster than its limit; retry after the time in Retry-After.',
          Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
        );
      }
      // The limiter's store (Redis) failing must not take provisioning down with it.
      return true;
    }
  }
}
