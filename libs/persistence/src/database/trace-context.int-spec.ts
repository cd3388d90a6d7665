import { randomUUID } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '@delta/config';
import { OpenedDatabase, openDatabase } from './database.factory';

/** The trace of a SCIM request reaches its outbox row, without the write statements knowing. */
describe('trace context on outbox rows', () => {
  let opened: OpenedDatabase;
  let org: string;
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    opened = await openDatabase(loadConfig({ DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL }));
    const [row] = await opened.database.system((tx) =>
      tx.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Trace', $1) RETURNING id`, [`trace-${randomUUID().slice(0, 8)}`]),
    );
    org = row!.id;
  });
  afterAll(async () => {
    await opened.close();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('records the active span as the traceparent of the outbox row, and nothing without one', async () => {
    const ctx = { organizationId: org };
    const insert = () =>
      opened.database.tenant(ctx, (tx) =>
        tx.query<{ trace_context: string | null }>(
          `INSERT INTO outbox (organization_id, resource_type, resource_id, operation) VALUES ($1, 'User', gen_random_uuid(), 'created') RETURNING trace_context`,
          [org],
        ),
      );
    const span = trace.getTracer('test').startSpan('POST /scim/v2/Users');
    const [traced] = await context.with(trace.setSpan(context.active(), span), insert);
    span.end();
    const { traceId, spanId } = span.spanContext();
    expect(traced!.trace_context).toBe(`00-${traceId}-${spanId}-01`);
    const [untraced] = await insert();
    expect(untraced!.trace_context).toBeNull();
  });
});
