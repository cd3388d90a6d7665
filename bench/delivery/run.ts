import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { loadConfig } from '@delta/config';
import { runMigrations } from '@delta/persistence';
import { simulateOutage } from './backoff-model';
import { ReceiverControl, percentile } from './observe';
import { startApi, startReceiver, stopAll } from './processes';
import { Report, details, summaryTable } from './report';
import { Rig } from './rig';
import { DrainResult, LagResult, LimitResult, OutageResult, backlogDrain, lag, outage, rateLimited } from './scenarios';

/**
 * Fan-out benchmark (issue 5) on the production topology: PostgreSQL, Redis, one API and one
 * worker process from their built entry points, a signature-verifying webhook receiver in its
 * own process, the SCIM load generator here. `bash bench/run.sh delivery` →
 * bench/results/delivery.md. Sizes can be shrunk for a trial run with the BENCH_* variables.
 */
const BASE = process.env.BENCH_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const RATE = num('BENCH_RATE', 200);
const LAG_S = num('BENCH_LAG_S', 30);
const BACKLOG = num('BENCH_BACKLOG', 20_000);
const LIMIT_R = num('BENCH_LIMIT_R', 600);
const LIMIT_BURST = num('BENCH_LIMIT_BURST', 20);
/** Enough for a little over two minutes at R (the receiver's windows are clock minutes). */
const LIMIT_BACKLOG = num('BENCH_LIMIT_BACKLOG', Math.round(LIMIT_R * 2.25));
const OUTAGE_CHANGES = num('BENCH_OUTAGE_CHANGES', 10_000);
const OUTAGE_S = num('BENCH_OUTAGE_S', 60);
const SHORT_CAP_MS = num('BENCH_SHORT_CAP_MS', 15_000);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'lag,drain,limit,outage').split(','));
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const runId = Date.now().toString(36);
  const dbName = `delta_bench_dlv_${runId}`;
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(BASE);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench-dlv-${runId}`;
  const redis = new Redis(redisUrl);
  const db = new Pool({ connectionString: databaseUrl, max: 3 });
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
      // The load generator is one client per organization; the SCIM limiter must not shape it.
      SCIM_RATE_LIMIT_PER_MINUTE: '10000000',
      SCIM_RATE_LIMIT_BURST: '10000000',
    };
    const api = await startApi(env);
    const receiver = await startReceiver();
    const rig = new Rig(api.url, receiver.hooksUrl, new ReceiverControl(receiver.controlUrl), db, redis, env, adminKey, runId);
    log(`setup done in ${((Date.now() - started) / 1000).toFixed(0)} s (database ${dbName}, Redis prefix ${prefix})`);

    let lagResult: LagResult | undefined;
    let drainResult: DrainResult | undefined;
    let limitResult: LimitResult | undefined;
    const outages: OutageResult[] = [];
    if (ONLY.has('lag')) lagResult = await lag(rig, RATE, LAG_S);
    if (ONLY.has('drain')) drainResult = await backlogDrain(rig, BACKLOG);
    if (ONLY.has('limit')) limitResult = await rateLimited(rig, LIMIT_R, LIMIT_BURST, LIMIT_BACKLOG);
    if (ONLY.has('outage')) {
      outages.push(await outage(rig, 'outd', {}, OUTAGE_CHANGES, OUTAGE_S));
      outages.push(await outage(rig, 'outc', { DELIVERY_BACKOFF_CAP_MS: String(SHORT_CAP_MS) }, OUTAGE_CHANGES, OUTAGE_S));
    }
    await rig.stopWorker();

    const defaults = loadConfig({}).delivery;
    const model = (label: string, outageS: number, spreadS: number, capMs: number, maxAttempts = defaults.maxAttempts) => ({
      label,
      outcome: simulateOutage({ outageMs: outageS * 1000, spreadMs: spreadS * 1000, baseMs: defaults.backoffBaseMs, capMs, maxAttempts }),
    });
    const spread = outages[0] ? Math.min(OUTAGE_S, 25) : 20;
    const models = [
      model(`defaults (cap ${defaults.backoffCapMs / 60_000} min), ${OUTAGE_S} s outage, changes over the first ${spread} s (as measured)`, OUTAGE_S, spread, defaults.backoffCapMs),
      model(`cap ${SHORT_CAP_MS / 1000} s, ${OUTAGE_S} s outage (as measured)`, OUTAGE_S, spread, SHORT_CAP_MS),
      model(`defaults, 10 min outage, changes spread over it`, 600, 600, defaults.backoffCapMs),
      model(`cap ${SHORT_CAP_MS / 1000} s, 10 min outage, max attempts ${defaults.maxAttempts}`, 600, 600, SHORT_CAP_MS),
      model(`cap 60 s, 10 min outage, max attempts ${defaults.maxAttempts}`, 600, 600, 60_000),
      model(`cap 60 s, 10 min outage, max attempts 60`, 600, 600, 60_000, 60),
      model(`defaults, 1 h outage`, 3600, 3600, defaults.backoffCapMs),
      model(`defaults, 3 h outage`, 10_800, 10_800, defaults.backoffCapMs),
    ];

    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const head = [
      '# Fan-out benchmark (issue 5)',
      '',
      `${new Date().toISOString()} — whole run ${minutes} min. PostgreSQL 127.0.0.1, Redis 127.0.0.1, one API process and one worker process ` +
        `(dist-bench/apps/{api,worker}/src/main.js as \`npm run start:api|start:worker\` run them; LOG_LEVEL=warn, worker defaults: ` +
        `WORKER_CONCURRENCY ${loadConfig({}).worker.concurrency}, DELIVERY_CONNECTION_CONCURRENCY ${defaults.perConnectionConcurrency}, ` +
        `DELIVERY_BACKOFF_BASE_MS ${defaults.backoffBaseMs}, DELIVERY_BACKOFF_CAP_MS ${defaults.backoffCapMs}, DELIVERY_MAX_ATTEMPTS ${defaults.maxAttempts}), ` +
        `a node:http receiver verifying every signature with \`standardwebhooks\` in its own process, the SCIM load here. ` +
        `Changes: 40% user creates, 60% PATCH name.givenName of an existing user, organizations in turn; each change is matched to its webhook by a token in first_name.`,
      '',
    ];
    const body =
      lagResult && drainResult && limitResult && outages.length === 2
        ? [summaryTable({ lag: lagResult, drain: drainResult, limit: limitResult, outages, models }), '', details({ lag: lagResult, drain: drainResult, limit: limitResult, outages, models } as Report)]
        : [
            lagResult ? `lag p50 ${Math.round(percentile(lagResult.matched.lagsMs, 50))} ms, p90 ${Math.round(percentile(lagResult.matched.lagsMs, 90))} ms, p99 ${Math.round(percentile(lagResult.matched.lagsMs, 99))} ms` : '',
            JSON.stringify({ lagResult, drainResult, limitResult, outages, models }, (k, v) => (k === 'samples' || k === 'lagsMs' ? undefined : v), 2),
          ];
    const report = [...head, ...body, ''].join('\n');
    log(report);
    mkdirSync(join(__dirname, '../../../bench/results'), { recursive: true });
    writeFileSync(join(__dirname, '../../../bench/results', ONLY.size === 4 ? 'delivery.md' : 'delivery-partial.md'), report);
  } finally {
    await stopAll();
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((error: unknown) => log(`could not drop ${dbName}: ${String(error)}`));
    await admin.end();
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
