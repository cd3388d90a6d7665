import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { AdminKeyGuard, CurrentAdmin } from '../../auth/auth.guards';
import type { AdminPrincipal } from '../../auth/scim-principal';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { parseCreateOrganization, parseUpdateOrganization } from './organization.input';
import { OrganizationOutput, scimEndpointUrl, toOrganizationOutput } from './organization.output';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an organization (a tenant with its own SCIM endpoint)' })
  async create(@CurrentAdmin() admin: AdminPrincipal, @Body() body: unknown, @Req() req: FastifyRequest): Promise<OrganizationOutput> {
    const org = await this.organizations.create(admin, parseCreateOrganization(body), req.id);
    return toOrganizationOutput(org, this.config.http.publicUrl);
  }

  @Get()
  @ApiOperation({ summary: 'List organizations (keyset-paginated)' })
  async list(@Query() query: { limit?: string; cursor?: string }): Promise<ListOutput<OrganizationOutput>> {
    const page = await this.organizations.list(readPageQuery(query));
    return { data: page.items.map((o) => toOrganizationOutput(o, this.config.http.publicUrl)), next_cursor: page.nextCursor };
  }

  @Get(':orgId')
  async get(@Param('orgId') orgId: string): Promise<OrganizationOutput> {
    const org = await this.organizations.get({ organizationId: requireUuidParam(orgId, 'organization') });
    return toOrganizationOutput(org, this.config.http.publicUrl);
  }

  @Patch(':orgId')
  async update(@CurrentAdmin() admin: AdminPrincipal, @Param('orgId') orgId: string, @Body() body: unknown): Promise<OrganizationOutput> {
    const ctx = { organizationId: requireUuidParam(orgId, 'organization') };
    const org = await this.organizations.update(admin, ctx, parseUpdateOrganization(body));
    return toOrganizationOutput(org, this.config.http.publicUrl);
  }

  @Delete(':orgId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an organization: revokes its tokens and removes all its data' })
  async delete(@Param('orgId') orgId: string): Promise<void> {
    await this.organizations.delete({ organizationId: requireUuidParam(orgId, 'organization') });
  }

  @Get(':orgId/scim/endpoint')
  @ApiOperation({ summary: 'The SCIM base URL to give the customer’s IdP' })
  async endpoint(@Param('orgId') orgId: string): Promise<{ endpoint_url: string }> {
    const org = await this.organizations.get({ organizationId: requireUuidParam(orgId, 'organization') });
    return { endpoint_url: scimEndpointUrl(this.config.http.publicUrl, org.id) };
  }
}
