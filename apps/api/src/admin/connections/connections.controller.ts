import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../../auth/auth.guards';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { parseCreateConnection, parseUpdateConnection } from './connection.input';
import { ConnectionOutput, toConnectionOutput } from './connection.output';
import { ConnectionTestResult, ConnectionsService } from './connections.service';
import { ResyncOutput, ResyncService } from './resync.service';

const org = (orgId: string) => ({ organizationId: requireUuidParam(orgId, 'organization') });

@ApiTags('connections')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId/connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly resyncs: ResyncService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Connect a downstream app; credentials are write-only' })
  async create(@Param('orgId') orgId: string, @Body() body: unknown): Promise<ConnectionOutput> {
    const { connection, generatedSecret } = await this.connections.create(org(orgId), parseCreateConnection(body));
    return { ...toConnectionOutput(connection), ...(generatedSecret ? { signing_secret: generatedSecret } : {}) };
  }

  @Get()
  async list(@Param('orgId') orgId: string, @Query() query: { limit?: string; cursor?: string }): Promise<ListOutput<ConnectionOutput>> {
    const page = await this.connections.list(org(orgId), readPageQuery(query));
    return { data: page.items.map((c) => toConnectionOutput(c)), next_cursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('orgId') orgId: string, @Param('id') id: string): Promise<ConnectionOutput> {
    return toConnectionOutput(await this.connections.get(org(orgId), requireUuidParam(id, 'connection')));
  }

  @Patch(':id')
  async update(@Param('orgId') orgId: string, @Param('id') id: string, @Body() body: unknown): Promise<ConnectionOutput> {
    return toConnectionOutput(await this.connections.update(org(orgId), requireUuidParam(id, 'connection'), (current) => parseUpdateConnection(body, current)));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('orgId') orgId: string, @Param('id') id: string): Promise<void> {
    await this.connections.delete(org(orgId), requireUuidParam(id, 'connection'));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the credentials against the app; says what is wrong in words' })
  test(@Param('orgId') orgId: string, @Param('id') id: string): Promise<ConnectionTestResult> {
    return this.connections.test(org(orgId), requireUuidParam(id, 'connection'));
  }

  @Post(':id/resync')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-deliver every in-scope user and group' })
  resync(@Param('orgId') orgId: string, @Param('id') id: string): Promise<ResyncOutput> {
    return this.resyncs.start(org(orgId), requireUuidParam(id, 'connection'));
  }

  @Get(':id/resync')
  @ApiOperation({ summary: 'Progress of the latest resync' })
  resyncProgress(@Param('orgId') orgId: string, @Param('id') id: string): Promise<ResyncOutput> {
    return this.resyncs.progress(org(orgId), requireUuidParam(id, 'connection'));
  }
}
