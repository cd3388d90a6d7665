import { ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '@delta/core';
import type { AdminPrincipal, ScimPrincipal } from './scim-principal';

/** Passport's own failure (no or malformed header) becomes our domain error, with our message. */
function principalOr401<T>(error: unknown, principal: T | false): T {
  if (error) throw error;
  if (!principal) throw new DomainError('unauthorized', 'Send a bearer token in the Authorization header.');
  return principal;
}

@Injectable()
export class ScimTokenGuard extends AuthGuard('scim-token') {
  override handleRequest<T>(error: unknown, principal: T | false): T {
    return principalOr401(error, principal);
  }
}

@Injectable()
export class AdminKeyGuard extends AuthGuard('admin-key') {
  override handleRequest<T>(error: unknown, principal: T | false): T {
    return principalOr401(error, principal);
  }
}

export const CurrentScimPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ScimPrincipal => context.switchToHttp().getRequest<{ user: ScimPrincipal }>().user,
);

export const CurrentAdmin = createParamDecorator(
  (_: unknown, context: ExecutionContext): AdminPrincipal => context.switchToHttp().getRequest<{ user: AdminPrincipal }>().user,
);
