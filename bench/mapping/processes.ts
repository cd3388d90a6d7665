import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A Delta process under test (API or worker), started from the benchmark's swc build. */
export interface Proc {
  readonly child: ChildProcess;
  readonly url?: string;
  /** The next stdout line starting with `prefix`. */
  nextLine(prefix: string): Promise<string>;
}

const DIST = join(__dirname, '../..');
const running = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function spawnDelta(entry: string, env: Record<string, string>, nodeArgs: readonly string[]): Proc {
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, join(DIST, entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const waiting: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const index = waiting.findIndex((w) => line.startsWith(w.prefix));
      if (index >= 0) waiting.splice(index, 1)[0]!.resolve(line);
    }
  });
  return { child, nextLine: (prefix) => new Promise((resolve) => waiting.push({ prefix, resolve })) };
}

/** The API exactly as `npm run start:api` runs it (dist/apps/api/src/main.js). */
export async function startApi(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const proc = spawnDelta('apps/api/src/main.js', { ...env, PORT: String(port), HOST: '127.0.0.1' }, []);
  const url = `http://127.0.0.1:${port}`;
  let exited: number | null | undefined;
  proc.child.once('exit', (code) => (exited = code));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (exited !== undefined) throw new Error(`API exited with ${exited} before it was ready`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { ...proc, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('API did not become healthy');
}

/**
 * The worker exactly as `npm run start:worker` runs it (dist/apps/worker/src/main.js, BullMQ on
 * Redis). `nodeArgs` adds a preload or --cpu-prof. Ready when its first remap sweep has run,
 * which we cannot see from outside, so: when the process has been up for `settleMs`.
 */
export async function startWorker(env: Record<string, string>, nodeArgs: readonly string[] = [], settleMs = 3000): Promise<Proc> {
  const proc = spawnDelta('apps/worker/src/main.js', env, nodeArgs);
  const early = await Promise.race([
    new Promise<number | null>((resolve) => proc.child.once('exit', resolve)),
    new Promise<'up'>((resolve) => setTimeout(() => resolve('up'), settleMs)),
  ]);
  if (early !== 'up') throw new Error(`worker exited with ${early} at start`);
  return proc;
}

export async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  await exited;
}

/** Stops every process this run started and has not stopped yet (after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU of one process so far, in ms (from /proc, 10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** User + system CPU of each of these PostgreSQL backends so far, in ms (ended ones are left out). */
export function backendsCpuMs(pids: readonly number[]): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    try {
      byPid.set(pid, cpuMs(pid));
    } catch {
      // the backend ended between listing and reading
    }
  }
  return byPid;
}

/** Machine-wide busy and total CPU time (all cores) so far, in ms, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = n[3]! + n[4]!;
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}
