export type DeliveryState = 'pending' | 'in_flight' | 'retrying' | 'succeeded' | 'dead';
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'in_flight', 'retrying', 'succeeded', 'dead'];

/** One unit of fan-out work: converge resource R in connection C, or deliver one event. */
export interface DeliveryRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly connectionId: string;
  readonly resourceType: 'User' | 'Group';
  readonly resourceId: string;
  readonly mode: 'converge' | 'event';
  readonly state: DeliveryState;
  readonly generation: number;
  readonly deliveredGeneration: number;
  readonly sequence: string;
  readonly eventType: string | null;
  readonly payload: Record<string, unknown> | null;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: Date;
  readonly committedAt: Date;
  /** W3C traceparent of the SCIM request that caused it, when tracing is on. */
  readonly traceContext: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What the queue needs to run a delivery: its job id changes whenever a new run is warranted. */
export interface DeliveryJobRef {
  readonly organizationId: string;
  readonly id: string;
  readonly attempts: number;
  readonly generation: number;
  readonly nextAttemptAt: Date;
}

/**
 * The job id of one scheduled run: it changes whenever the run it stands for changes (another
 * attempt, a newer generation, a new time), so a stale job never blocks its replacement, and the
 * same run enqueued twice (relay and sweeper) is one job. BullMQ refuses ':' in custom ids.
 */
export function deliveryJobId(ref: Pick<DeliveryJobRef, 'id' | 'attempts' | 'generation' | 'nextAttemptAt'>): string {
  return `dlv_${ref.id}_${ref.attempts}_${ref.generation}_${ref.nextAttemptAt.getTime()}`;
}
