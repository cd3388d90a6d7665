import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { loadConfig } from '@delta/config';
import { runMigrations } from '@delta/persistence';
import { summarizeCpuProfile } from '../mapping/cpu-profile';
import { Served, startDelta, startRaw, stop, stopAll } from './processes';
import { usersInsert } from './seed';
import * as work from './workload';

/**
 * CPU per request of Delta's SCIM hot paths, and of the raw server for the same requests: what
 * req/s cannot show on a shared machine. A small database (one organization of USERS users),
 * Delta started as `npm run start:api` runs it (Redis rate limiter that never refuses,
 * LOG_LEVEL=warn), N requests per case at 16 connections after a warm-up, the server's
 * user + system CPU read from /proc before and after. With BENCH_CPU_PROFILE=1 Delta also runs
 * under --cpu-prof and the top self-time functions of each case are printed (V8's profiler
 * samples wall time: a thread descheduled inside writev still counts); BENCH_CPU_PERF=<dir>
 * records on-CPU samples with `perf` instead.
 * `npx swc apps libs migrations bench -d dist-bench --quiet && node dist-bench/bench/scim/cpu.js`
 */
const BASE = process.env.BENCH_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 10_000);
/** Long enough for the JIT to settle: with 800 requests of warm-up, a fifth of Delta's CPU was TurboFan compiling. */
const WARMUP = Number(process.env.BENCH_CPU_WARMUP ?? 5000);
const USERS = 10_000;
const PROFILE = process.env.BENCH_CPU_PROFILE === '1';
/** With BENCH_CPU_PERF=<dir>, `perf record` of each case of both servers into <dir> (under node --perf-basic-prof for JS names). */
const PERF_DIR = process.env.BENCH_CPU_PERF;
const TICK_US = 1e6 / 100; // USER_HZ
const log = (line: string): void => void process.stdout.write(`${line}\n`);

function cpuUs(pid: number): { user: number; system: number } {
  // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, after the parenthesized name.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
}

/** `perf record` of one process (on-CPU samples only, unlike V8's wall-clock profiler), or nothing. */
function perfRecord(pid: number, label: string): () => Promise<void> {
  if (!PERF_DIR) return async () => undefined;
  const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(pid), '-o', join(PERF_DIR, `${label.replace(/\W+/g, '_')}.data`)], {
    stdio: 'ignore',
  });
  return () =>
    new Promise((resolve) => {
      perf.once('exit', () => resolve());
      perf.kill('SIGINT');
    });
}

async function run(url: string, requests: autocannon.Request[], amount: number): Promise<{ non2xx: number; errors: number }> {
  const result = await autocannon({ url, requests, connections: 16, amount });
  return { non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

interface Case {
  readonly label: string;
  readonly requests: (org: work.Org) => autocannon.Request[];
}

/** µs of server CPU per request, and the monotonic window (µs) the measured requests ran in. */
async function measure(
  served: Served,
  label: string,
  requests: autocannon.Request[],
): Promise<{ us: number; user: number; system: number; window: { from: number; to: number } }> {
  await run(served.url, requests, WARMUP);
  const pid = served.child.pid!;
  const stopPerf = perfRecord(pid, label);
  const before = cpuUs(pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  const outcome = await run(served.url, requests, REQUESTS);
  const to = Number(process.hrtime.bigint() / 1000n);
  const after = cpuUs(pid);
  await stopPerf();
  const user = (after.user - before.user) / REQUESTS;
  const system = (after.system - before.system) / REQUESTS;
  const us = user + system;
  if (outcome.non2xx || outcome.errors) log(`  ${label}: ${outcome.non2xx} non-2xx, ${outcome.errors} errors`);
  return { us, user, system, window: { from, to } };
}

async function main(): Promise<void> {
  const name = `delta_bench_scim_cpu_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const profileDir = mkdtempSync(join(tmpdir(), 'delta-scim-cpu-'));
  try {
    await runMigrations(loadConfig({ DATABASE_URL: databaseUrl }));
    const owner = new Client({ connectionString: databaseUrl });
    await owner.connect();
    const orgId = (await owner.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('CPU bench', 'cpu-bench') RETURNING id`)).rows[0]!.id;
    await owner.query(usersInsert('$1::uuid', `'seed-' || i || '@bench.example'`, `generate_series(1, ${USERS}) i`), [orgId]);
    await owner.query('VACUUM (ANALYZE) users');
    const ids = (await owner.query<{ id: string }>('SELECT id FROM users WHERE organization_id = $1', [orgId])).rows.map((r) => r.id);
    await owner.end();

    const adminKey = `bench_admin_${randomBytes(24).toString('hex')}`;
    const delta = await startDelta(
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `bench-scim-cpu-${Date.now().toString(36)}`,
        ADMIN_API_KEY: adminKey,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'warn',
        SCIM_RATE_LIMIT_PER_MINUTE: '10000000',
        SCIM_RATE_LIMIT_BURST: '10000000',
      },
      [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=250'] : []), ...(PERF_DIR ? ['--perf-basic-prof'] : [])],
    );
    const raw = await startRaw(databaseUrl, PERF_DIR ? ['--perf-basic-prof'] : []);
    const tokenResponse = await fetch(`${delta.url}/v1/organizations/${orgId}/scim/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cpu' }),
    });
    const org: work.Org = { id: orgId, token: ((await tokenResponse.json()) as { token: string }).token };
    const userName = (i: number) => `seed-${i}@bench.example`;
    const cases: Case[] = [
      { label: 'GET /Users/{id}', requests: (o) => work.getUsers(o, ids) },
      { label: 'GET /Users?filter=userName eq', requests: (o) => work.filterUsers(o, userName, USERS) },
      { label: 'POST /Users', requests: (o) => work.createUsers(o, `cpu-${Date.now().toString(36)}`) },
    ];
    const rows: string[] = [];
    const windows: Array<{ label: string; window: { from: number; to: number } }> = [];
    for (const c of cases) {
      const d = await measure(delta, `Delta ${c.label}`, c.requests(org));
      const r = await measure(raw, `raw ${c.label}`, c.requests(org));
      windows.push({ label: c.label, window: d.window });
      rows.push(
        `| ${c.label} | ${Math.round(d.us)} (${Math.round(d.user)} + ${Math.round(d.system)}) | ${Math.round(r.us)} (${Math.round(r.user)} + ${Math.round(r.system)}) | ${Math.round((100 * r.us) / d.us)}% |`,
      );
    }
    await stop(delta);
    await stop(raw);
    log(`\n${REQUESTS} requests per case after ${WARMUP} of warm-up, 16 connections; server CPU (user + system) per request\n`);
    log('| case | Delta µs/request (user + system) | raw µs/request (user + system) | raw / Delta |\n| --- | ---: | ---: | ---: |');
    for (const row of rows) log(row);
    if (PROFILE) {
      for (const { label, window } of windows) {
        const summary = summarizeCpuProfile(profileDir, 25, window);
        log(`\n### Delta ${label}: top self time (${summary.busyMs} ms sampled over ${REQUESTS} requests)\n`);
        for (const f of summary.functions) log(`- ${f.ms} ms  ${f.name}`);
        log('\nby area: ' + summary.areas.map((a) => `${a.name} ${a.ms}`).join(', '));
      }
    }
  } finally {
    await stopAll();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
