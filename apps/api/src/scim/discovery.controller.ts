import { Controller, Get, Inject, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { CurrentScimPrincipal, ScimTokenGuard } from '../auth/auth.guards';
import type { ScimPrincipal } from '../auth/scim-principal';
import { ScimRateLimitGuard } from './scim-rate-limit.guard';
import { ScimResponseInterceptor } from './scim-response.interceptor';

/**
 * RFC 7644 §4 discovery. ServiceProviderConfig says truthfully what this server supports
 * (RFC 7643 §5); clients such as Entra's "Test connection" read it.
 */
@ApiTags('scim')
@ApiBearerAuth()
@UseGuards(ScimTokenGuard, ScimRateLimitGuard)
@UseInterceptors(ScimResponseInterceptor)
@Controller('scim/v2/:orgId')
export class DiscoveryController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@CurrentScimPrincipal() principal: ScimPrincipal): Record<string, unknown> {
    const base = `${this.config.http.publicUrl}/scim/v2/${principal.organizationId}`;
    return {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: `${this.config.http.publicUrl}/docs`,
      // Flipped to true as each capability lands (Users and Groups come with the SCIM core).
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: false, maxResults: this.config.scim.maxResults },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication with a per-organization bearer token issued through the Delta admin API.',
          specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    };
  }
}
