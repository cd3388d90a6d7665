import { OutageOutcome } from './backoff-model';
import { percentile } from './observe';
import { DrainResult, LagResult, LimitResult, Outcome, OutageResult } from './scenarios';

/** The markdown of bench/results/delivery.md. */
const ms = (v: number): string => (Number.isFinite(v) ? `${Math.round(v)}` : '–');
const s1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function correctness(o: Outcome): string {
  const m = o.matched;
  return `${m.delivered}/${m.expected}, lost ${m.lost.length}, dup ${m.duplicates}${m.unexpected ? `, unexpected ${m.unexpected}` : ''}${m.invalidSignatures ? `, bad sig ${m.invalidSignatures}` : ''}${o.drained ? '' : ', NOT DRAINED'}`;
}

/** Mean 1-minute load average while the scenario ran (2 cores: above 2 the box was oversubscribed). */
function load(o: Outcome): string {
  const values = o.samples.map((s) => s.load1);
  return values.length ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1) : '–';
}

export interface Report {
  readonly lag: LagResult;
  readonly drain: DrainResult;
  readonly limit: LimitResult;
  readonly outages: readonly OutageResult[];
  readonly models: readonly { label: string; outcome: OutageOutcome }[];
}

export function summaryTable(r: Report): string {
  const { lag, drain, limit } = r;
  const lags = lag.matched.lagsMs;
  const rows = [
    '| # | measurement | setting | result | target | met | delivered, lost, duplicated | row UPDATEs / delivery | load avg |',
    '| --- | --- | --- | --- | --- | --- | --- | ---: | ---: |',
    `| 1 | SCIM 201 → webhook received | ${lag.ratePerS} changes/s for ${lag.seconds} s (achieved ${s1(lag.achievedPerS)}/s), 4 orgs | p50 ${ms(percentile(lags, 50))} ms, p99 ${ms(percentile(lags, 99))} ms, max ${ms(Math.max(...lags))} ms | within seconds | ${percentile(lags, 99) < 1000 ? 'yes' : 'no'} | ${correctness(lag)} | ${lag.updatesPerDelivery.toFixed(2)} | ${load(lag)} |`,
    `| 2 | deliveries/s, one worker, instant receiver | backlog of ${drain.backlog.toLocaleString('en')} changes, 4 connections, worker started after | ${ms(drain.steadyPerS)}/s steady (p10–p90), ${ms(drain.overallPerS)}/s overall; all in ${s1(drain.drainedAfterS)} s | — | — | ${correctness(drain)} | ${drain.updatesPerDelivery.toFixed(2)} | ${load(drain)} |`,
    `| 3 | receiver limited to R/min, connection rate_limit = R | R = ${limit.limitPerMin}/min (burst ${limit.burst}), ${limit.backlog} queued, ${s1(limit.spanS)} s | ${ms(limit.achievedPerMin)}/min = ${pct(limit.achievedPerMin / limit.limitPerMin)} of R; full clock minutes ${limit.fullMinutes.join(', ') || '–'}; 429s ${limit.matched.tooMany} | ≥ 95% of R, 0 × 429 | ${limit.achievedPerMin >= 0.95 * limit.limitPerMin && limit.matched.tooMany === 0 ? 'yes' : 'no'} | ${correctness(limit)} | ${limit.updatesPerDelivery.toFixed(2)} | ${load(limit)} |`,
    ...r.outages.map(
      (o, i) =>
        `| 4${'ab'[i] ?? ''} | recovery after an outage, ${o.label === 'outd' ? 'default backoff' : `backoff ${Object.entries(o.env).map(([k, v]) => `${k}=${v}`).join(' ')}`} | ${o.changes.toLocaleString('en')} changes while down, down ${s1(o.outageS)} s | all delivered ${s1(o.allAfterS)} s after return (first ${s1(o.firstAfterS)} s, half ${s1(o.halfAfterS)} s); ${o.dead} dead; attempts mean ${o.meanAttempts.toFixed(1)}, max ${o.maxAttempts} | nothing lost | ${o.matched.lost.length === 0 && o.dead === 0 ? 'yes' : 'no'} | ${correctness(o)} | ${o.updatesPerDelivery.toFixed(2)} | ${load(o)} |`,
    ),
  ];
  return rows.join('\n');
}

export function details(r: Report): string {
  const { lag, drain, limit } = r;
  const lines: string[] = [];
  lines.push('### 1. Lag, where the time goes');
  lines.push('');
  lines.push(`SCIM response time p50 ${ms(lag.scimP50Ms)} ms, p99 ${ms(lag.scimP99Ms)} ms, ${lag.scimErrors} not acknowledged (${lag.scimFailures}). From the delivery rows:`);
  lines.push(`outbox commit → delivery row (relay) p50 ${ms(lag.relayP50Ms)} ms, p99 ${ms(lag.relayP99Ms)} ms; delivery row → acknowledged recorded p50 ${ms(lag.sendP50Ms)} ms, p99 ${ms(lag.sendP99Ms)} ms.`);
  const peakLagQueue = Math.max(...lag.samples.map((s) => s.queueWaiting + s.queueActive));
  lines.push(`Queue (waiting + active) at most ${peakLagQueue} jobs during the run.`);
  lines.push('');
  lines.push('### 2. Backlog drain, timeline (every 5 s after the worker started)');
  lines.push('');
  lines.push(`Backlog made through SCIM at ${ms(drain.scimPerS)} changes/s with the worker stopped. Outbox relayed ${s1(drain.relayedAfterS)} s after the worker was ready; peak queue ${drain.peakQueue} jobs.`);
  lines.push('');
  lines.push('| t s | received | outbox unrelayed | pending | in flight | retrying | queue waiting | active | delayed |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let next = 0;
  for (const s of drain.samples) {
    if (s.t < next) continue;
    next = s.t + 5;
    lines.push(`| ${s.t.toFixed(0)} | ${s.received} | ${s.outboxUnrelayed} | ${s.pending} | ${s.inFlight} | ${s.retrying} | ${s.queueWaiting} | ${s.queueActive} | ${s.queueDelayed} |`);
  }
  lines.push('');
  lines.push('### 3. Rate limit');
  lines.push('');
  lines.push(
    `${limit.matched.delivered} events in ${s1(limit.spanS)} s; receiver answers other than 2xx: ${limit.matched.tooMany} × 429. ` +
      `Delivery-row UPDATEs per delivered event ${limit.updatesPerDelivery.toFixed(1)} (2 = one claim, one success; each rate-limit wait is a claim and a release).`,
  );
  lines.push('');
  lines.push('### 4. Outage: measured, and what the backoff schedule implies for longer outages');
  lines.push('');
  lines.push('| run | outage s | deliveries waiting at return | attempts made while down | first after return s | half s | all s | dead |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const o of r.outages) {
    lines.push(`| ${o.label} ${JSON.stringify(o.env)} | ${s1(o.outageS)} | ${o.waitingAtReturn} | ${o.attemptsWhileDown} | ${s1(o.firstAfterS)} | ${s1(o.halfAfterS)} | ${s1(o.allAfterS)} | ${o.dead} |`);
  }
  lines.push('');
  lines.push('Model (the worker\'s `backoffDelayMs`, 10,000 deliveries, no worker capacity limit; time from the return to the first retry that lands):');
  lines.push('');
  lines.push('| schedule and outage | p50 s | p99 s | max s | dead-lettered | mean attempts |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const m of r.models) {
    lines.push(`| ${m.label} | ${s1(m.outcome.p50Ms / 1000)} | ${s1(m.outcome.p99Ms / 1000)} | ${s1(m.outcome.maxMs / 1000)} | ${pct(m.outcome.deadShare)} | ${m.outcome.meanAttempts.toFixed(1)} |`);
  }
  return lines.join('\n');
}
