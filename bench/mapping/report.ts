import type { ProfileSummary } from './cpu-profile';
import type { MicroResult } from './micro';

/** One autocannon run of POST /Users, with the API process's CPU over it. */
export interface CreateRun {
  readonly mapping: 'default' | 'custom';
  readonly run: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly created: number;
  readonly non2xx: number;
  readonly errors: number;
  /** API process user+system CPU per 2xx response, ms. */
  readonly apiCpuMsPerRequest: number;
  /** All cores, everything on the machine (other runs included). */
  readonly machineBusyPct: number;
}

export interface RemapResult {
  readonly label: string;
  readonly total: number;
  readonly processed: number;
  readonly changed: number;
  readonly outboxRows: number;
  /** Users whose row the remap wrote (updated_at after the save), counted independently of the run. */
  readonly usersWritten: number;
  /** created_at → finished_at of the run, as the API reports them. */
  readonly wallS: number;
  /** PUT answered → the poll that first saw `succeeded`. */
  readonly observedS: number;
  readonly workerCpuS: number;
  readonly postgresCpuS: number;
  readonly machineBusyPct: number;
  readonly state: string;
  readonly progressSeen: readonly number[];
}

const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: readonly number[]): string => `${Math.min(...xs)}–${Math.max(...xs)}`;

export function createRunsTable(runs: readonly CreateRun[]): string {
  return [
    '| mapping | run | req/s | p50 ms | p99 ms | users created | non-2xx | errors | API CPU ms / request | machine busy |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r) =>
        `| ${r.mapping === 'default' ? 'default' : 'ten custom entries (2 CEL)'} | ${r.run} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.created} | ${r.non2xx} | ${r.errors} | ${f2(r.apiCpuMsPerRequest)} | ${Math.round(r.machineBusyPct)}% |`,
    ),
  ].join('\n');
}

/** Means of the two runs per mapping, and custom against default. */
export function createSummaryTable(runs: readonly CreateRun[]): string {
  const of = (m: 'default' | 'custom') => runs.filter((r) => r.mapping === m);
  const row = (label: string, rs: readonly CreateRun[]) =>
    `| ${label} | ${Math.round(mean(rs.map((r) => r.requestsPerSecond)))} (${spread(rs.map((r) => r.requestsPerSecond))}) | ` +
    `${f1(mean(rs.map((r) => r.p50Ms)))} | ${f1(mean(rs.map((r) => r.p99Ms)))} (${spread(rs.map((r) => r.p99Ms))}) | ` +
    `${f2(mean(rs.map((r) => r.apiCpuMsPerRequest)))} (${rs.map((r) => f2(r.apiCpuMsPerRequest)).join(', ')}) |`;
  const [d, c] = [of('default'), of('custom')];
  const rps = mean(c.map((r) => r.requestsPerSecond)) / mean(d.map((r) => r.requestsPerSecond)) - 1;
  const cpu = mean(c.map((r) => r.apiCpuMsPerRequest)) - mean(d.map((r) => r.apiCpuMsPerRequest));
  return [
    '| POST /Users, 16 connections | req/s mean (runs) | p50 ms mean | p99 ms mean (runs) | API CPU ms / request mean (runs) |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('default mapping', d),
    row('ten custom entries (2 CEL)', c),
    `| custom − default | ${rps >= 0 ? '+' : ''}${f1(rps * 100)}% | | | ${cpu >= 0 ? '+' : ''}${f2(cpu)} ms |`,
  ].join('\n');
}

export function microTable(rows: readonly MicroResult[]): string {
  return [
    '| in-process, 5,000 users × 5 rounds | µs per user (median round) | rounds |',
    '| --- | ---: | --- |',
    ...rows.map((r) => `| ${r.label} | ${f1(r.usPerUser)} | ${r.rounds.map(f1).join(', ')} |`),
  ].join('\n');
}

export function remapTable(rows: readonly RemapResult[]): string {
  return [
    '| remap | state | processed / total | changed | outbox rows | users written | wall s | users/s | worker CPU s | postgres CPU s (this database) | machine busy |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.state} | ${r.processed} / ${r.total} | ${r.changed} | ${r.outboxRows} | ${r.usersWritten} | ${f1(r.wallS)} | ` +
        `${Math.round(r.processed / r.wallS)} | ${f1(r.workerCpuS)} | ${f1(r.postgresCpuS)} | ${Math.round(r.machineBusyPct)}% |`,
    ),
  ].join('\n');
}

/** Statement timings of the profiled remap (statement-timer.ts), per remap batch. */
export function statementTable(stats: Record<string, { n: number; ms: number }>, batches: number): string {
  const rows = Object.entries(stats).sort((a, b) => b[1].ms - a[1].ms);
  return [
    `| statement (first words) | calls | calls / batch | ms / call | ms / batch |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows
      .filter(([, s]) => s.ms >= 1)
      .map(([sql, s]) => `| \`${sql.replace(/\|/g, '\\|')}\` | ${s.n} | ${f2(s.n / batches)} | ${f2(s.ms / s.n)} | ${f1(s.ms / batches)} |`),
  ].join('\n');
}

export function profileTables(summary: ProfileSummary): string {
  const pct = (ms: number) => `${Math.round((ms / summary.busyMs) * 100)}%`;
  return [
    `Sampled busy time of the worker process${summary.windowed ? ' between the PUT and the end of the run' : ' over its whole life (start-up included)'}: ${summary.busyMs} ms.`,
    '',
    '| area (self time) | ms | share |',
    '| --- | ---: | ---: |',
    ...summary.areas.map((a) => `| ${a.name} | ${a.ms} | ${pct(a.ms)} |`),
    '',
    '| function (self time) | ms | share |',
    '| --- | ---: | ---: |',
    ...summary.functions.map((fn) => `| \`${fn.name.replace(/\|/g, '\\|')}\` | ${fn.ms} | ${pct(fn.ms)} |`),
  ].join('\n');
}
