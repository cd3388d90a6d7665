import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { ScimTokenGuard } from '../../auth/auth.guards';
import { ScimRateLimitGuard } from '../scim-rate-limit.guard';
import { CurrentScimCall } from '../resources/scim-call.decorator';
import { answeredNotModified, sendResource } from '../resources/scim-reply.util';
import { ListParams, ListResponse, ScimCall, parseListParams, parseProjection } from '../resources/scim-request';
import { ScimUsersService } from './scim-users.service';

type ProjectionQuery = Pick<ListParams, 'attributes' | 'excludedAttributes'>;

@ApiTags('scim')
@ApiBearerAuth()
@UseGuards(ScimTokenGuard, ScimRateLimitGuard)
@Controller('scim/v2/:orgId/Users')
export class ScimUsersController {
  constructor(
    private readonly users: ScimUsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  list(@CurrentScimCall() call: ScimCall, @Query() query: ListParams): Promise<ListResponse> {
    return this.users.list(call, parseListParams(query, this.config.scim.maxResults));
  }

  @Post('.search')
  @HttpCode(200)
  search(@CurrentScimCall() call: ScimCall, @Body() body: ListParams): Promise<ListResponse> {
    return this.users.list(call, parseListParams(body ?? {}, this.config.scim.maxResults));
  }

  @Post()
  async create(@CurrentScimCall() call: ScimCall, @Body() body: unknown, @Query() query: ProjectionQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.users.create(call, body, parseProjection(query));
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
    const result = await this.users.get(call, id, parseProjection(query));
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
    return sendResource(reply, await this.users.replace(call, id, body, ifMatch, parseProjection(query)));
  }

  @Patch(':id')
  async patch(
    @CurrentScimCall() call: ScimCall,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: ProjectionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendResource(reply, await this.users.patch(call, id, body, ifMatch, parseProjection(query)));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentScimCall() call: ScimCall, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.users.delete(call, id, ifMatch);
  }
}
