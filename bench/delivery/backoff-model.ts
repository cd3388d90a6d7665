import { backoffDelayMs } from '../../apps/worker/src/delivery/backoff.util';

/**
 * What the worker's retry schedule alone implies for an outage (no worker capacity limit): each
 * delivery is first tried when its change is made, fails while the endpoint is down, and waits
 * `backoffDelayMs(attempt)` (the worker's own function) before the next try, until it lands
 * after the endpoint is back or runs out of attempts (dead letter). Used to extrapolate the
 * measured, shortened outage to the 10-minute one and beyond.
 */
export interface OutageModel {
  readonly outageMs: number;
  /** Changes arrive uniformly over [0, spreadMs) after the endpoint went down. */
  readonly spreadMs: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly maxAttempts: number;
  readonly deliveries?: number;
}

export interface OutageOutcome {
  /** Time from the endpoint's return to the first retry of each delivery that survives: p50, p99, max. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Share of deliveries dead-lettered before the endpoint came back. */
  readonly deadShare: number;
  readonly meanAttempts: number;
}

export function simulateOutage(model: OutageModel): OutageOutcome {
  const n = model.deliveries ?? 10_000;
  const waits: number[] = [];
  let dead = 0;
  let attemptsTotal = 0;
  for (let i = 0; i < n; i++) {
    let t = (i / n) * model.spreadMs;
    let attempt = 1;
    while (t < model.outageMs && attempt < model.maxAttempts) {
      t += backoffDelayMs(attempt, model.baseMs, model.capMs);
      attempt++;
    }
    attemptsTotal += attempt;
    if (t < model.outageMs) dead++;
    else waits.push(t - model.outageMs);
  }
  waits.sort((a, b) => a - b);
  const at = (p: number) => (waits.length ? waits[Math.min(waits.length - 1, Math.floor(p * waits.length))]! : NaN);
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: waits.length ? waits[waits.length - 1]! : NaN, deadShare: dead / n, meanAttempts: attemptsTotal / n };
}
