import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';

/**
 * The product's webhook endpoint for the fan-out benchmark, in its own process: plain node:http,
 * verifies every signature with the `standardwebhooks` reference library (a bad one is answered
 * 401 and counted), answers 204 at once, and records when each event arrived. Per path it can
 * enforce R requests per fixed, clock-aligned window (429 + Retry-After in whole seconds, as
 * most vendors document "per minute"), and the whole endpoint can go down (listening socket and
 * keep-alive connections closed, so calls are refused) and come back on the same port.
 *
 * A second port carries the benchmark's control calls, which keep working while the endpoint is
 * down. `node receiver.js` prints `READY <hooksPort> <controlPort>`.
 */

/** One request as recorded: [path index, arrival ms since the epoch, status, webhook-id, event type, data.first_name]. */
type Row = [number, number, number, string, string, string | null];

interface Limit {
  readonly requests: number;
  readonly windowMs: number;
}

const paths: string[] = [];
const pathIndex = new Map<string, number>();
const verifiers = new Map<string, Webhook>();
const limits = new Map<string, Limit>();
const windows = new Map<string, { start: number; used: number }>();
const rows: Row[] = [];
let hooksPort = 0;

const now = (): number => performance.timeOrigin + performance.now();

function indexOf(path: string): number {
  let index = pathIndex.get(path);
  if (index === undefined) {
    index = paths.length;
    paths.push(path);
    pathIndex.set(path, index);
  }
  return index;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Fixed window aligned to the clock (the emulator's `fixed-window` algorithm): at most `requests` per window. */
function admit(path: string, at: number): { ok: true } | { ok: false; retryAfterS: number } {
  const limit = limits.get(path);
  if (!limit) return { ok: true };
  const start = Math.floor(at / limit.windowMs) * limit.windowMs;
  const window = windows.get(path);
  const used = window && window.start === start ? window.used : 0;
  if (used >= limit.requests) return { ok: false, retryAfterS: Math.max(1, Math.ceil((start + limit.windowMs - at) / 1000)) };
  windows.set(path, { start, used: used + 1 });
  return { ok: true };
}

async function hooks(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const at = now();
  const path = req.url ?? '/';
  const index = indexOf(path);
  const id = String(req.headers['webhook-id'] ?? '');
  const admitted = admit(path, at);
  if (!admitted.ok) {
    rows.push([index, at, 429, id, '', null]);
    res.writeHead(429, { 'retry-after': String(admitted.retryAfterS), 'content-type': 'application/json' }).end('{"error":"rate_limited"}');
    return;
  }
  let status = 204;
  let type = '';
  let firstName: string | null = null;
  try {
    const verifier = verifiers.get(path);
    if (!verifier) throw new Error('no secret for this path');
    const event = verifier.verify(body, req.headers as Record<string, string>) as { id: string; type: string; data?: { first_name?: string | null } };
    if (event.id !== id) throw new Error('body id differs from webhook-id');
    type = event.type;
    firstName = event.data?.first_name ?? null;
  } catch {
    status = 401;
  }
  rows.push([index, at, status, id, type, firstName]);
  res.writeHead(status).end();
}

let hooksServer: Server = createServer((req, res) => void hooks(req, res).catch(() => res.writeHead(500).end()));

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const input = req.method === 'POST' ? (JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>) : {};
  const reply = (value: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  switch (url.pathname) {
    case '/secret':
      verifiers.set(String(input.path), new Webhook(String(input.secret)));
      return reply({ ok: true });
    case '/limit':
      if (input.requests) limits.set(String(input.path), { requests: Number(input.requests), windowMs: Number(input.windowMs ?? 60_000) });
      else limits.delete(String(input.path));
      windows.delete(String(input.path));
      return reply({ ok: true });
    case '/down':
      // Refuse new connections and drop the keep-alive ones the worker holds: an outage.
      await new Promise<void>((resolve) => {
        hooksServer.close(() => resolve());
        hooksServer.closeAllConnections();
      });
      return reply({ ok: true, at: now() });
    case '/up':
      hooksServer = createServer((q, s) => void hooks(q, s).catch(() => s.writeHead(500).end()));
      await listen(hooksServer, hooksPort);
      return reply({ ok: true, at: now() });
    case '/rows': {
      // Rows recorded from index `from` on, for paths starting with `prefix`.
      const from = Number(url.searchParams.get('from') ?? 0);
      const prefix = url.searchParams.get('prefix') ?? '';
      const selected = rows.slice(from).filter((r) => paths[r[0]]!.startsWith(prefix));
      return reply({ paths, rows: selected, next: rows.length });
    }
    case '/count': {
      const prefix = url.searchParams.get('prefix') ?? '';
      let ok = 0;
      let other = 0;
      for (const r of rows) {
        if (!paths[r[0]]!.startsWith(prefix)) continue;
        if (r[2] === 204) ok++;
        else other++;
      }
      return reply({ ok, other, total: rows.length });
    }
    default:
      res.writeHead(404).end();
  }
}

async function main(): Promise<void> {
  hooksPort = await listen(hooksServer, 0);
  const controlServer = createServer((req, res) => void control(req, res).catch((error: unknown) => res.writeHead(500).end(String(error))));
  const controlPort = await listen(controlServer, 0);
  process.stdout.write(`READY ${hooksPort} ${controlPort}\n`);
  process.once('SIGTERM', () => process.exit(0));
}

void main();
