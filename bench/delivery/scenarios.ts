import { ChangeSource, wallClock } from './load';
import { Matched, Sample, Sampler, deliveryUpdates, match, percentile } from './observe';
import { Rig, UNLIMITED } from './rig';

/**
 * The four measurements of issue 5's Benchmark section. Each scenario has its own organizations
 * and connections (receiver paths `/h/<label>/…`), so arrivals and delivery rows are its own.
 */
const ORGS = 4;
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Outcome {
  readonly matched: Matched;
  readonly drained: boolean;
  /** UPDATEs of delivery rows per delivered event (a claim and a success are 2). */
  readonly updatesPerDelivery: number;
  readonly samples: readonly Sample[];
}

function summary(label: string, m: Matched): string {
  return `${label}: ${m.delivered}/${m.expected} delivered, lost ${m.lost.length}, duplicates ${m.duplicates}, unexpected ${m.unexpected}, 429s ${m.tooMany}, bad signatures ${m.invalidSignatures}`;
}

async function collect(rig: Rig, source: ChangeSource, prefix: string, tokenPrefix: string, connectionIds: string[], timeoutMs: number) {
  const sent = source.acknowledged();
  const drained = await rig.drain(prefix, sent.size, connectionIds, timeoutMs);
  const arrivals = (await rig.receiver.arrivals(prefix)).filter((a) => a.status !== 204 || (a.firstName ?? '').startsWith(tokenPrefix));
  return { sent, drained, arrivals, matched: match(sent, arrivals) };
}

// ── 1. End-to-end lag at a sustained rate ────────────────────────────────────────────────────

export interface LagResult extends Outcome {
  readonly ratePerS: number;
  readonly achievedPerS: number;
  readonly seconds: number;
  readonly scimP50Ms: number;
  readonly scimP99Ms: number;
  readonly scimErrors: number;
  readonly scimFailures: string;
  /** From the delivery rows: outbox commit → delivery row (relay), delivery row → acknowledged. */
  readonly relayP50Ms: number;
  readonly relayP99Ms: number;
  readonly sendP50Ms: number;
  readonly sendP99Ms: number;
}

export async function lag(rig: Rig, ratePerS: number, seconds: number): Promise<LagResult> {
  await rig.startWorker();
  const orgs = await rig.orgs('lag', ORGS, UNLIMITED);
  const ids = orgs.map((o) => o.connectionId);
  // Warm-up (JIT, pools, prepared plans), drained before the measured run.
  const warm = new ChangeSource(rig.apiUrl, orgs, 'w');
  await warm.paced(ratePerS, 3);
  await rig.drain('/h/lag/', warm.acknowledged().size, ids, 30_000);
  const updates0 = await deliveryUpdates(rig.db);

  const source = new ChangeSource(rig.apiUrl, orgs, 'l');
  const sampler = new Sampler(rig.db, rig.redis, rig.queuePrefix, rig.receiver, '/h/lag/', ids).start();
  const started = wallClock();
  await source.paced(ratePerS, seconds);
  const elapsedS = (wallClock() - started) / 1000;
  const { drained, matched } = await collect(rig, source, '/h/lag/', 'l', ids, 60_000);
  const samples = sampler.stop();
  const acked = [...source.acknowledged().values()];
  const scim = acked.map((s) => s.ackAt! - s.startAt);
  const { rows } = await rig.db.query<{ relay_ms: number; send_ms: number }>(
    `SELECT extract(epoch FROM created_at - committed_at) * 1000 AS relay_ms, extract(epoch FROM updated_at - created_at) * 1000 AS send_ms
     FROM deliveries WHERE connection_id = ANY($1::uuid[]) AND state = 'succeeded' AND payload->>'first_name' LIKE 'l%'`,
    [ids],
  );
  await rig.stopWorker();
  const updates = (await deliveryUpdates(rig.db)) - updates0;
  log(summary('lag', matched));
  return {
    ratePerS,
    seconds,
    achievedPerS: source.sent.length / elapsedS,
    scimP50Ms: percentile(scim, 50),
    scimP99Ms: percentile(scim, 99),
    scimErrors: source.sent.length - acked.length,
    scimFailures: source.failures(),
    relayP50Ms: percentile(rows.map((r) => Number(r.relay_ms)), 50),
    relayP99Ms: percentile(rows.map((r) => Number(r.relay_ms)), 99),
    sendP50Ms: percentile(rows.map((r) => Number(r.send_ms)), 50),
    sendP99Ms: percentile(rows.map((r) => Number(r.send_ms)), 99),
    matched,
    drained,
    updatesPerDelivery: updates / Math.max(1, matched.delivered),
    samples,
  };
}

// ── 2. Drain rate of one worker from a backlog ───────────────────────────────────────────────

export interface DrainResult extends Outcome {
  readonly backlog: number;
  readonly scimPerS: number;
  /** From the worker's start (ready) to the outbox empty / the last event acknowledged. */
  readonly relayedAfterS: number;
  readonly drainedAfterS: number;
  readonly overallPerS: number;
  /** Between the 10th and 90th percentile arrival: the steady rate. */
  readonly steadyPerS: number;
  readonly peakQueue: number;
}

export async function backlogDrain(rig: Rig, backlog: number): Promise<DrainResult> {
  await rig.stopWorker();
  const updates0 = await deliveryUpdates(rig.db);
  const orgs = await rig.orgs('drain', ORGS, UNLIMITED);
  const ids = orgs.map((o) => o.connectionId);
  const source = new ChangeSource(rig.apiUrl, orgs, 'd');
  const made = wallClock();
  await source.saturate(backlog, 32);
  const scimPerS = backlog / ((wallClock() - made) / 1000);
  log(`drain: ${backlog} changes made in ${((wallClock() - made) / 1000).toFixed(1)} s with the worker stopped`);

  const sampler = new Sampler(rig.db, rig.redis, rig.queuePrefix, rig.receiver, '/h/drain/', ids).start();
  await rig.startWorker();
  const ready = wallClock();
  const readyOffsetS = (Date.now() - sampler.startedAt) / 1000;
  const { drained, matched, arrivals } = await collect(rig, source, '/h/drain/', 'd', ids, 240_000);
  const samples = sampler.stop();
  await rig.stopWorker();
  const updates = (await deliveryUpdates(rig.db)) - updates0;
  log(summary('drain', matched));
  const times = arrivals.filter((a) => a.status === 204).map((a) => a.at).sort((a, b) => a - b);
  const p10 = times[Math.floor(times.length * 0.1)]!;
  const p90 = times[Math.floor(times.length * 0.9)]!;
  const relayedSample = samples.find((s) => s.t >= readyOffsetS && s.outboxUnrelayed === 0);
  return {
    backlog,
    scimPerS,
    relayedAfterS: relayedSample ? relayedSample.t - readyOffsetS : NaN,
    drainedAfterS: (matched.lastAt - ready) / 1000,
    overallPerS: matched.delivered / ((matched.lastAt - ready) / 1000),
    steadyPerS: (Math.floor(times.length * 0.9) - Math.floor(times.length * 0.1)) / ((p90 - p10) / 1000),
    peakQueue: Math.max(...samples.map((s) => s.queueWaiting + s.queueDelayed + s.queueActive)),
    matched,
    drained,
    updatesPerDelivery: updates / Math.max(1, matched.delivered),
    samples,
  };
}

// ── 3. A rate-limited receiver and a connection that knows the limit ─────────────────────────

export interface LimitResult extends Outcome {
  readonly limitPerMin: number;
  readonly burst: number;
  readonly backlog: number;
  readonly spanS: number;
  readonly achievedPerMin: number;
  /** Acknowledged calls in each clock minute the run covered entirely (the receiver's windows). */
  readonly fullMinutes: readonly number[];
}

export async function rateLimited(rig: Rig, limitPerMin: number, burst: number, backlog: number): Promise<LimitResult> {
  await rig.startWorker();
  const updates0 = await deliveryUpdates(rig.db);
  const [org] = await rig.orgs('limit', 1, { requests_per_minute: limitPerMin, burst });
  await rig.receiver.limit(org!.path, limitPerMin, 60_000);
  const sampler = new Sampler(rig.db, rig.redis, rig.queuePrefix, rig.receiver, '/h/limit/', [org!.connectionId]).start();
  const source = new ChangeSource(rig.apiUrl, [org!], 'r');
  await source.saturate(backlog, 16);
  const { drained, matched, arrivals } = await collect(rig, source, '/h/limit/', 'r', [org!.connectionId], Math.ceil((backlog / limitPerMin) * 60_000) + 90_000);
  const samples = sampler.stop();
  await rig.stopWorker();
  const updates = (await deliveryUpdates(rig.db)) - updates0;
  log(summary('rate limit', matched));
  const ok = arrivals.filter((a) => a.status === 204).map((a) => a.at);
  const fullMinutes: number[] = [];
  for (let m = Math.ceil(matched.firstAt / 60_000) * 60_000; m + 60_000 <= matched.lastAt; m += 60_000) {
    fullMinutes.push(ok.filter((t) => t >= m && t < m + 60_000).length);
  }
  const spanS = (matched.lastAt - matched.firstAt) / 1000;
  return {
    limitPerMin,
    burst,
    backlog,
    spanS,
    achievedPerMin: ((matched.delivered - 1) / spanS) * 60,
    fullMinutes,
    matched,
    drained,
    updatesPerDelivery: updates / Math.max(1, matched.delivered),
    samples,
  };
}

// ── 4. Recovery after an outage ──────────────────────────────────────────────────────────────

export interface OutageResult extends Outcome {
  readonly label: string;
  readonly env: Record<string, string>;
  readonly changes: number;
  readonly outageS: number;
  /** Retry attempts made while the endpoint was down, and the state when it came back. */
  readonly attemptsWhileDown: number;
  readonly waitingAtReturn: number;
  /** From the endpoint's return: first event, half of them, all of them (s). */
  readonly firstAfterS: number;
  readonly halfAfterS: number;
  readonly allAfterS: number;
  readonly maxAttempts: number;
  readonly meanAttempts: number;
  readonly dead: number;
}

export async function outage(rig: Rig, label: string, env: Record<string, string>, changes: number, outageS: number): Promise<OutageResult> {
  await rig.startWorker(env);
  const updates0 = await deliveryUpdates(rig.db);
  const prefix = `/h/${label}/`;
  const orgs = await rig.orgs(label, ORGS, UNLIMITED);
  const ids = orgs.map((o) => o.connectionId);
  const sampler = new Sampler(rig.db, rig.redis, rig.queuePrefix, rig.receiver, prefix, ids).start();
  const downAt = await rig.receiver.down();
  const source = new ChangeSource(rig.apiUrl, orgs, label);
  await source.saturate(changes, 32);
  log(`${label}: ${changes} changes made in ${((wallClock() - downAt) / 1000).toFixed(1)} s with the receiver down`);
  await sleep(Math.max(0, downAt + outageS * 1000 - wallClock()));
  const before = await rig.db.query<{ attempts: string; waiting: string }>(
    `SELECT coalesce(sum(attempts), 0) AS attempts, count(*) FILTER (WHERE state NOT IN ('succeeded', 'dead')) AS waiting FROM deliveries WHERE connection_id = ANY($1::uuid[])`,
    [ids],
  );
  const upAt = await rig.receiver.up();
  const { drained, matched, arrivals } = await collect(rig, source, prefix, label, ids, 240_000);
  const samples = sampler.stop();
  const { rows } = await rig.db.query<{ max: number; mean: string; dead: string }>(
    `SELECT max(attempts) AS max, avg(attempts) AS mean, count(*) FILTER (WHERE state = 'dead') AS dead FROM deliveries WHERE connection_id = ANY($1::uuid[])`,
    [ids],
  );
  await rig.stopWorker();
  const updates = (await deliveryUpdates(rig.db)) - updates0;
  log(summary(label, matched));
  const after = arrivals
    .filter((a) => a.status === 204)
    .map((a) => a.at - upAt)
    .sort((a, b) => a - b);
  return {
    label,
    env,
    changes,
    outageS: (upAt - downAt) / 1000,
    attemptsWhileDown: Number(before.rows[0]!.attempts),
    waitingAtReturn: Number(before.rows[0]!.waiting),
    firstAfterS: after[0]! / 1000,
    halfAfterS: percentile(after, 50) / 1000,
    allAfterS: (matched.lastAt - upAt) / 1000,
    maxAttempts: Number(rows[0]!.max),
    meanAttempts: Number(rows[0]!.mean),
    dead: Number(rows[0]!.dead),
    matched,
    drained,
    updatesPerDelivery: updates / Math.max(1, matched.delivered),
    samples,
  };
}
