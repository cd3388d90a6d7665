import { Inject, Injectable } from '@nestjs/common';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { ConnectorError } from '@delta/connectors';
import { ROOT_LOGGER } from '@delta/observability';
import { ConnectionRecord, ConnectionsRepository, Database, DeliveriesRepository, DeliveryJobRef, DeliveryRecord, TenantContext } from '@delta/persistence';
import { backoffDelayMs } from './backoff.util';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryJobPayload, DeliveryScheduler } from './delivery.scheduler';

const tracer = trace.getTracer('delta.delivery');
/** How long a disabled or unhealthy connection's work waits before it is looked at again. */
const HOLD_MS = 5 * 60_000;

type Outcome =
  | { readonly kind: 'delivered'; readonly status: number | null; readonly rerunAt?: Date; readonly requested?: readonly DeliveryJobRef[] }
  | { readonly kind: 'released'; readonly at: Date; readonly reason: string | null }
  | { readonly kind: 'failed'; readonly error: ConnectorError };

/**
 * Runs one delivery job (level-triggered: "bring R up to date in C", or "deliver event E"):
 * claims it in PostgreSQL (a duplicate or stale job finds nothing), checks the connection
 * (disabled, unhealthy, paused by the endpoint), takes a rate-limit slot, calls the app, and
 * records the outcome: success, a retry after backoff with full jitter, or the dead letter.
 * Waits that are not the app's fault (rate limits, pauses) do not use up attempts.
 */
@Injectable()
export class DeliveryProcessor {
  private readonly inFlight = new Map<string, number>();
  private readonly inFlightByOrg = new Map<string, number>();
  /** Connections an app told to wait (429/503 + Retry-After), as this process knows at once. */
  private readonly pausedUntil = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly deliveries: DeliveriesRepository,
    private readonly connections: ConnectionsRepository,
    private readonly executor: DeliveryExecutor,
    private readonly scheduler: DeliveryScheduler,
    private readonly metrics: DeliveryMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async run(payload: DeliveryJobPayload): Promise<void> {
    const ctx: TenantContext = { organizationId: payload.organizationId };
    const claimed = await this.db.tenant(ctx, async (tx) => {
      const delivery = await this.deliveries.claim(tx, ctx, payload.deliveryId, this.config.delivery.leaseMs);
      return delivery ? { delivery, connection: await this.connections.find(tx, ctx, delivery.connectionId) } : undefined;
    });
    if (!claimed?.connection) return;
    const { delivery, connection } = claimed;
    // The span continues the trace of the SCIM request that caused the change (traceparent kept
    // on the outbox row and the delivery), so one trace runs from the IdP's call to the app's.
    const parent = delivery.traceContext ? propagation.extract(ROOT_CONTEXT, { traceparent: delivery.traceContext }) : ROOT_CONTEXT;
    await tracer.startActiveSpan(
      `deliver ${connection.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'delta.organization_id': ctx.organizationId, 'delta.connection_id': connection.id, 'delta.delivery_id': delivery.id, 'delta.attempt': delivery.attempts, 'delta.resource_type': delivery.resourceType },
      },
      parent,
      async (span) => {
        try {
          const outcome = await this.attempt(connection, delivery);
          span.setAttribute('delta.outcome', outcome.kind === 'failed' ? outcome.error.kind : outcome.kind);
          if (outcome.kind === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
          await this.record(ctx, connection, delivery, outcome);
        } finally {
          span.end();
        }
      },
    );
  }

  private async attempt(connection: ConnectionRecord, delivery: DeliveryRecord): Promise<Outcome> {
    const now = Date.now();
    if (!connection.enabled) return { kind: 'released', at: new Date(now + HOLD_MS), reason: 'the connection is disabled' };
    if (connection.status === 'unhealthy') return { kind: 'released', at: new Date(now + HOLD_MS), reason: `the connection is unhealthy: ${connection.statusMessage ?? ''}` };
    // The pause this process saw first (set before the refused call's slot was freed), or the stored one.
    const pausedUntil = Math.max(connection.pausedUntil?.getTime() ?? 0, this.pausedUntil.get(connection.id) ?? 0);
    if (pausedUntil > now) return { kind: 'released', at: new Date(pausedUntil), reason: null };
    // A slow or hanging app may hold only a few of this worker's slots, and one organization at
    // most three quarters of them, so others always get a share (no head-of-line blocking). The
    // slot is taken before any await, so concurrent jobs cannot all pass the check.
    const orgCap = Math.max(1, Math.ceil(this.config.worker.concurrency * 0.75));
    if ((this.inFlight.get(connection.id) ?? 0) >= this.config.delivery.perConnectionConcurrency || (this.inFlightByOrg.get(connection.organizationId) ?? 0) >= orgCap) {
      return { kind: 'released', at: new Date(now + 250 + Math.random() * 250), reason: null };
    }
    increment(this.inFlight, connection.id);
    increment(this.inFlightByOrg, connection.organizationId);
    try {
      const result = await this.executor.execute(connection, delivery);
      return { kind: 'delivered', ...result };
    } catch (error) {
      if (error instanceof ConnectorError) {
        if (error.kind === 'rate_limited') {
          this.metrics.rateLimitWait(connection.type, error.retryAfterMs ?? 60_000);
          this.pausedUntil.set(connection.id, Date.now() + (error.retryAfterMs ?? 60_000));
        }
        return { kind: 'failed', error };
      }
      this.logger.error({ err: error, delivery_id: delivery.id }, 'delivery failed unexpectedly');
      return { kind: 'failed', error: new ConnectorError('retryable', error instanceof Error ? error.message : String(error)) };
    } finally {
      decrement(this.inFlight, connection.id);
      decrement(this.inFlightByOrg, connection.organizationId);
      for (const [id, until] of this.pausedUntil) if (until <= Date.now()) this.pausedUntil.delete(id);
    }
  }

  private async record(ctx: TenantContext, connection: ConnectionRecord, delivery: DeliveryRecord, outcome: Outcome): Promise<void> {
    const next = await this.db.tenant(ctx, async (tx): Promise<(DeliveryJobRef | undefined)[]> => {
      switch (outcome.kind) {
        case 'delivered': {
          this.metrics.delivered(connection.type, delivery);
          const again = await this.deliveries.succeed(tx, ctx, delivery.id, delivery.generation, outcome.status, outcome.rerunAt);
          const next = delivery.mode === 'event' ? await this.deliveries.nextEvent(tx, ctx, connection.id, delivery.resourceId) : undefined;
          // A retry went through: the app is back, so its other retrying deliveries go now instead
          // of each waiting out its own backoff (the rate limit still paces them).
          const woken = delivery.attempts > 1 ? await this.deliveries.wakeConnection(tx, ctx, connection.id) : [];
          return [again, next, ...(outcome.requested ?? []), ...woken];
        }
        case 'released':
          return [await this.deliveries.release(tx, ctx, delivery.id, outcome.at, outcome.reason)];
        case 'failed':
          return this.recordFailure(tx, ctx, connection, delivery, outcome.error);
      }
    });
    await this.scheduler.enqueue(next.filter((ref): ref is DeliveryJobRef => ref !== undefined));
  }

  private async recordFailure(
    tx: Parameters<Parameters<Database['tenant']>[1]>[0],
    ctx: TenantContext,
    connection: ConnectionRecord,
    delivery: DeliveryRecord,
    error: ConnectorError,
  ): Promise<(DeliveryJobRef | undefined)[]> {
    this.metrics.failed(connection.type, error.kind);
    if (error.kind === 'rate_limited') {
      // The endpoint's limit, not the event's: the whole connection waits (issue 5).
      const until = new Date(Date.now() + (error.retryAfterMs ?? 60_000));
      await this.connections.pauseUntil(tx, ctx, connection.id, until);
      const window = (Math.max(1, connection.rateLimit.burst) * 60_000) / Math.max(1, connection.rateLimit.requests_per_minute);
      const postponed = await this.deliveries.postponeConnection(tx, ctx, connection.id, until, window);
      return [...postponed, await this.deliveries.release(tx, ctx, delivery.id, until, error.message)];
    }
    if (error.kind === 'unauthorized') {
      await this.connections.markUnhealthy(tx, ctx, connection.id, `The app rejected the credentials (${error.message}). Update them with PATCH; deliveries resume then.`);
      return [await this.deliveries.release(tx, ctx, delivery.id, new Date(Date.now() + HOLD_MS), error.message)];
    }
    const { maxAttempts, backoffBaseMs, backoffCapMs } = this.config.delivery;
    if (error.kind === 'permanent' || delivery.attempts >= maxAttempts) {
      this.metrics.deadLettered(connection.type);
      this.logger.warn({ delivery_id: delivery.id, connection_id: connection.id, attempts: delivery.attempts, error: error.message }, 'delivery dead-lettered');
      await this.deliveries.fail(tx, ctx, delivery.id, null, error.status ?? null, error.message);
      // A dead event no longer holds back the ones after it.
      return delivery.mode === 'event' ? [await this.deliveries.nextEvent(tx, ctx, connection.id, delivery.resourceId)] : [];
    }
    const wait = backoffDelayMs(delivery.attempts, backoffBaseMs, backoffCapMs, Math.random, error.retryAfterMs);
    return [await this.deliveries.fail(tx, ctx, delivery.id, new Date(Date.now() + wait), error.status ?? null, error.message)];
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
