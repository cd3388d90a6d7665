import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '@delta/config';
import { runMigrations } from '@delta/persistence';
import { summarizeCpuProfile } from './cpu-profile';
import { mappingMicroBenchmarks } from './micro';
import { Proc, cpuMs, machineCpuMs, backendsCpuMs, startApi, startWorker, stop, stopAll } from './processes';
import { CreateRun, RemapResult, createRunsTable, createSummaryTable, microTable, profileTables, remapTable, statementTable } from './report';
import { assertSeedMatchesDefaults, seedUsers, withOwner } from './seed';
import { CUSTOM_MAPPING, MappingBody, ONE_ENTRY_MAPPING, createUsers, userDocument } from './workload';

/**
 * Attribute-mapping benchmark (issue 4): what a mapping costs a SCIM create (default mapping vs
 * ten custom entries with two CEL transforms, same API process, ABBA order), and the background
 * re-mapping throughput of a 100,000-user organization with a separate worker process.
 * `bash bench/run.sh mapping` → bench/results/mapping.md.
 */
const BASE = process.env.BENCH_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const DURATION = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_S ?? 3);
const REMAP_USERS = Number(process.env.BENCH_REMAP_USERS ?? 100_000);
const CONNECTIONS = 16;
const BATCH = 500; // apps/worker/src/remap/remap.job.ts REMAP_BATCH
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freshDatabase(): Promise<string> {
  const name = `delta_bench_mapping_${Date.now().toString(36)}`;
  await withOwner(BASE, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  await runMigrations(loadConfig({ DATABASE_URL: url.toString() }));
  return url.toString();
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(' / ');
  const databaseUrl = await freshDatabase();
  const adminKey = `bench_admin_${randomBytes(24).toString('hex')}`;
  const common = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `bench-mapping-${Date.now().toString(36)}`,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  const profileDir = mkdtempSync(join(tmpdir(), 'delta-bench-mapping-'));
  try {
    const api = await startApi({ ...common, ADMIN_API_KEY: adminKey, SCIM_RATE_LIMIT_PER_MINUTE: '10000000', SCIM_RATE_LIMIT_BURST: '10000000' });
    const call = async (method: string, path: string, body?: unknown, token = adminKey): Promise<any> => {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const organization = async (slug: string) => {
      const org = (await call('POST', '/v1/organizations', { name: slug, slug: `${slug}-${Date.now().toString(36)}` })).id as string;
      return { id: org, token: (await call('POST', `/v1/organizations/${org}/scim/tokens`, { name: 'bench' })).token as string };
    };
    const mappings = (orgId: string) => `/v1/organizations/${orgId}/scim/attribute-mappings`;

    // Part 1: POST /Users, default vs custom mapping, one API process, ABBA.
    const byMapping = { default: await organization('map-default'), custom: await organization('map-custom') };
    await call('PUT', mappings(byMapping.custom.id), CUSTOM_MAPPING);
    const probe = await call('POST', `/scim/v2/${byMapping.custom.id}/Users`, userDocument('probe@load.example', 10), byMapping.custom.token);
    const mapped = await call('GET', `/v1/organizations/${byMapping.custom.id}/users/${probe.id}`);
    log(`custom mapping on a created user: ${JSON.stringify({ role: mapped.organization_role, public: mapped.public_metadata, private: mapped.private_metadata })}`);
    if (mapped.public_metadata.login !== 'probe@load.example' || mapped.public_metadata.mobile !== '+1 555 0210' || mapped.organization_role !== 'admin') {
      throw new Error('the custom mapping did not apply as expected');
    }
    const create = async (mapping: 'default' | 'custom', run: number, durationS: number): Promise<CreateRun> => {
      const org = byMapping[mapping];
      const pid = api.child.pid!;
      const [cpuBefore, machineBefore] = [cpuMs(pid), machineCpuMs()];
      const result = await autocannon({ url: api.url!, requests: createUsers(org.id, org.token, `${mapping}-${run}`), connections: CONNECTIONS, duration: durationS });
      const created = result['2xx'];
      const machineAfter = machineCpuMs();
      await sleep(300); // responses autocannon stopped waiting for
      return {
        mapping,
        run,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        created,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        apiCpuMsPerRequest: (cpuMs(pid) - cpuBefore) / Math.max(1, created),
        machineBusyPct: ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
      };
    };
    await create('default', 0, WARMUP);
    await create('custom', 0, WARMUP);
    const creates: CreateRun[] = [];
    for (const [mapping, run] of [['default', 1], ['custom', 1], ['custom', 2], ['default', 2]] as const) {
      const r = await create(mapping, run, DURATION);
      log(`POST /Users ${mapping} run ${run}: ${r.requestsPerSecond} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.apiCpuMsPerRequest.toFixed(2)} ms CPU/request, non-2xx ${r.non2xx}`);
      creates.push(r);
    }
    const micro = mappingMicroBenchmarks(CUSTOM_MAPPING, ONE_ENTRY_MAPPING);
    micro.forEach((m) => log(`${m.label}: ${m.usPerUser.toFixed(1)} µs/user`));

    // Part 2: remap of a 100k-user organization with a separate worker process.
    const remapOrg = await organization('map-remap');
    const seedMs = await seedUsers(databaseUrl, remapOrg.id, REMAP_USERS);
    await assertSeedMatchesDefaults(databaseUrl, remapOrg.id);
    log(`seeded ${REMAP_USERS} users with profiles in ${(seedMs / 1000).toFixed(1)} s`);

    const quiet = async (label: string): Promise<number> => {
      const since = Date.now();
      for (;;) {
        const [row] = (
          await withOwner(databaseUrl, (o) =>
            o.query<{ runs: number; outbox: number }>(
              `SELECT (SELECT count(*)::int FROM remap_runs WHERE state IN ('pending', 'running')) AS runs,
                      (SELECT count(*)::int FROM outbox WHERE relayed_at IS NULL) AS outbox`,
            ),
          )
        ).rows;
        if (row!.runs === 0 && row!.outbox === 0) return Date.now() - since;
        if (Date.now() - since > 300_000) throw new Error(`${label}: not quiet after 5 min (${JSON.stringify(row)})`);
        await sleep(250);
      }
    };
    // PostgreSQL is shared with other runs: count only the backends connected to this database.
    const backends = async () =>
      backendsCpuMs(
        (await withOwner(databaseUrl, (o) => o.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`))).rows.map((r) => r.pid),
      );
    const windows: Array<{ from: number; to: number }> = [];
    const nowUs = () => Number(process.hrtime.bigint() / 1000n);
    const remap = async (label: string, body: MappingBody, worker: Proc): Promise<RemapResult> => {
      const fromUs = nowUs();
      const [workerBefore, pgBefore, machineBefore] = [cpuMs(worker.child.pid!), await backends(), machineCpuMs()];
      const putAt = Date.now();
      const saved = await call('PUT', mappings(remapOrg.id), body);
      const answeredAt = Date.now();
      const id = saved.remap.id as string;
      const progressSeen: number[] = [];
      let run: any;
      for (;;) {
        run = await call('GET', `${mappings(remapOrg.id)}/remaps/${id}`);
        if (progressSeen[progressSeen.length - 1] !== run.processed) progressSeen.push(run.processed);
        if (run.state === 'succeeded' || run.state === 'failed') break;
        if (Date.now() - putAt > 400_000) throw new Error(`${label}: remap still ${run.state} at ${run.processed}/${run.total}`);
        await sleep(200);
      }
      const observedS = (Date.now() - answeredAt) / 1000;
      windows.push({ from: fromUs, to: nowUs() });
      const [workerAfter, pgAfter, machineAfter] = [cpuMs(worker.child.pid!), await backends(), machineCpuMs()];
      const counts = (
        await withOwner(databaseUrl, (o) =>
          o.query<{ outbox: number; written: number }>(
            `SELECT (SELECT count(*)::int FROM outbox WHERE organization_id = $1 AND request_id = $2) AS outbox,
                    (SELECT count(*)::int FROM users WHERE organization_id = $1 AND updated_at >= $3) AS written`,
            [remapOrg.id, `remap:${id}`, run.created_at],
          ),
        )
      ).rows[0]!;
      const result: RemapResult = {
        label,
        state: run.state,
        total: run.total,
        processed: run.processed,
        changed: run.changed,
        outboxRows: counts.outbox,
        usersWritten: counts.written,
        wallS: (Date.parse(run.finished_at) - Date.parse(run.created_at)) / 1000,
        observedS,
        workerCpuS: (workerAfter - workerBefore) / 1000,
        postgresCpuS: [...pgAfter].reduce((sum, [pid, ms]) => sum + ms - (pgBefore.get(pid) ?? 0), 0) / 1000,
        machineBusyPct: ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
        progressSeen,
      };
      log(`${label}: ${JSON.stringify({ ...result, progressSeen: progressSeen.slice(0, 12) })}`);
      log(`  relay drained ${((await quiet(label)) / 1000).toFixed(1)} s after the run finished`);
      return result;
    };

    const workerEnv = common;
    let worker = await startWorker(workerEnv);
    log(`worker up; quiet after ${((await quiet('setup')) / 1000).toFixed(1)} s (setup remap of the custom org, outbox of the creates)`);
    const remaps: RemapResult[] = [];
    remaps.push(await remap('R1: one entry (title → public_metadata.title), every user changes', ONE_ENTRY_MAPPING, worker));
    remaps.push(await remap('R2: ten custom entries (2 CEL), every user changes', CUSTOM_MAPPING, worker));
    remaps.push(await remap('R3: same ten entries saved again, no user changes', CUSTOM_MAPPING, worker));
    await stop(worker);

    // Profiled: statement timings and a V8 CPU profile of a fresh worker, for one more full remap.
    const upper = { ...CUSTOM_MAPPING, expressions: { ...CUSTOM_MAPPING.expressions, 'public_metadata.login': 'user.userName.upperAscii()' } };
    worker = await startWorker(workerEnv, ['-r', join(__dirname, 'statement-timer.js'), '--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    await quiet('profiled worker start');
    const resetStats = worker.nextLine('STATEMENTS ');
    worker.child.kill('SIGWINCH');
    await resetStats;
    remaps.push(await remap('R4 (profiled: statement timer + --cpu-prof): login expression changed, every user changes', upper, worker));
    const statsLine = worker.nextLine('STATEMENTS ');
    worker.child.kill('SIGWINCH');
    const statements = JSON.parse((await statsLine).slice('STATEMENTS '.length)) as Record<string, { n: number; ms: number }>;
    await stop(worker);
    const profile = summarizeCpuProfile(profileDir, 15, windows[windows.length - 1]);
    await stop(api);
    const batches = Math.ceil(REMAP_USERS / BATCH) + (REMAP_USERS % BATCH === 0 ? 1 : 0);
    const profiled = remaps[remaps.length - 1]!;

    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const report = [
      '# Attribute-mapping benchmark (issue 4)',
      '',
      `${new Date().toISOString()} — whole run ${minutes} min. One API process as \`npm run start:api\` runs it (PostgreSQL, Redis rate limiter set never to refuse, LOG_LEVEL=warn); ` +
        `one worker process as \`npm run start:worker\` runs it (BullMQ on Redis) for the remaps only. ${cpus().length} cores shared with other runs: ` +
        `load average at the start ${loadAtStart} (1 / 5 / 15 min), at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; "machine busy" columns are all cores, everything on the machine.`,
      '',
      `## POST /Users: default mapping vs ten custom entries`,
      '',
      `${CONNECTIONS} connections, ${DURATION} s per run after a ${WARMUP} s warm-up of each, order default, custom, custom, default (ABBA), unique userNames, ` +
        'the same body for both organizations (enterprise extension, two phone numbers, a custom extension). API CPU is the server process\'s user+system time over the run divided by the 2xx responses.',
      '',
      createSummaryTable(creates),
      '',
      createRunsTable(creates),
      '',
      'The mapping alone, in one process (no HTTP, no PostgreSQL):',
      '',
      microTable(micro),
      '',
      `## Re-mapping a ${REMAP_USERS.toLocaleString('en')}-user organization`,
      '',
      `Users seeded set-based with the profile the default mapping makes (${(seedMs / 1000).toFixed(1)} s, checked against mapUser). Each row: PUT the mapping, poll ` +
        '`GET …/remaps/{id}` every 200 ms until `succeeded`. wall = the run\'s `finished_at − created_at`; outbox rows = rows with the run\'s request id; ' +
        'users written = users whose `updated_at` moved after the save (independent of the run\'s own counter). postgres CPU = the backends connected to this database (worker, API, relay), read from /proc.',
      '',
      remapTable(remaps),
      '',
      `Progress seen while polling R1 (processed): ${remaps[0]!.progressSeen.slice(0, 15).join(', ')}${remaps[0]!.progressSeen.length > 15 ? ', …' : ''}`,
      '',
      `### Profile of R4 (${batches} batches of ${BATCH}; ${(profiled.wallS * 1000 / batches).toFixed(1)} ms wall per batch)`,
      '',
      'Round trips and their time (call to result, in the worker), per remap batch; the outbox relay runs in the same worker on its own connection:',
      '',
      statementTable(statements, batches),
      '',
      profileTables(profile),
      '',
    ].join('\n');
    process.stdout.write(`\n${report}`);
    mkdirSync(join(__dirname, '../../../bench/results'), { recursive: true });
    writeFileSync(join(__dirname, '../../../bench/results/mapping.md'), report);
  } finally {
    await stopAll();
    rmSync(profileDir, { recursive: true, force: true });
    await withOwner(BASE, (admin) => admin.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`));
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
