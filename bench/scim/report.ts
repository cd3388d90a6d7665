import type { LoadResult } from '../support';

/** Both servers' numbers for one request shape. */
export interface Pair {
  readonly key: string;
  readonly label: string;
  readonly delta: LoadResult;
  readonly raw: LoadResult;
  /** Delta's throughput as a share of the raw server's that the issue asks for, if any. */
  readonly minRatio?: number;
}

export interface RoundTrips {
  readonly label: string;
  readonly deltaPg: number;
  readonly deltaRedis: number;
  readonly rawPg: number;
}

export const P99_TARGET_MS = 25;

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const pct = (r: number): string => `${Math.round(r * 100)}%`;
const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');

export function comparisonTable(pairs: readonly Pair[]): string {
  const rows = pairs.map((p) => {
    const r = ratio(p.delta.requestsPerSecond, p.raw.requestsPerSecond);
    const target = [p.minRatio ? `≥ ${pct(p.minRatio)} of raw` : undefined, `p99 < ${P99_TARGET_MS} ms`].filter(Boolean).join(', ');
    const met = (p.minRatio ? r >= p.minRatio : true) && p.delta.p99Ms < P99_TARGET_MS;
    return `| ${p.label} | ${p.delta.requestsPerSecond} | ${p.delta.p50Ms} / ${p.delta.p99Ms} | ${p.raw.requestsPerSecond} | ${p.raw.p50Ms} / ${p.raw.p99Ms} | ${pct(r)} | ${target} | ${yes(met)} |`;
  });
  return [
    '| case | Delta req/s | Delta p50 / p99 ms | raw req/s | raw p50 / p99 ms | Delta / raw | target | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * Two runs of the same request where only the size of something changed (organization users,
 * group members): the big one should keep at least `minShare` of the small one's throughput.
 */
export function scalingTable(
  title: string,
  rows: ReadonlyArray<{ label: string; small: LoadResult; big: LoadResult; minShare: number; target: string }>,
): string {
  return [
    `| ${title} | small req/s | small p50 / p99 ms | big req/s | big p50 / p99 ms | big / small | target | met |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.map((r) => {
      const share = ratio(r.big.requestsPerSecond, r.small.requestsPerSecond);
      const met = share >= r.minShare && r.big.p99Ms <= Math.max(r.small.p99Ms / r.minShare, r.small.p99Ms + 2);
      return `| ${r.label} | ${r.small.requestsPerSecond} | ${r.small.p50Ms} / ${r.small.p99Ms} | ${r.big.requestsPerSecond} | ${r.big.p50Ms} / ${r.big.p99Ms} | ${pct(share)} | ${r.target} | ${yes(met)} |`;
    }),
  ].join('\n');
}

export function roundTripTable(rows: readonly RoundTrips[]): string {
  const n = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  return [
    '| request | Delta PostgreSQL round trips | Delta Redis commands | raw PostgreSQL round trips |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${n(r.deltaPg)} | ${n(r.deltaRedis)} | ${n(r.rawPg)} |`),
  ].join('\n');
}

/** A run with one thing changed, next to the run it varies. */
export interface WhatIf {
  readonly label: string;
  readonly baseline: LoadResult;
  readonly changed: LoadResult;
}

export function whatIfTable(rows: readonly WhatIf[]): string {
  return [
    '| what if | as measured req/s | as measured p50 / p99 ms | changed req/s | changed p50 / p99 ms | change |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((w) => {
      const change = ratio(w.changed.requestsPerSecond, w.baseline.requestsPerSecond);
      return `| ${w.label} | ${w.baseline.requestsPerSecond} | ${w.baseline.p50Ms} / ${w.baseline.p99Ms} | ${w.changed.requestsPerSecond} | ${w.changed.p50Ms} / ${w.changed.p99Ms} | ${change.toFixed(2)}× |`;
    }),
  ].join('\n');
}
