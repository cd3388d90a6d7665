import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One trace from the SCIM request through the queue to the downstream call (ARCHITECTURE.md
 * principle 8): a write's transaction sets `delta.traceparent` when tracing is on, its outbox row
 * takes it by default (no change to the write statements), and the delivery keeps it for the
 * worker's span.
 */
export class TraceContext1763800600000 implements MigrationInterface {
  name = 'TraceContext1763800600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN trace_context text DEFAULT nullif(current_setting('delta.traceparent', true), '')`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN trace_context text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN trace_context`);
    await q.query(`ALTER TABLE outbox DROP COLUMN trace_context`);
  }
}
