import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorHandle, EmulatorRequest, EmulatorResponse } from './emulator-http';
import { FaultInjector, parseFaultHeader, type FaultAction } from './fault-injector';
import { BodyTooLargeError, DEFAULT_BODY_LIMIT_BYTES, parseJson, readRawBody } from './json-body';
import { RequestLog, type LoggedRequest } from './request-log';
import { Router } from './router';
import { registerControlPlane, CONTROL_PREFIX, type ControlHooks } from './control-plane';

export interface EmulatorServerOptions {
  /** Shown in errors and by run-emulators. */
  name: string;
  /** Answers every vendor request (auth, rate limits and routing are the emulator's business). */
  handle(req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1: tests must only reach loopback (downstream-apis.md §4). */
  host?: string;
  bodyLimitBytes?: number;
  faults?: FaultInjector;
  log?: RequestLog;
  /** Honour `x-emulator-fault` on requests (downstream-apis.md §4). Default true. */
  faultHeader?: boolean;
  /** Emulator-specific `/__emulator/*` hooks: reset, seed, state, and extra routes. */
  control?: ControlHooks;
  /** Answer for a body over the limit; default a plain JSON 413. */
  tooLarge?(limitBytes: number): EmulatorResponse;
}

export interface EmulatorServer extends EmulatorHandle {
  name: string;
  host: string;
  faults: FaultInjector;
  log: RequestLog;
  /** Closes the listening socket and every connection: clients now get ECONNREFUSED. Keeps state. */
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. */
  restart(): Promise<void>;
  listening(): boolean;
  server: Server;
}

/**
 * Starts a node:http server with the shared pipeline: read body (with limit) → log → fault
 * (rules, then the per-request header) → emulator handler → write.
 */
export async function startEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const faults = options.faults ?? new FaultInjector();
  const log = options.log ?? new RequestLog();
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const control = new Router(CONTROL_PREFIX);
  registerControlPlane(control, { faults, log, hooks: options.control ?? {} });
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    // Seeds over the control plane may be larger than a vendor's body limit.
    const isControl = url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    let rawBody: string;
    try {
      rawBody = await readRawBody(req, isControl ? Math.max(limit, DEFAULT_BODY_LIMIT_BYTES) : limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        write(res, options.tooLarge?.(limit) ?? { status: 413, body: { error: 'payload_too_large', limit_bytes: limit } });
      } else res.destroy();
      return;
    }
    const parsed = parseJson(rawBody);
    const request: EmulatorRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      header: (name) => headerValue(req, name),
      rawBody,
      body: parsed.ok ? parsed.value : undefined,
      bodyError: parsed.ok ? undefined : parsed.error,
      receivedAt: Date.now(),
    };

    // The control plane is never logged or faulted, so assertions see only vendor traffic.
    if (isControl) {
      const m = control.match(request.method, request.path);
      write(res, m.kind === 'found' ? await m.handler(request, m.params) : { status: 404, body: { error: 'unknown control route' } });
      return;
    }

    const entry = log.record({
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body: parsed.ok ? parsed.value : rawBody,
      time: request.receivedAt,
    });

    const headerFault = options.faultHeader === false ? undefined : parseFaultHeader(request.header('x-emulator-fault'));
    const fault = faults.take(request.method, request.path) ?? headerFault;
    if (fault?.delayMs) {
      await sleep(fault.delayMs);
      if (closing || res.destroyed) return;
    }
    if (fault && !fault.afterHandling && (fault.reset || fault.hang || fault.status)) {
      applyFault(fault, res, entry, log);
      return;
    }
    let response: EmulatorResponse;
    try {
      response = await options.handle(request);
    } catch (error) {
      response = { status: 500, body: { error: 'emulator_bug', message: error instanceof Error ? error.message : String(error) } };
    }
    if (fault?.afterHandling && (fault.reset || fault.hang)) {
      // The emulator did the work but the client never learns it: the case where a connector
      // must reconcile before retrying a create (downstream-apis.md §4.1 "Injection tests").
      applyFault(fault, res, entry, log);
      return;
    }
    log.answered(entry, response.status, fault?.delayMs ? `delay:${fault.delayMs}` : undefined);
    write(res, response);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => res.destroy());
  });
  let port = await listen(server, options.port ?? 0, host);

  const stop = async () => {
    if (!server.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    // Let in-process clients see their pooled sockets close, so the next request is a fresh
    // connect that gets ECONNREFUSED rather than a write on a dead keep-alive socket.
    await new Promise((resolve) => setTimeout(resolve, 20));
  };

  return {
    name: options.name,
    host,
    get port() {
      return port;
    },
    get url() {
      return `http://${host}:${port}`;
    },
    faults,
    log,
    server,
    listening: () => server.listening,
    stop,
    restart: async () => {
      if (!server.listening) port = await listen(server, port, host);
    },
    close: async () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stop();
    },
  };
}

function applyFault(fault: FaultAction, res: ServerResponse, entry: LoggedRequest, log: RequestLog): void {
  if (fault.reset) {
    log.answered(entry, undefined, 'reset');
    res.socket?.destroy();
    return;
  }
  if (fault.hang) {
    // Left open on purpose; close()/stop() destroys the connection.
    log.answered(entry, undefined, 'hang');
    return;
  }
  log.answered(entry, fault.status, `status:${fault.status}`);
  write(res, { status: fault.status ?? 500, headers: fault.headers, body: fault.body });
}

function write(res: ServerResponse, response: EmulatorResponse): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: string | Buffer | undefined;
  if (response.body === undefined || response.body === null) payload = undefined;
  else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) payload = response.body;
  else {
    payload = JSON.stringify(response.body);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = response.contentType ?? 'application/json';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
