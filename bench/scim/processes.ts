import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A server under test, in its own process (the load generator keeps the other core). */
export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  /** Lines the process printed on stdout that start with `prefix`, as they arrive. */
  nextLine(prefix: string): Promise<string>;
}

const DIST = join(__dirname, '../..');
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

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

function watch(child: ChildProcess): (prefix: string) => Promise<string> {
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
  return (prefix) => new Promise((resolve) => waiting.push({ prefix, resolve }));
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (exited !== undefined) throw new Error(`server exited with ${exited} before it was ready`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not become healthy`);
}

/**
 * One Delta API process exactly as `npm run start:api` runs it (dist/apps/api/src/main.js: config
 * from the environment, OpenTelemetry as configured, migrations check, Redis for the rate
 * limiter), from the benchmark's swc build. `nodeArgs` adds e.g. a preload or --cpu-prof.
 */
export async function startDelta(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<Served> {
  const port = await freePort();
  const child = track(spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, join(DIST, 'apps/api/src/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  }));
  const nextLine = watch(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  return { child, url, nextLine };
}

/** The raw node:http + pg baseline (raw-server.ts). */
export async function startRaw(databaseUrl: string, nodeArgs: readonly string[] = []): Promise<Served> {
  const child = track(
    spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, join(__dirname, 'raw-server.js'), databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const nextLine = watch(child);
  const ready = await Promise.race([
    nextLine('READY '),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`raw server exited ${code}`)))),
  ]);
  return { child, url: `http://127.0.0.1:${ready.slice('READY '.length).trim()}`, nextLine };
}

export async function stop(served: Served): Promise<void> {
  if (served.child.exitCode !== null) return;
  const exited = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGTERM');
  await exited;
}

/** Stops every server this run started and has not stopped yet (after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

/** The preload that counts PostgreSQL and Redis round trips (round-trip-counter.ts). */
export const COUNTER_PRELOAD = ['-r', join(__dirname, 'round-trip-counter.js')];
