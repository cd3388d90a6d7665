import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { ScimTokenGuard } from '../../auth/auth.guards';
import { ScimRateLimitGuard } from '../scim-rate-limit.guard';
import { CurrentScimCall } from '../resources/scim-call.decorator';
import { answeredNotModified, sendResource } from '../resources/scim-reply.util';
import { ListParams, ListResponse, ScimCall, parseListParams, parseProjection } from '../resources/scim-request';
import { ScimGroupsService } from './scim-groups.service';

type ProjectionQuery = Pick<ListParams, 'attributes' | 'excludedAttributes'>;

@ApiTags('scim')
@ApiBearerAuth()
@UseGuards(ScimTokenGuard, ScimRateLimitGuard)
@Controller('scim/v2/:orgId/Groups')
export class ScimGroupsController {
  constructor(
    private readonly groups: ScimGroupsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  list(@CurrentScimCall() call: ScimCall, @Query() query: ListParams): Promise<ListResponse> {
    return this.groups.list(call, parseListParams(query, this.config.scim.maxResults));
  }

  @Post('.search')
  @HttpCode(200)
  search(@CurrentScimCall() call: ScimCall, @Body() body: ListParams): Promise<ListResponse> {
    return this.groups.list(call, parseListParams(body ?? {}, this.config.scim.maxResults));
  }

  @Post()
  async create(@CurrentScimCall() call: ScimCall, @Body() body: unknown, @Query() query: ProjectionQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.groups.create(call, body, parseProjection(query));
    void reply.status(201).header('Location', result.location);
    return sendResource(reply, result);
  }

  @Get(':id')
  async get(
    @CurrentScimCall() call: ScimCall,
    @Param('id') id: string,
    @Query() query: ProjectionQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.groups.get(call, id, parseProjection(query));
    return answeredNotModified(reply, ifNoneMatch, result) ? undefined : sendResource(reply, result);
  }

  @Put(':id')
  async replace(
    @CurrentScimCall() call: ScimCall,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ProjectionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendResource(reply, await this.groups.replace(call, id, body, ifMatch, parseProjection(query)));
  }

  /**
   * RFC 7644 §3.5.2 allows 200 with the resource or 204. A group's members can number 100,000, so
   * the resource comes back only when the client asks for attributes; otherwise 204 with the ETag.
   */
  @Patch(':id')
  async patch(
    @CurrentScimCall() call: ScimCall,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ProjectionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const projection = parseProjection(query);
    const wantsBody = Boolean(projection.attributes || projection.excludedAttributes);
    const result = await this.groups.patch(call, id, body, ifMatch, wantsBody ? projection : { excludedAttributes: ['members'] });
    if (!wantsBody) {
      void reply.status(204).header('ETag', result.etag);
      return undefined;
    }
    return sendResource(reply, result);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentScimCall() call: ScimCall, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.groups.delete(call, id, ifMatch);
  }
}
