import { json, RateLimiter, Router, startEmulatorServer, type EmulatorServer } from '../../emulators/support';

/** The shared pipeline over real HTTP: faults of every kind, control plane, body limit, stop/restart. */
describe('emulator support', () => {
  let server: EmulatorServer;
  let handled = 0;

  beforeAll(async () => {
    const router = new Router('/api').get('/items/:id', (_req, p) => json(200, { id: p.id })).post('/items', (req) => {
      handled++;
      return json(201, { got: req.body });
    });
    server = await startEmulatorServer({
      name: 'test',
      bodyLimitBytes: 64,
      handle: (req) => {
        const m = router.match(req.method, req.path);
        if (m.kind === 'found') return m.handler(req, m.params);
        return json(m.kind === 'not-found' ? 404 : 405, { error: m.kind });
      },
    });
  });
  afterEach(() => {
    server.faults.clear();
    server.log.clear();
  });
  afterAll(() => server.close());

  it('routes case-sensitively and decodes params', async () => {
    expect(await (await fetch(`${server.url}/api/items/a%20b`)).json()).toEqual({ id: 'a b' });
    expect((await fetch(`${server.url}/API/items/1`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/items/1`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers a canned 429 with Retry-After for the next K matching requests, then normally', async () => {
    server.faults.next(2, { status: 429, headers: { 'retry-after': '3' }, body: { error: 'slow down' } }, { method: 'GET', path: '/api/items/:id' });
    const first = await fetch(`${server.url}/api/items/1`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await first.json()).toEqual({ error: 'slow down' });
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(429);
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
    expect(server.log.entries().map((e) => e.fault)).toEqual(['status:429', 'status:429', undefined]);
  });

  it('keeps an always rule until cleared and fires an nth rule on the nth match', async () => {
    const id = server.faults.always({ status: 503 }, { path: /^\/api\/items\/\d+$/ });
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(503);
    expect((await fetch(`${server.url}/api/items/2`)).status).toBe(503);
    server.faults.remove(id);
    server.faults.add({ match: { path: '/api/items/:id', nth: 2 }, action: { status: 500 } });
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(500);
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
  });

  it('delays, alone or before a canned answer', async () => {
    server.faults.next(1, { delayMs: 150 });
    let t = Date.now();
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    server.faults.next(1, { delayMs: 100, status: 500 });
    t = Date.now();
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(500);
    expect(Date.now() - t).toBeGreaterThanOrEqual(90);
  });

  it('hangs until the client gives up', async () => {
    server.faults.next(1, { hang: true });
    await expect(fetch(`${server.url}/api/items/1`, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/timeout|aborted/i);
    expect(server.log.last()?.fault).toBe('hang');
  });

  it('resets the connection, before or after doing the work', async () => {
    server.faults.next(1, { reset: true });
    await expect(fetch(`${server.url}/api/items/1`)).rejects.toThrow('fetch failed');
    const before = handled;
    server.faults.next(1, { reset: true, afterHandling: true }, { method: 'POST' });
    await expect(fetch(`${server.url}/api/items`, { method: 'POST', body: '{"a":1}' })).rejects.toThrow('fetch failed');
    expect(handled).toBe(before + 1);
  });

  it('honours x-emulator-fault for one request', async () => {
    const res = await fetch(`${server.url}/api/items/1`, { headers: { 'x-emulator-fault': '429;retry-after=1' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('takes fault rules and shows requests over the control plane, unlogged', async () => {
    const add = await fetch(`${server.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { method: 'GET', pathRegex: '^/api/items/7$' }, times: 1, action: { status: 418 } }),
    });
    expect(add.status).toBe(201);
    expect((await fetch(`${server.url}/api/items/7`)).status).toBe(418);
    const log = (await (await fetch(`${server.url}/__emulator/requests`)).json()) as Array<{ path: string; status: number }>;
    expect(log).toEqual([expect.objectContaining({ path: '/api/items/7', status: 418 })]);
  });

  it('parses JSON bodies and refuses ones over the limit with 413', async () => {
    const ok = await fetch(`${server.url}/api/items`, { method: 'POST', body: '{"a":1}' });
    expect(await ok.json()).toEqual({ got: { a: 1 } });
    expect((await fetch(`${server.url}/api/items`, { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(100) }) })).status).toBe(413);
  });

  it('refuses connections after stop() and serves again on the same port after restart()', async () => {
    const port = server.port;
    await server.stop();
    await expect(fetch(`${server.url}/api/items/1`)).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    await server.restart();
    expect(server.port).toBe(port);
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
  });

  it('waits for requests without sleeping', async () => {
    const [entries] = await Promise.all([
      server.log.waitForCount(2, { path: '/api/items/9' }, 2000),
      fetch(`${server.url}/api/items/9`),
      fetch(`${server.url}/api/items/9`),
    ]);
    expect(entries).toHaveLength(2);
  });
});

describe('RateLimiter', () => {
  it('token bucket: allows the burst, then refuses with the wait until one token is back', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const rule = { limit: 60, burst: 2 }; // one token a second
    expect(limiter.take('a', rule).allowed).toBe(true);
    expect(limiter.take('a', rule).allowed).toBe(true);
    const refused = limiter.take('a', rule);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1, retryAfterMs: 1000, bucket: 'a' });
    now = 1000;
    expect(limiter.take('a', rule).allowed).toBe(true);
  });

  it('fixed window: resets at the window boundary', () => {
    let now = 10_500;
    const limiter = new RateLimiter(() => now);
    const rule = { limit: 1, windowMs: 1000, algorithm: 'fixed-window' as const };
    expect(limiter.take('w', rule).allowed).toBe(true);
    expect(limiter.take('w', rule)).toMatchObject({ allowed: false, retryAfterMs: 500, retryAfterSeconds: 1 });
    now = 11_000;
    expect(limiter.take('w', rule).allowed).toBe(true);
  });

  it('takeAll spends from every bucket or none', () => {
    const limiter = new RateLimiter(() => 0);
    const org = { bucket: 'org', limit: 10 };
    const endpoint = { bucket: 'endpoint', limit: 1 };
    expect(limiter.takeAll([org, endpoint]).allowed).toBe(true);
    expect(limiter.takeAll([org, endpoint])).toMatchObject({ allowed: false, bucket: 'endpoint' });
    expect(limiter.take('org', org).remaining).toBe(8);
  });
});
