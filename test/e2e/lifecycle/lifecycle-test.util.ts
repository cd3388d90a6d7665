import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { type ApiProcess, startProcess } from '../../support/api-process';
import { ENTERPRISE, ScimClient, USER_SCHEMA } from '../../support/scim-client';
import { TEST_ENCRYPTION_KEY, type TestApi, call } from '../../support/test-api';
import type { LoggedRequest } from '../../emulators/support';

/**
 * The worker as its own process, configured as in test/e2e/delivery/scim-app-lifecycle (short
 * backoff), running one job at a time, so that "after a 429 nothing is sent before the
 * Retry-After" is exact and not blurred by deliveries already mid-call. DELIVERY_CONNECTION_CONCURRENCY=1
 * alone does not give that: DeliveryProcessor.attempt checks its in-flight count before awaiting
 * the rate limiter and only counts the slot after it, so concurrent jobs of one connection all
 * pass the check (several calls in flight were seen with the cap at 1); and even within the cap,
 * deliveries already in flight keep calling the app after another one got the 429.
 */
export function startLifecycleWorker(tag: string): Promise<ApiProcess> {
  return startProcess('apps/worker/src/main.js', {
    DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL!,
    REDIS_URL: process.env.DELTA_TEST_REDIS_URL!,
    REDIS_KEY_PREFIX: `${process.env.DELTA_TEST_REDIS_PREFIX}_${tag}_${randomBytes(3).toString('hex')}`,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DELIVERY_BACKOFF_BASE_MS: '200',
    DELIVERY_BACKOFF_CAP_MS: '1000',
    WORKER_CONCURRENCY: '1',
    DELIVERY_CONNECTION_CONCURRENCY: '1',
  });
}

/** A new organization (its own tenant) and a connection made through the admin API. */
export async function connect(api: TestApi, body: Record<string, unknown>): Promise<{ scim: ScimClient; connection: { id: string } & Record<string, unknown> }> {
  const scim = await ScimClient.forNewOrganization(api);
  const res = await call(api, 'POST', `/v1/organizations/${scim.orgId}/connections`, { body: { rate_limit: { requests_per_minute: 6000, burst: 100 }, ...body } });
  if (res.status !== 201) throw new Error(`create connection: ${res.status} ${res.text}`);
  return { scim, connection: res.body };
}

/** A SCIM User as an IdP sends it (Okta/Entra shape: work email primary, enterprise department). */
export function idpUser(userName: string, extra: { given?: string; family?: string; department?: string; nickName?: string; title?: string } = {}): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    userName,
    active: true,
    name: { givenName: extra.given ?? 'Grace', familyName: extra.family ?? 'Hopper' },
    emails: [{ value: userName, type: 'work', primary: true }],
    ...(extra.nickName ? { nickName: extra.nickName } : {}),
    ...(extra.title ? { title: extra.title } : {}),
    [ENTERPRISE]: { department: extra.department ?? 'Engineering' },
  };
}

/** Deliveries of a connection in a state (e.g. `dead`): "no lost change" means none dead. */
export async function deliveriesIn(api: TestApi, orgId: string, connectionId: string, state: string): Promise<unknown[]> {
  const res = await call(api, 'GET', `/v1/organizations/${orgId}/deliveries?connection_id=${connectionId}&state=${state}&limit=100`);
  if (res.status !== 200) throw new Error(`list deliveries: ${res.status} ${res.text}`);
  return res.body.data;
}

export interface Answer {
  /** Epoch ms when the emulator wrote the status line. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Record<string, string>;
}

/**
 * Records every answer an emulator writes, with its headers (the request log keeps only the
 * status): what the app told the engine, e.g. `Retry-After` or `x-ratelimit-reset`.
 */
export function recordAnswers(server: Server): Answer[] {
  const answers: Answer[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
    (res as unknown as { writeHead: typeof writeHead }).writeHead = (status: number, headers?: OutgoingHttpHeaders) => {
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) flat[k.toLowerCase()] = String(v);
      answers.push({ at: Date.now(), method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status, headers: flat });
      return writeHead(status, headers);
    };
  });
  return answers;
}

/**
 * The first refusal, and the first request the engine sent after it: the gap is what the engine
 * waited. `waitMs(answer)` is the wait the app asked for (Retry-After, x-ratelimit-reset, …).
 */
export function firstRefusalAndNext(answers: readonly Answer[], log: readonly LoggedRequest[], isRefusal: (a: Answer) => boolean): { refusal: Answer; next: LoggedRequest } {
  const refusal = answers.find(isRefusal);
  if (!refusal) throw new Error(`no refusal among ${answers.length} answers`);
  const next = log.find((e) => e.time > refusal.at);
  if (!next) throw new Error('no request after the refusal');
  return { refusal, next };
}
