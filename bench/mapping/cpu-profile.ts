import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time that was not idle, ms. */
  readonly busyMs: number;
  /** Whether only the samples inside the requested window were counted. */
  readonly windowed: boolean;
  /** By area: a package under node_modules, one of our libs/apps, node internals, GC. */
  readonly areas: ReadonlyArray<{ name: string; ms: number }>;
  /** Top functions by self time. */
  readonly functions: ReadonlyArray<{ name: string; ms: number }>;
}

function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /dist-bench\/((?:libs|apps)\/[^/]+)/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^.*dist-bench\//, '').replace(/^file:\/\//, '');
}

/**
 * Self time by area and by function of the one .cpuprofile V8 wrote into `dir`; with `windowUs`
 * (CLOCK_MONOTONIC µs, as process.hrtime and V8's profile timestamps both use on Linux) only the
 * samples inside it, so the process's start-up is left out.
 */
export function summarizeCpuProfile(dir: string, top = 15, windowUs?: { from: number; to: number }): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  let inWindow = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (windowUs && (at < windowUs.from || at > windowUs.to)) return;
    inWindow++;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  if (windowUs && inWindow === 0) return summarizeCpuProfile(dir, top);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000) }));
  return { busyMs: Math.round(busy / 1000), windowed: windowUs !== undefined, areas: sorted(areas), functions: sorted(functions) };
}
