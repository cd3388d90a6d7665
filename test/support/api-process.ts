import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './test-api';

const ROOT = join(__dirname, '../..');
const running = new Set<ChildProcess>();

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: string[];
  stop(): Promise<void>;
  /** kill -9: no shutdown hooks, a delivery in flight is abandoned mid-call. */
  kill(): Promise<void>;
}

/**
 * Runs a built entry point (dist/, built by the global setup) as its own process, the way an
 * operator runs it: for restarts, and for replicas that share nothing in memory with the test.
 */
export async function startProcess(entry: 'apps/main.js' | 'apps/api/src/main.js' | 'apps/worker/src/main.js', env: Record<string, string>): Promise<ApiProcess> {
  const output: string[] = [];
  const child = spawn(process.execPath, [join('dist', entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', OTEL_SDK_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));
  let url = '';
  await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output.join('\n')}`);
      if (entry === 'apps/worker/src/main.js') {
        if (!output.some((l) => l.includes('Delta worker started'))) throw new Error(`not started yet:\n${output.join('\n')}`);
        return;
      }
      const line = output.find((l) => l.includes('Delta API listening'));
      if (!line) throw new Error(`not listening yet:\n${output.join('\n')}`);
      url = (JSON.parse(line) as { url: string }).url.replace('[::1]', '127.0.0.1');
    },
    // Embedded starts run PGlite and every migration: generous on a loaded 2-core machine.
    90_000,
    100,
  );
  return {
    child,
    url,
    output,
    async kill() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});
