import type { DeliveryRecord } from '@delta/persistence';

/** A delivery as /v1 shows it (issue 5 contract). */
export interface DeliveryOutput {
  readonly id: string;
  readonly connection_id: string;
  readonly resource_type: string;
  readonly resource_id: string;
  readonly state: string;
  /** The webhook event type, for event deliveries. */
  readonly event_type: string | null;
  readonly attempts: number;
  readonly last_status: number | null;
  readonly last_error: string | null;
  readonly next_attempt_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export function toDeliveryOutput(delivery: DeliveryRecord): DeliveryOutput {
  const waiting = delivery.state === 'pending' || delivery.state === 'retrying';
  return {
    id: delivery.id,
    connection_id: delivery.connectionId,
    resource_type: delivery.resourceType,
    resource_id: delivery.resourceId,
    state: delivery.state,
    event_type: delivery.eventType,
    attempts: delivery.attempts,
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
    next_attempt_at: waiting ? delivery.nextAttemptAt.toISOString() : null,
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
  };
}
