import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@delta/core';
import { DELIVERY_STATES, DeliveryFilter, DeliveryState } from '@delta/persistence';
import { AdminKeyGuard } from '../../auth/auth.guards';
import { readPageQuery, requireUuidParam } from '../common/input.util';
import type { ListOutput } from '../common/list.output';
import { DeliveriesService } from './deliveries.service';
import { DeliveryOutput, toDeliveryOutput } from './delivery.output';

const org = (orgId: string) => ({ organizationId: requireUuidParam(orgId, 'organization') });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readFilter(query: { state?: string; connection_id?: string; resource_id?: string }): DeliveryFilter {
  if (query.state !== undefined && !DELIVERY_STATES.includes(query.state as DeliveryState)) {
    throw new DomainError('invalid_input', `state must be one of ${DELIVERY_STATES.join(', ')}.`);
  }
  for (const key of ['connection_id', 'resource_id'] as const) {
    if (query[key] !== undefined && !UUID.test(query[key]!)) throw new DomainError('invalid_input', `${key} must be a UUID.`);
  }
  return {
    ...(query.state ? { state: query.state as DeliveryState } : {}),
    ...(query.connection_id ? { connectionId: query.connection_id.toLowerCase() } : {}),
    ...(query.resource_id ? { resourceId: query.resource_id.toLowerCase() } : {}),
  };
}

@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(AdminKeyGuard)
@Controller('v1/organizations/:orgId')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'Deliveries, newest first; filter by state, connection_id, resource_id' })
  async list(
    @Param('orgId') orgId: string,
    @Query() query: { limit?: string; cursor?: string; state?: string; connection_id?: string; resource_id?: string },
  ): Promise<ListOutput<DeliveryOutput>> {
    const page = await this.deliveries.list(org(orgId), readFilter(query), readPageQuery(query));
    return { data: page.items.map(toDeliveryOutput), next_cursor: page.nextCursor };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Replay a dead (or waiting) delivery now' })
  async retry(@Param('orgId') orgId: string, @Param('id') id: string): Promise<DeliveryOutput> {
    return toDeliveryOutput(await this.deliveries.retry(org(orgId), requireUuidParam(id, 'delivery')));
  }

  @Post('connections/:connectionId/deliveries/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: "Replay every dead delivery of a connection" })
  async retryFailed(@Param('orgId') orgId: string, @Param('connectionId') connectionId: string): Promise<{ replayed: number }> {
    return { replayed: await this.deliveries.retryFailed(org(orgId), requireUuidParam(connectionId, 'connection')) };
  }
}
