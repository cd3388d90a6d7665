import { Injectable } from '@nestjs/common';
import { DomainError } from '@delta/core';
import { CHANNELS, Database, DeliveriesRepository, DeliveryFilter, DeliveryRecord, Page, TenantContext } from '@delta/persistence';
import type { PageQuery } from '../common/input.util';

/**
 * Deliveries as operators see them, and replay. Replaying writes PostgreSQL only and wakes the
 * workers' sweepers (NOTIFY): the API never needs the queue.
 */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly db: Database,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  list(ctx: TenantContext, filter: DeliveryFilter, page: PageQuery): Promise<Page<DeliveryRecord>> {
    return this.db.tenant(ctx, (tx) => this.deliveries.list(tx, ctx, filter, page.limit, page.after));
  }

  async retry(ctx: TenantContext, id: string): Promise<DeliveryRecord> {
    return this.db.tenant(ctx, async (tx) => {
      const existing = await this.deliveries.find(tx, ctx, id);
      if (!existing) throw new DomainError('not_found', `No delivery with id ${id} in this organization.`);
      if (existing.state === 'succeeded' || existing.state === 'in_flight') {
        throw new DomainError('conflict', `The delivery is ${existing.state.replace('_', ' ')}; only dead or waiting deliveries can be retried.`, undefined, 'not_retryable');
      }
      await this.deliveries.replay(tx, ctx, { id });
      await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.deliveries, ctx.organizationId]);
      return (await this.deliveries.find(tx, ctx, id))!;
    });
  }

  async retryFailed(ctx: TenantContext, connectionId: string): Promise<number> {
    return this.db.tenant(ctx, async (tx) => {
      const [connection] = await tx.query(`SELECT 1 FROM connections WHERE organization_id = $1 AND id = $2`, [ctx.organizationId, connectionId]);
      if (!connection) throw new DomainError('not_found', `No connection with id ${connectionId} in this organization.`);
      const replayed = await this.deliveries.replay(tx, ctx, { connectionId });
      await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.deliveries, ctx.organizationId]);
      return replayed.length;
    });
  }
}
