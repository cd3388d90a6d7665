import type { INestApplicationContext } from '@nestjs/common';
import { InProcessJobQueue } from '@delta/jobs';
import { createLogger } from '@delta/observability';
import { createWorkerApp } from '../../../apps/worker/src/worker.app';
import type { TestApi } from '../../support/test-api';

/** The real worker (in-process job queue) on the test API's database and configuration. */
export async function startTestWorker(api: TestApi): Promise<{ app: INestApplicationContext; queue: InProcessJobQueue; close(): Promise<void> }> {
  const queue = new InProcessJobQueue();
  const app = await createWorkerApp(api.config, api.db, queue, createLogger(api.config, api.logs));
  return {
    app,
    queue,
    async close() {
      await queue.close();
      await app.close();
    },
  };
}

/**
 * Inserts `count` users the way SCIM would store them, set-based, as delta_app in the tenant
 * scope (RLS applies): userName user-<i>@<domain>, every `titleEvery`-th one with a title. The
 * profile is what the default mapping makes of that document, so only a mapping change moves it.
 */
export async function seedUsers(api: TestApi, organizationId: string, count: number, options: { titleEvery?: number; profile?: 'mapped' | 'empty' } = {}): Promise<void> {
  const titleEvery = options.titleEvery ?? 0;
  await api.db.database.tenant({ organizationId }, (tx) =>
    tx.execute(
      `INSERT INTO users (organization_id, user_name, external_id, active, resource, profile)
       SELECT $1, s.user_name, 'ext-' || i, true, s.resource,
         CASE WHEN $4 = 'empty' THEN '{}'::jsonb ELSE jsonb_build_object(
           'email_address', s.user_name, 'first_name', 'First' || i, 'last_name', 'Last' || i, 'external_id', 'ext-' || i,
           'active', true, 'organization_role', 'member', 'public_metadata', '{}'::jsonb, 'private_metadata', '{}'::jsonb) END
       FROM generate_series(1, $2::int) AS i,
       LATERAL (SELECT 'user-' || lpad(i::text, 6, '0') || '@seed.example' AS user_name) n,
       LATERAL (SELECT n.user_name,
         jsonb_build_object('userName', n.user_name, 'externalId', 'ext-' || i, 'active', true,
           'name', jsonb_build_object('givenName', 'First' || i, 'familyName', 'Last' || i))
         || CASE WHEN $3 > 0 AND i % $3 = 0 THEN jsonb_build_object('title', 'Title ' || i) ELSE '{}'::jsonb END AS resource) s`,
      [organizationId, count, titleEvery, options.profile ?? 'mapped'],
    ),
  );
}
