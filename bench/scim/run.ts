import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { Client } from 'pg';
import { loadConfig } from '@delta/config';
import { runMigrations } from '@delta/persistence';
import { LoadResult, load, table } from '../support';
import { COUNTER_PRELOAD, Served, startDelta, startRaw, stop, stopAll } from './processes';
import { P99_TARGET_MS, Pair, RoundTrips, WhatIf, comparisonTable, roundTripTable, scalingTable, whatIfTable } from './report';
import { SEED, TOTAL_USERS, addSeededMembers, sampleUserIds, seed, settle } from './seed';
import * as work from './workload';

/**
 * SCIM core benchmark (issue 3): Delta's SCIM hot paths on the production topology (PostgreSQL,
 * Redis for the rate limiter, one API process started as `npm run start:api` does) against a
 * raw node:http + pg server issuing the same SQL, on a database of 1,000 organizations and
 * 1,000,000 users. `bash bench/run.sh scim` → bench/results/scim.md.
 */
const BASE = process.env.BENCH_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const DURATION = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_S ?? 2);
const CONNECTIONS = 16;
/** Candidates to add and remove; one more than COUNTED so the warm-up request of a count uses its own. */
const MEMBER_CANDIDATES = 33;
const COUNTED = 32;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function withOwner<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `delta_bench_scim_${Date.now().toString(36)}`;
  await withOwner(BASE, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  await runMigrations(loadConfig({ DATABASE_URL: url.toString() }));
  return url.toString();
}

async function call(url: string, method: string, body: unknown, auth: string, contentType = 'application/json'): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${auth}`, 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** Warm-up, then the measured run; `reset` puts shared state back (group memberships) around both. */
async function measure(label: string, target: work.Target, requests: () => autocannon.Request[], reset?: () => Promise<void>): Promise<LoadResult> {
  await load(`${label} (warm-up)`, { url: target.url, requests: requests(), connections: CONNECTIONS, durationS: WARMUP });
  await reset?.();
  const result = await load(`${target.name}: ${label}`, { url: target.url, requests: requests(), connections: CONNECTIONS, durationS: DURATION });
  await reset?.();
  log(`${result.label}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}, non-2xx ${result.non2xx}`);
  return result;
}

/** Counts the round trips of `n` sequential requests after one unmeasured request (token cache, JIT). */
async function countRoundTrips(served: Served, n: number, send: (i: number) => Promise<unknown>): Promise<{ pg: number; redis: number }> {
  await send(n);
  const reset = served.nextLine('ROUNDTRIPS ');
  served.child.kill('SIGWINCH');
  await reset;
  for (let i = 0; i < n; i++) await send(i);
  const line = served.nextLine('ROUNDTRIPS ');
  served.child.kill('SIGWINCH');
  const counts = JSON.parse((await line).slice('ROUNDTRIPS '.length)) as { pg: number; redis: number };
  return { pg: counts.pg / n, redis: counts.redis / n };
}

async function main(): Promise<void> {
  const started = Date.now();
  const databaseUrl = await freshDatabase();
  const adminKey = `bench_admin_${randomBytes(24).toString('hex')}`;
  const deltaEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `bench-scim-${Date.now().toString(36)}`,
    ADMIN_API_KEY: adminKey,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    // The limiter still runs (one Redis call per request) but never refuses.
    SCIM_RATE_LIMIT_PER_MINUTE: '10000000',
    SCIM_RATE_LIMIT_BURST: '10000000',
  };
  try {
    const seeded = await seed(databaseUrl, log);
    let delta = await startDelta(deltaEnv);
    let raw = await startRaw(databaseUrl);
    const tokenOf = async (orgId: string): Promise<string> =>
      (await call(`${delta.url}/v1/organizations/${orgId}/scim/tokens`, 'POST', { name: 'bench' }, adminKey)).token as string;
    const bench: work.Org = { id: seeded.benchOrgId, token: await tokenOf(seeded.benchOrgId) };
    const small: work.Org = { id: seeded.smallOrgId, token: await tokenOf(seeded.smallOrgId) };

    // Groups through the API, their seeded members as rows; the add/remove candidates are users
    // created through the API and in neither group.
    const scim = (org: work.Org, path: string, body: unknown) => call(`${delta.url}/scim/v2/${org.id}${path}`, 'POST', body, org.token, 'application/scim+json');
    const groupBody = (displayName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName });
    const bigGroup = (await scim(bench, '/Groups', groupBody('Everyone'))).id as string;
    const smallGroup = (await scim(bench, '/Groups', groupBody('Ten people'))).id as string;
    await addSeededMembers(databaseUrl, bench.id, bigGroup, 'bench', SEED.benchUsers);
    await addSeededMembers(databaseUrl, bench.id, smallGroup, 'bench', 10);
    const candidates: string[] = [];
    for (let i = 0; i < MEMBER_CANDIDATES; i++) candidates.push((await scim(bench, '/Users', work.userBody(`member-${i}@bench.example`))).id as string);
    await settle(databaseUrl);
    const ids = await sampleUserIds(databaseUrl, bench.id, 20_000);
    // autocannon returns with requests still in flight; let them commit before clearing up.
    const clearCandidates = (groupId: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await withOwner(databaseUrl, (c) => c.query('DELETE FROM group_members WHERE organization_id = $1 AND group_id = $2 AND member_id = ANY($3::uuid[])', [bench.id, groupId, candidates]));
    };
    log(`setup done in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const targets: work.Target[] = [
      { name: 'Delta', url: delta.url },
      { name: 'raw', url: raw.url },
    ];
    const both = async (key: string, label: string, requests: (t: work.Target) => autocannon.Request[], minRatio?: number, reset?: () => Promise<void>): Promise<Pair> => {
      const [d, r] = [await measure(label, targets[0]!, () => requests(targets[0]!), reset), await measure(label, targets[1]!, () => requests(targets[1]!), reset)];
      return { key, label, delta: d, raw: r, minRatio };
    };
    const benchName = (i: number) => seeded.userName('bench', i);
    const pairs: Pair[] = [
      await both('create', 'POST /Users', (t) => work.createUsers(bench, `load-${t.name}`), 0.7),
      await both('get', 'GET /Users/{id}', () => work.getUsers(bench, ids), 0.75),
      await both('filter', 'GET /Users?filter=userName eq (100k-user org)', () => work.filterUsers(bench, benchName, SEED.benchUsers), 0.75),
      await both('patch', 'PATCH /Users/{id} replace title', () => work.patchUsers(bench, ids)),
      await both('group-big', 'PATCH /Groups/{id} add/remove member, 100,000 members', () => work.toggleMembers(bench, bigGroup, candidates), undefined, clearCandidates(bigGroup)),
      await both('group-small', 'PATCH /Groups/{id} add/remove member, 10 members', () => work.toggleMembers(bench, smallGroup, candidates), undefined, clearCandidates(smallGroup)),
      await both('filter-small', 'GET /Users?filter=userName eq (1k-user org)', () => work.filterUsers(small, (i) => seeded.userName('small', i), SEED.smallUsers)),
    ];
    const byKey = (key: string) => pairs.find((p) => p.key === key)!;
    await stop(delta);
    await stop(raw);

    // What-if: Delta with OpenTelemetry tracing on (an OTLP exporter aimed at a closed port, so
    // spans are built, batched and dropped): what the instrumentations cost when someone wants them.
    delta = await startDelta({ ...deltaEnv, OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    const traced: work.Target = { name: 'Delta', url: delta.url };
    const whatIfs: WhatIf[] = [
      { label: 'Delta GET /Users/{id} with tracing on (OTLP exporter)', baseline: byKey('get').delta, changed: await measure('GET /Users/{id}, tracing on', traced, () => work.getUsers(bench, ids)) },
      { label: 'Delta POST /Users with tracing on (OTLP exporter)', baseline: byKey('create').delta, changed: await measure('POST /Users, tracing on', traced, () => work.createUsers(bench, 'load-traced')) },
    ];
    await stop(delta);

    // Profile: PostgreSQL and Redis round trips per request, from fresh processes with a counter preloaded.
    delta = await startDelta(deltaEnv, COUNTER_PRELOAD);
    raw = await startRaw(databaseUrl, COUNTER_PRELOAD);
    const send = (served: Served, method: string, path: string, body?: string) =>
      call(`${served.url}/scim/v2/${bench.id}${path}`, method, body, bench.token, 'application/scim+json');
    const shapes: Array<[string, (s: Served, i: number) => Promise<unknown>]> = [
      ['POST /Users', (s, i) => send(s, 'POST', '/Users', work.userBody(`count-${s === delta ? 'delta' : 'raw'}-${i}@bench.example`))],
      ['GET /Users/{id}', (s, i) => send(s, 'GET', `/Users/${ids[i]}`)],
      ['GET /Users?filter=userName eq', (s, i) => send(s, 'GET', work.filterPath(bench, benchName(i + 1)).slice(`/scim/v2/${bench.id}`.length))],
      ['PATCH /Users/{id} replace title', (s, i) => send(s, 'PATCH', `/Users/${ids[i]}`, work.replaceTitleBody(i))],
      ['PATCH /Groups/{id} add member (100k group)', (s, i) => send(s, 'PATCH', `/Groups/${bigGroup}`, work.addMemberBody(candidates[i]!))],
      ['PATCH /Groups/{id} remove member (100k group)', (s, i) => send(s, 'PATCH', `/Groups/${bigGroup}`, work.removeMemberBody(candidates[i]!))],
    ];
    // All of Delta's shapes, then all of raw's: each server adds the candidates, then removes them.
    const counted = new Map<Served, Array<{ pg: number; redis: number }>>();
    for (const served of [delta, raw]) {
      const counts: Array<{ pg: number; redis: number }> = [];
      for (const [, shape] of shapes) counts.push(await countRoundTrips(served, COUNTED, (i) => shape(served, i)));
      counted.set(served, counts);
    }
    const trips: RoundTrips[] = shapes.map(([label], i) => ({
      label,
      deltaPg: counted.get(delta)![i]!.pg,
      deltaRedis: counted.get(delta)![i]!.redis,
      rawPg: counted.get(raw)![i]!.pg,
    }));
    await stop(delta);
    await stop(raw);

    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const report = [
      `# SCIM core benchmark (issue 3)`,
      '',
      `${new Date().toISOString()} — ${CONNECTIONS} connections, ${DURATION} s per case after a ${WARMUP} s warm-up, whole run ${minutes} min.`,
      '',
      `Data: ${SEED.organizations} organizations, ${TOTAL_USERS.toLocaleString('en')} users (bench org ${SEED.benchUsers.toLocaleString('en')}, ` +
        `one org ${SEED.smallUsers.toLocaleString('en')}, the other ${SEED.organizations - 2} ~${Math.round(SEED.otherUsers / (SEED.organizations - 2))} each), ` +
        `a 100,000-member and a 10-member group in the bench org. Delta: one API process as \`npm run start:api\` runs it ` +
        `(PostgreSQL, Redis rate limiter set never to refuse, LOG_LEVEL=warn). raw: node:http + pg, same SQL and transaction ` +
        `preamble, no authentication (Delta's token check is a cached SHA-256 digest lookup).`,
      '',
      '## Delta vs raw',
      '',
      comparisonTable(pairs),
      '',
      '## Scaling',
      '',
      scalingTable('case', [
        { label: 'Delta filter userName eq: 1k-user org vs 100k-user org (1M users in the table)', small: byKey('filter-small').delta, big: byKey('filter').delta, minShare: 0.85, target: 'flat (≥ 85%)' },
        { label: 'raw filter userName eq: 1k-user org vs 100k-user org', small: byKey('filter-small').raw, big: byKey('filter').raw, minShare: 0.85, target: 'flat (≥ 85%)' },
        { label: 'Delta add/remove member: 10-member vs 100,000-member group', small: byKey('group-small').delta, big: byKey('group-big').delta, minShare: 0.5, target: 'within 2×' },
      ]),
      '',
      '## What if',
      '',
      whatIfTable(whatIfs),
      '',
      '## Round trips per request (sequential, counted in the server process)',
      '',
      roundTripTable(trips),
      '',
      '## All runs',
      '',
      table(pairs.flatMap((p) => [p.delta, p.raw])),
      '',
      `Latencies are autocannon's whole milliseconds. Target p99 < ${P99_TARGET_MS} ms applies to every Delta case.`,
      '',
    ].join('\n');
    process.stdout.write(`\n${report}`);
    mkdirSync(join(__dirname, '../../../bench/results'), { recursive: true });
    writeFileSync(join(__dirname, '../../../bench/results/scim.md'), report);
  } finally {
    await stopAll();
    await withOwner(BASE, (admin) => admin.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`));
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
