import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig } from '@delta/config';
import { createLogger } from '@delta/observability';
import { OpenedDatabase, openDatabase } from '@delta/persistence';
import { createApiApp } from '../../apps/api/src/api.app';
import { LogCapture } from './log-capture';

export const TEST_ADMIN_KEY = `test_admin_${randomBytes(24).toString('hex')}`;
export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');

export interface TestApi {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly logs: LogCapture;
  readonly db: OpenedDatabase;
  close(): Promise<void>;
}

/** The real API on the run's PostgreSQL, listening on a free loopback port. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const config = loadConfig({
    DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    OTEL_SDK_DISABLED: 'true',
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger(config, logs);
  const db = await openDatabase(config);
  const app = await createApiApp(config, db, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    config,
    logs,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export interface HttpResult<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** fetch with JSON in and out; `auth` is the bearer token (admin key by default). */
export async function call<T = any>(
  api: { url: string },
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? TEST_ADMIN_KEY : options.auth;
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(`${api.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export function uniqueSlug(prefix = 'org'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export async function createOrganization(api: { url: string }, name = 'Test Org'): Promise<{ id: string; slug: string; scim: { endpoint_url: string } }> {
  const result = await call(api, 'POST', '/v1/organizations', { body: { name, slug: uniqueSlug() } });
  if (result.status !== 201) throw new Error(`create organization: ${result.status} ${result.text}`);
  return result.body;
}

export async function createScimToken(
  api: { url: string },
  orgId: string,
  body: Record<string, unknown> = { name: 'IdP' },
): Promise<{ id: string; token: string }> {
  const result = await call(api, 'POST', `/v1/organizations/${orgId}/scim/tokens`, { body });
  if (result.status !== 201) throw new Error(`create token: ${result.status} ${result.text}`);
  return result.body;
}

/** Polls until `check` passes or the deadline: for effects that are asynchronous by design. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 5000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
