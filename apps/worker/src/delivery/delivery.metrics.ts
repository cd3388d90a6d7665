import { Injectable } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import type { FailureKind } from '@delta/connectors';
import type { DeliveryRecord } from '@delta/persistence';

/**
 * Delivery metrics (OpenTelemetry; exported only when OTEL_METRICS_EXPORTER names an exporter):
 * outcomes by connection type, retries, rate-limit waits, and the end-to-end lag from the SCIM
 * commit to the app's acknowledgement.
 */
@Injectable()
export class DeliveryMetrics {
  private readonly meter = metrics.getMeter('delta.delivery');
  private readonly outcomes = this.meter.createCounter('delta.deliveries', { description: 'Delivery attempts by outcome' });
  private readonly waits = this.meter.createHistogram('delta.delivery.rate_limit_wait', { unit: 'ms', description: 'Waits imposed by a connection rate limit' });
  private readonly lag = this.meter.createHistogram('delta.delivery.lag', { unit: 'ms', description: 'SCIM commit to downstream acknowledgement' });

  delivered(type: string, delivery: DeliveryRecord): void {
    this.outcomes.add(1, { 'connection.type': type, outcome: 'succeeded' });
    this.lag.record(Date.now() - delivery.committedAt.getTime(), { 'connection.type': type });
  }

  failed(type: string, kind: FailureKind): void {
    this.outcomes.add(1, { 'connection.type': type, outcome: kind });
  }

  deadLettered(type: string): void {
    this.outcomes.add(1, { 'connection.type': type, outcome: 'dead' });
  }

  rateLimitWait(type: string, ms: number): void {
    this.waits.record(ms, { 'connection.type': type });
  }
}
