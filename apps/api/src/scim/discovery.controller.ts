import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { renderResourceTypeByName, renderResourceTypes } from '@delta/scim/schema/resource-type-representation.renderer';
import { renderSchemaById, renderSchemas } from '@delta/scim/schema/schema-representation.renderer';
import { buildServiceProviderConfig } from '@delta/scim/schema/service-provider-config.builder';
import { ScimTokenGuard } from '../auth/auth.guards';
import { CurrentScimCall } from './resources/scim-call.decorator';
import type { ScimCall } from './resources/scim-request';
import { ScimRateLimitGuard } from './scim-rate-limit.guard';

/**
 * RFC 7644 §4 discovery. ServiceProviderConfig says truthfully what this server supports
 * (RFC 7643 §5): Entra's "Test connection" and the Microsoft validator read all three.
 */
@ApiTags('scim')
@ApiBearerAuth()
@UseGuards(ScimTokenGuard, ScimRateLimitGuard)
@Controller('scim/v2/:orgId')
export class DiscoveryController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@CurrentScimCall() call: ScimCall): Record<string, unknown> {
    return buildServiceProviderConfig({
      baseUrl: call.baseUrl,
      maxResults: this.config.scim.maxResults,
      bulk: { maxOperations: this.config.scim.bulkMaxOperations, maxPayloadSize: this.config.scim.bulkMaxPayloadBytes },
      documentationUri: `${this.config.http.publicUrl}/docs`,
    });
  }

  @Get('ResourceTypes')
  resourceTypes(@CurrentScimCall() call: ScimCall): Record<string, unknown> {
    return renderResourceTypes(call.baseUrl);
  }

  @Get('ResourceTypes/:name')
  resourceType(@CurrentScimCall() call: ScimCall, @Param('name') name: string): Record<string, unknown> {
    return renderResourceTypeByName(name, call.baseUrl);
  }

  @Get('Schemas')
  schemas(@CurrentScimCall() call: ScimCall): Record<string, unknown> {
    return renderSchemas(call.baseUrl);
  }

  @Get('Schemas/:urn')
  schema(@CurrentScimCall() call: ScimCall, @Param('urn') urn: string): Record<string, unknown> {
    return renderSchemaById(urn, call.baseUrl);
  }
}
