import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard, CurrentAdmin } from '../../auth/auth.guards';
import type { AdminPrincipal } from '../../auth/scim-principal';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { parseMappingConfig, parsePreviewInput } from './attribute-mapping.input';
import {
  AttributeMappingOutput,
  AttributeMappingVersionOutput,
  PreviewOutput,
  RemapOutput,
  toRemapOutput,
  toVersionOutput,
} from './attribute-mapping.output';
import { AttributeMappingsService } from './attribute-mappings.service';

const tenant = (orgId: string) => ({ organizationId: requireUuidParam(orgId, 'organization') });

@ApiTags('attribute mappings')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId/scim/attribute-mappings')
export class AttributeMappingsController {
  constructor(private readonly mappings: AttributeMappingsService) {}

  @Get()
  @ApiOperation({ summary: 'The effective mapping (defaults merged with overrides), its rules and the latest remap progress' })
  get(@Param('orgId') orgId: string): Promise<AttributeMappingOutput> {
    return this.mappings.get(tenant(orgId));
  }

  @Put()
  @ApiOperation({ summary: 'Save a new mapping version (validated as a whole) and re-map every user in the background' })
  save(@CurrentAdmin() admin: AdminPrincipal, @Param('orgId') orgId: string, @Body() body: unknown): Promise<AttributeMappingOutput> {
    return this.mappings.save(admin, tenant(orgId), parseMappingConfig(body));
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every saved version, newest first' })
  async versions(@Param('orgId') orgId: string, @Query() query: { limit?: string; cursor?: string }): Promise<ListOutput<AttributeMappingVersionOutput>> {
    const page = await this.mappings.versions(tenant(orgId), readPageQuery(query));
    return { data: page.items.map(toVersionOutput), next_cursor: page.nextCursor };
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'What a proposed mapping produces for recent users (or a given SCIM user), next to the current one' })
  preview(@Param('orgId') orgId: string, @Body() body: unknown): Promise<PreviewOutput> {
    return this.mappings.preview(tenant(orgId), parsePreviewInput(body));
  }

  @Get('remaps/:remapId')
  @ApiOperation({ summary: 'Progress of one background remap' })
  async remap(@Param('orgId') orgId: string, @Param('remapId') remapId: string): Promise<RemapOutput> {
    return toRemapOutput(await this.mappings.remap(tenant(orgId), requireUuidParam(remapId, 'remap')));
  }
}
