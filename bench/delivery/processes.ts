import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The production topology of the fan-out benchmark, one process each: the API and the worker from
 * their built entry points (dist-bench/apps/{api,worker}/src/main.js, what `npm run start:api` and
 * `npm run start:worker` run), and the webhook receiver (receiver.ts).
 */
const DIST = join(__dirname, '../..');
const running = new Set<ChildProcess>();

export interface Proc {
  readonly child: ChildProcess;
  /** The last lines the process wrote (for error messages). */
  readonly tail: string[];
}

function spawnTracked(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--enable-source-maps', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, tail };
}

async function until(proc: Proc, ready: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited with ${proc.child.exitCode}:\n${proc.tail.join('\n')}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${proc.tail.join('\n')}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startApi(env: Record<string, string>): Promise<Proc & { url: string }> {
  const port = await freePort();
  const proc = spawnTracked([join(DIST, 'apps/api/src/main.js')], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  await until(proc, () => fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false), 'API');
  return { ...proc, url };
}

/** The worker logs "Delta worker started" at info once its queue consumer runs; nothing per delivery. */
export async function startWorker(env: Record<string, string>): Promise<Proc> {
  const proc = spawnTracked([join(DIST, 'apps/worker/src/main.js')], { ...env, LOG_LEVEL: 'info' });
  await until(proc, () => proc.tail.some((line) => line.includes('Delta worker started')), 'worker');
  return proc;
}

export async function startReceiver(): Promise<Proc & { hooksUrl: string; controlUrl: string }> {
  const proc = spawnTracked([join(__dirname, 'receiver.js')], {});
  let ports: string[] | undefined;
  await until(
    proc,
    () => {
      const line = proc.tail.find((l) => l.startsWith('READY '));
      ports = line?.split(' ').slice(1);
      return ports !== undefined;
    },
    'receiver',
  );
  return { ...proc, hooksUrl: `http://127.0.0.1:${ports![0]}`, controlUrl: `http://127.0.0.1:${ports![1]}` };
}

export async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  await exited;
}

/** Stops whatever this run started and has not stopped yet (after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop({ child, tail: [] })));
}
