import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { SqlRunner } from './sql-runner';
import type { TenantContext } from './tenant-context';

export type NotificationHandler = (payload: string) => void;

/**
 * The application's only way to the database. Every transaction runs as the non-owner role
 * `delta_app`, so PostgreSQL row-level security is always in force:
 * - `tenant(ctx, …)` sets `delta.org_id` for the transaction; policies show that tenant's rows only.
 * - `system(…)` sets `delta.cross_tenant` for the few operations that span tenants by design
 *   (listing organizations, the outbox relay, token bookkeeping); it is named so it stands out in review.
 * A statement outside both sees no tenant rows at all (fail closed).
 */
export abstract class Database {
  abstract tenant<T>(ctx: TenantContext, work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  abstract system<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs one statement outside any scope; used by health checks and by the RLS proof in tests. */
  abstract unscoped<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** LISTEN on a channel; `onReset` runs when notifications may have been missed (reconnect). */
  abstract listen(channel: string, handler: NotificationHandler, onReset?: () => void): Promise<() => Promise<void>>;
  abstract close(): Promise<void>;
}

export const CHANNELS = {
  tokenRevoked: 'delta_token_revoked',
  outbox: 'delta_outbox',
  deliveries: 'delta_deliveries',
  /** Payload: an organization id. Its attribute mapping changed or a re-mapping was queued. */
  mappingChanged: 'delta_mapping_changed',
} as const;

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The W3C traceparent of the active span, when tracing is on: the transaction records it
 * (`delta.traceparent`) so an outbox row carries the trace of the SCIM request that wrote it, and
 * the delivery's span continues that trace in the worker.
 */
function activeTraceparent(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return undefined;
  const value = `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
  return TRACEPARENT.test(value) ? value : undefined;
}

/** The SQL that opens a scoped transaction. The org id is validated as a UUID, the traceparent by its pattern. */
export function beginSql(scope: { organizationId: string } | 'system'): string {
  const begin =
    scope === 'system'
      ? "BEGIN; SELECT set_config('delta.cross_tenant', 'on', true)"
      : `BEGIN; SELECT set_config('delta.org_id', '${scope.organizationId}', true)`;
  const traceparent = activeTraceparent();
  return traceparent ? `${begin}, set_config('delta.traceparent', '${traceparent}', true)` : begin;
}
