import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard, CurrentAdmin } from '../../auth/auth.guards';
import type { AdminPrincipal } from '../../auth/scim-principal';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { parseCreateScimToken } from './scim-token.input';
import { CreatedScimTokenOutput, ScimTokenOutput, toCreatedScimTokenOutput, toScimTokenOutput } from './scim-token.output';
import { ScimTokensService } from './scim-tokens.service';

@ApiTags('scim tokens')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId/scim/tokens')
export class ScimTokensController {
  constructor(private readonly tokens: ScimTokensService) {}

  @Post()
  @ApiOperation({ summary: 'Issue a SCIM bearer token; the plaintext is in this response only' })
  async create(@CurrentAdmin() admin: AdminPrincipal, @Param('orgId') orgId: string, @Body() body: unknown): Promise<CreatedScimTokenOutput> {
    const ctx = { organizationId: requireUuidParam(orgId, 'organization') };
    const { token, plaintext } = await this.tokens.create(admin, ctx, parseCreateScimToken(body));
    return toCreatedScimTokenOutput(token, plaintext);
  }

  @Get()
  async list(@Param('orgId') orgId: string, @Query() query: { limit?: string; cursor?: string }): Promise<ListOutput<ScimTokenOutput>> {
    const page = await this.tokens.list({ organizationId: requireUuidParam(orgId, 'organization') }, readPageQuery(query));
    return { data: page.items.map(toScimTokenOutput), next_cursor: page.nextCursor };
  }

  @Delete(':tokenId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token; refused everywhere from then on' })
  async revoke(@CurrentAdmin() admin: AdminPrincipal, @Param('orgId') orgId: string, @Param('tokenId') tokenId: string): Promise<void> {
    const ctx = { organizationId: requireUuidParam(orgId, 'organization') };
    await this.tokens.revoke(admin, ctx, requireUuidParam(tokenId, 'SCIM token'));
  }
}
