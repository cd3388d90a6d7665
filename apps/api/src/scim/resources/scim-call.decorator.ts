import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ScimPrincipal } from '../../auth/scim-principal';
import { markAudited } from '../provisioning-log.recorder';
import type { ScimCall } from './scim-request';

/** The SCIM call context: the authenticated organization, request id, method, path and base URL. */
export const CurrentScimCall = createParamDecorator((_: unknown, context: ExecutionContext): ScimCall => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { user: ScimPrincipal; deltaPublicUrl?: string }>();
  const principal = request.user;
  const publicUrl = request.deltaPublicUrl ?? '';
  return {
    principal,
    requestId: String(request.id),
    method: request.method,
    path: request.url.split('?')[0]!,
    baseUrl: `${publicUrl}/scim/v2/${principal.organizationId}`,
    audited: () => markAudited(request),
  };
});
