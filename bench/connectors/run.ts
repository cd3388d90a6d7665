import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { loadConfig } from '@delta/config';
import { DEFAULT_RATE_LIMITS } from '@delta/connectors';
import { runMigrations } from '@delta/persistence';
import { startApi, startWorker, stopAll } from '../delivery/processes';
import { DOMAIN, GITHUB_ORG, GITHUB_TOKEN, GOOGLE_ADMIN, type HostStats, type Kind, SCIM_TOKEN, SLACK_TOKEN, email, groupName, login } from './fixture';
import { type Binding, type Call, endpointOf, idealCalls, isRateRefusal, minimum } from './limits';

/**
 * Initial sync benchmark (issue 6): for each connector, an organization of N users in N/50
 * groups of 50 is seeded in Delta through SCIM, a connection to the emulator (the vendor's
 * documented limits on, the connection's rate_limit at the connector default) is created and
 * resynced, and the time until the emulator holds every user and membership is compared with the
 * least time the vendor's limits allow. `bash bench/run.sh connectors` → bench/results/connectors.md.
 * BENCH_CONNECTORS=slack,google and BENCH_N_<KIND>=… for a shorter run.
 */
const BASE = process.env.BENCH_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const PER_GROUP = 50;
const TIMEOUT_S = num('BENCH_TIMEOUT_S', 240);
/** A generic SCIM app documents nothing: the emulator is given the limit Delta's default assumes. */
const SCIM_LIMIT = { perMin: num('BENCH_SCIM_RPM', DEFAULT_RATE_LIMITS.scim.requests_per_minute), burst: num('BENCH_SCIM_BURST', DEFAULT_RATE_LIMITS.scim.burst) };
const SIZES: Record<Kind, number> = { scim: num('BENCH_N_SCIM', 100), slack: num('BENCH_N_SLACK', 450), github: num('BENCH_N_GITHUB', 50), google: num('BENCH_N_GOOGLE', 1000) };
const KINDS = (process.env.BENCH_CONNECTORS ?? 'scim,slack,github,google').split(',') as Kind[];
const TARGET_USERS = 10_000;
const ROOT = join(__dirname, '../../..');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface Host {
  readonly child: ChildProcess;
  readonly url: string;
  readonly control: string;
}

async function startHost(kind: Kind, users: number, groups: number): Promise<Host> {
  const child = spawn(process.execPath, ['--enable-source-maps', join(__dirname, 'emulator-host.js'), kind, String(users), String(groups), String(PER_GROUP), String(SCIM_LIMIT.perMin), String(SCIM_LIMIT.burst)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator host ${kind} not ready:\n${tail.join('\n')}`)), 60_000);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          const [, url, control] = line.split(' ');
          resolve({ child, url: url!, control: control! });
        }
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code) => reject(new Error(`emulator host ${kind} exited with ${code}:\n${tail.join('\n')}`)));
  });
}

async function stopHost(host: Host): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  host.child.kill('SIGTERM');
  await exited;
}

const stats = async (host: Host): Promise<HostStats> => (await fetch(`${host.control}/stats`)).json() as Promise<HostStats>;

class Admin {
  constructor(
    private readonly apiUrl: string,
    private readonly key: string,
  ) {}

  async call(method: string, path: string, body?: unknown, token = this.key): Promise<any> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': path.startsWith('/scim/') ? 'application/scim+json' : 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }
}

/** N users and N/50 groups of 50 through Delta's SCIM API, 8 requests in flight. */
async function seed(admin: Admin, orgId: string, token: string, users: number, groups: number): Promise<void> {
  const ids: string[] = new Array(users);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < users; i = next++) {
      const user = await admin.call(
        'POST',
        `/scim/v2/${orgId}/Users`,
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: email(i),
          nickName: login(i),
          active: true,
          name: { givenName: 'Bench', familyName: `User ${i}` },
          emails: [{ value: email(i), type: 'work', primary: true }],
        },
        token,
      );
      ids[i] = user.id as string;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (let g = 0; g < groups; g++) {
    const members = ids.slice(g * PER_GROUP, (g + 1) * PER_GROUP).map((value) => ({ value }));
    await admin.call('POST', `/scim/v2/${orgId}/Groups`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: groupName(g), members }, token);
  }
}

function connectionBody(kind: Kind, host: Host, serviceAccount: Record<string, unknown> | undefined): Record<string, unknown> {
  const rate_limit = DEFAULT_RATE_LIMITS[kind];
  switch (kind) {
    case 'scim':
      return { type: 'scim', name: 'SCIM app', config: { base_url: host.url }, credentials: { token: SCIM_TOKEN }, rate_limit };
    case 'slack':
      return { type: 'slack', name: 'Slack', config: { base_url: host.url }, credentials: { token: SLACK_TOKEN }, rate_limit };
    case 'github':
      // Organization mode with the login mapped from the IdP's nickName, as the lifecycle suite does.
      return { type: 'github', name: 'GitHub', config: { mode: 'organization', org: GITHUB_ORG, base_url: host.url, attribute_mapping: { login: 'scim:nickName' } }, credentials: { token: GITHUB_TOKEN }, rate_limit };
    case 'google':
      return { type: 'google', name: 'Google Workspace', config: { base_url: host.url, domain: DOMAIN }, credentials: { service_account_json: JSON.stringify(serviceAccount), subject: GOOGLE_ADMIN }, rate_limit };
  }
}

export interface ConnectorResult {
  readonly kind: Kind;
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly rateLimit: { requests_per_minute: number; burst: number };
  readonly seedS: number;
  /** Resync call → the emulator holds every user, group and membership; null when it did not within the timeout. */
  readonly syncS: number | null;
  readonly reached: { users: number; groups: number; memberships: number };
  readonly calls: number;
  readonly tokenCalls: number;
  readonly byEndpoint: ReadonlyArray<{ endpoint: string; calls: number; refused: number }>;
  readonly refusals: number;
  readonly firstRefusalS: number | null;
  readonly refusalStatuses: Record<string, number>;
  readonly ideal: Binding[];
  readonly actual: Binding[];
  readonly extrapolated: { ideal: Binding[]; actual: Binding[]; engineMin: number; linearMin: number | null };
  readonly deliveries: Record<string, number>;
  readonly deliveryAttempts: number;
}

async function runConnector(kind: Kind, admin: Admin, db: Pool, runId: string): Promise<ConnectorResult> {
  const users = SIZES[kind];
  const groups = Math.max(1, Math.round(users / PER_GROUP));
  const memberships = Math.min(users, groups * PER_GROUP);
  const host = await startHost(kind, users, groups);
  try {
    const seedStart = Date.now();
    const org = await admin.call('POST', '/v1/organizations', { name: `Connectors ${kind}`, slug: `conn-${runId}-${kind}` });
    const token = (await admin.call('POST', `/v1/organizations/${org.id}/scim/tokens`, { name: 'bench' })).token as string;
    await seed(admin, org.id, token, users, groups);
    const seedS = (Date.now() - seedStart) / 1000;
    const { serviceAccount } = await stats(host);
    const connection = await admin.call('POST', `/v1/organizations/${org.id}/connections`, connectionBody(kind, host, serviceAccount));
    log(`${kind}: seeded ${users} users, ${groups} groups in ${seedS.toFixed(1)} s; resync`);
    const t0 = Date.now();
    await admin.call('POST', `/v1/organizations/${org.id}/connections/${connection.id}/resync`);
    let s = await stats(host);
    while (s.doneAt === null && Date.now() - t0 < TIMEOUT_S * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      s = await stats(host);
      if (Math.round((Date.now() - t0) / 1000) % 20 === 0) log(`  ${kind} t=${((Date.now() - t0) / 1000).toFixed(0)} s: ${s.users}/${users} users, ${s.groups}/${groups} groups, ${s.memberships}/${memberships} memberships, ${s.requests.length} requests`);
    }
    // Let trailing deliveries (group re-convergence after links) finish, so every call is counted.
    const settleBy = Date.now() + 20_000;
    let deliveries: Record<string, number> = {};
    let attempts = 0;
    while (Date.now() < settleBy) {
      const { rows } = await db.query<{ state: string; n: string; attempts: string }>(`SELECT state, count(*) AS n, sum(attempts) AS attempts FROM deliveries WHERE connection_id = $1 GROUP BY state`, [connection.id]);
      deliveries = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      attempts = rows.reduce((sum, r) => sum + Number(r.attempts), 0);
      if (s.doneAt === null || rows.every((r) => r.state === 'succeeded' || r.state === 'dead')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    s = await stats(host);
    const made = s.requests.filter((r) => r.time >= t0);
    const api = made.filter((r) => r.path !== '/token');
    const refused = api.filter((r) => isRateRefusal(kind, r));
    const byEndpoint = new Map<string, { calls: number; refused: number }>();
    for (const r of api) {
      const e = byEndpoint.get(endpointOf(r)) ?? { calls: 0, refused: 0 };
      e.calls++;
      if (isRateRefusal(kind, r)) e.refused++;
      byEndpoint.set(endpointOf(r), e);
    }
    const refusalStatuses: Record<string, number> = {};
    for (const r of refused) refusalStatuses[String(r.status)] = (refusalStatuses[String(r.status)] ?? 0) + 1;
    const ratio = TARGET_USERS / users;
    const targetGroups = TARGET_USERS / PER_GROUP;
    // Delta's own calls at 10,000 users: every endpoint scaled with the organization (groups grow with users).
    const scaled: Call[] = [];
    for (const [endpoint, e] of byEndpoint) {
      const [method, path] = endpoint.split(' ') as [string, string];
      const accepted = e.calls - e.refused;
      for (let i = 0; i < Math.round(accepted * ratio); i++) scaled.push({ method, path: path.replace(/\{id\}/g, 'x') });
    }
    const rate = DEFAULT_RATE_LIMITS[kind];
    const syncS = s.doneAt === null ? null : (s.doneAt - t0) / 1000;
    return {
      kind,
      users,
      groups,
      memberships,
      rateLimit: rate,
      seedS,
      syncS,
      reached: { users: s.users, groups: s.groups, memberships: s.memberships },
      calls: api.length,
      tokenCalls: made.length - api.length,
      byEndpoint: [...byEndpoint].map(([endpoint, e]) => ({ endpoint, ...e })).sort((a, b) => b.calls - a.calls),
      refusals: refused.length,
      firstRefusalS: refused[0] ? (refused[0].time - t0) / 1000 : null,
      refusalStatuses,
      ideal: minimum(kind, idealCalls(kind, users, groups, PER_GROUP), SCIM_LIMIT),
      actual: minimum(kind, api.filter((r) => !isRateRefusal(kind, r)), SCIM_LIMIT),
      extrapolated: {
        ideal: minimum(kind, idealCalls(kind, TARGET_USERS, targetGroups, PER_GROUP), SCIM_LIMIT),
        actual: minimum(kind, scaled, SCIM_LIMIT),
        // The engine takes one rate-limit slot per delivery: one per user and one per group.
        engineMin: Math.max(0, TARGET_USERS + targetGroups - rate.burst) / rate.requests_per_minute,
        linearMin: syncS === null ? null : (syncS * ratio) / 60,
      },
      deliveries,
      deliveryAttempts: attempts,
    };
  } finally {
    await stopHost(host);
  }
}

const fmtMin = (minutes: number): string => {
  if (minutes >= 2 * 1440) return `${(minutes / 1440).toFixed(1)} d`;
  if (minutes >= 120) return `${(minutes / 60).toFixed(1)} h`;
  if (minutes >= 1) return `${minutes.toFixed(1)} min`;
  return `${(minutes * 60).toFixed(0)} s`;
};

function report(results: readonly ConnectorResult[], minutes: string): string {
  const lines: string[] = [
    '# Connectors initial sync (issue 6)',
    '',
    `${new Date().toISOString()} — whole run ${minutes} min. One API and one worker process (dist-bench/apps/{api,worker}/src/main.js, worker defaults: ` +
      `WORKER_CONCURRENCY ${loadConfig({}).worker.concurrency}, DELIVERY_CONNECTION_CONCURRENCY ${loadConfig({}).delivery.perConnectionConcurrency}), ` +
      'each emulator in its own process with the vendor\'s documented limits on (emulator defaults; the generic SCIM app, which has no vendor, ' +
      `${SCIM_LIMIT.perMin}/min burst ${SCIM_LIMIT.burst}, the limit Delta's scim default assumes). Per connector: N users and N/50 groups of ${PER_GROUP} seeded through Delta's SCIM API, ` +
      'then a connection with `rate_limit` = the connector default (libs/connectors/src/connector-types.ts) and `POST …/connections/{id}/resync`; ' +
      'time = resync call → the emulator holds every user (active), group and membership. Theoretical minimum = the slowest vendor bucket ' +
      '(calls − what it allows at once) / its rate, for the calls a sync cannot avoid (one create per user and group, members in as few calls as the API allows); ' +
      '"with Delta\'s calls" = the same for the calls Delta actually made (refused ones excluded).',
    '',
    '| connector | N users / groups / memberships | connection rate_limit | binding vendor limit | theoretical min | min with Delta\'s calls | measured | measured / min | calls (per user) | rate-limit refusals (after the first) |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const ideal = r.ideal[0]!;
    const actual = r.actual[0]!;
    const measured = r.syncS === null ? `not done in ${TIMEOUT_S} s (${r.reached.users}/${r.users} users, ${r.reached.memberships}/${r.memberships} memberships)` : `${r.syncS.toFixed(1)} s`;
    const ratio = r.syncS === null || ideal.minutes === 0 ? '–' : `${((r.syncS / 60 / ideal.minutes) * 100).toFixed(0)}%`;
    lines.push(
      `| ${r.kind} | ${r.users} / ${r.groups} / ${r.memberships} | ${r.rateLimit.requests_per_minute}/min, burst ${r.rateLimit.burst} | ${ideal.bucket} | ${fmtMin(ideal.minutes)} | ${fmtMin(actual.minutes)} (${actual.bucket}) | ${measured} | ${ratio} | ${r.calls} (${(r.calls / r.users).toFixed(2)})${r.tokenCalls ? ` + ${r.tokenCalls} token` : ''} | ${r.refusals} (${Math.max(0, r.refusals - 1)}) |`,
    );
  }
  lines.push('', `## Extrapolation to ${TARGET_USERS.toLocaleString('en')} users in ${TARGET_USERS / PER_GROUP} groups`, '');
  lines.push('| connector | theoretical min (binding) | Delta\'s calls scaled (binding) | engine pacing alone (deliveries / rate_limit) | measured × ' + 'scale |', '| --- | --- | --- | ---: | ---: |');
  for (const r of results) {
    const x = r.extrapolated;
    lines.push(`| ${r.kind} | ${fmtMin(x.ideal[0]!.minutes)} (${x.ideal[0]!.bucket}) | ${fmtMin(x.actual[0]!.minutes)} (${x.actual[0]!.bucket}) | ${fmtMin(x.engineMin)} | ${x.linearMin === null ? '–' : fmtMin(x.linearMin)} |`);
  }
  for (const r of results) {
    lines.push('', `### ${r.kind}`, '');
    lines.push(
      `Seeded in ${r.seedS.toFixed(1)} s. Deliveries: ${JSON.stringify(r.deliveries)}, attempts ${r.deliveryAttempts}. Rate-limit refusals ${r.refusals}${r.refusals ? ` (statuses ${JSON.stringify(r.refusalStatuses)}, first ${r.firstRefusalS!.toFixed(1)} s after the resync)` : ''}.`,
    );
    lines.push('', '| endpoint | calls | refused | per user |', '| --- | ---: | ---: | ---: |');
    for (const e of r.byEndpoint) lines.push(`| ${e.endpoint} | ${e.calls} | ${e.refused} | ${(e.calls / r.users).toFixed(2)} |`);
    lines.push('', '| vendor bucket | ideal calls | least time | Delta\'s calls | least time |', '| --- | ---: | ---: | ---: | ---: |');
    for (const b of r.actual) {
      const ideal = r.ideal.find((i) => i.bucket === b.bucket);
      lines.push(`| ${b.bucket} | ${ideal?.calls ?? 0} | ${fmtMin(ideal?.minutes ?? 0)} | ${b.calls} | ${fmtMin(b.minutes)} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const runId = Date.now().toString(36);
  const dbName = `delta_bench_conn_${runId}`;
  const owner = new Client({ connectionString: BASE });
  await owner.connect();
  await owner.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(BASE);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench-conn-${runId}`;
  const redis = new Redis(redisUrl);
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await runMigrations(loadConfig({ DATABASE_URL: databaseUrl }));
    const adminKey = `bench_admin_${randomBytes(24).toString('hex')}`;
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      ADMIN_API_KEY: adminKey,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      SCIM_RATE_LIMIT_PER_MINUTE: '10000000',
      SCIM_RATE_LIMIT_BURST: '10000000',
    };
    const api = await startApi(env);
    await startWorker(env);
    const admin = new Admin(api.url, adminKey);
    log(`setup done in ${((Date.now() - started) / 1000).toFixed(0)} s (database ${dbName}, Redis prefix ${prefix})`);
    const results: ConnectorResult[] = [];
    for (const kind of KINDS) {
      const result = await runConnector(kind, admin, db, runId);
      log(`${kind}: ${result.syncS === null ? 'NOT DONE' : `${result.syncS.toFixed(1)} s`}, theoretical min ${fmtMin(result.ideal[0]!.minutes)}, ${result.calls} calls, ${result.refusals} refusals`);
      results.push(result);
    }
    const text = `${report(results, ((Date.now() - started) / 60_000).toFixed(1))}\n`;
    log(text);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const complete = KINDS.length === 4 && Object.keys(SIZES).every((k) => process.env[`BENCH_N_${k.toUpperCase()}`] === undefined);
    writeFileSync(join(ROOT, 'bench/results', complete ? 'connectors.md' : 'connectors-partial.md'), text);
    writeFileSync(join(ROOT, 'bench/results', complete ? 'connectors.json' : 'connectors-partial.json'), JSON.stringify(results, null, 2));
  } finally {
    await stopAll();
    await db.end().catch(() => undefined);
    await owner.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((error: unknown) => log(`could not drop ${dbName}: ${String(error)}`));
    await owner.end();
    let cursor = '0';
    let removed = 0;
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== '0');
    log(`dropped ${dbName}, removed ${removed} Redis keys under ${prefix}:`);
    redis.disconnect();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
