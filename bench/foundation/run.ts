import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@delta/config';
import { runMigrations } from '@delta/persistence';
import { LoadResult, load, table } from '../support';

/**
 * Foundation benchmark (issue 2): Fastify vs Express on our own admin routes, and the cost of
 * an authenticated SCIM request with and without the token-verification cache.
 * Server and load generator are separate processes (one core each on a 2-core machine).
 */
const BASE = process.env.BENCH_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432/test';
const DURATION = Number(process.env.BENCH_DURATION_S ?? 8);
const ADMIN_KEY = `bench_admin_${randomBytes(24).toString('hex')}`;

async function freshDatabase(): Promise<string> {
  const name = `delta_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  await runMigrations(loadConfig({ DATABASE_URL: url.toString() }));
  return url.toString();
}

async function serve(adapter: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(__dirname, 'serve.js'), adapter], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function json(url: string, method: string, body: unknown, auth: string): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function main(): Promise<void> {
  const databaseUrl = await freshDatabase();
  const env = { DATABASE_URL: databaseUrl, ADMIN_API_KEY: ADMIN_KEY, ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const results: LoadResult[] = [];

  for (const adapter of ['fastify', 'express']) {
    const server = await serve(adapter, env);
    const org = await json(`${server.url}/v1/organizations`, 'POST', { name: 'Bench', slug: `bench-${adapter}` }, ADMIN_KEY);
    let n = 0;
    results.push(await load(`${adapter}: GET /healthz`, { url: `${server.url}/healthz`, durationS: DURATION }));
    results.push(await load(`${adapter}: GET /v1/organizations/{id}`, { url: `${server.url}/v1/organizations/${org.id}`, headers: auth, durationS: DURATION }));
    results.push(
      await load(`${adapter}: POST /v1/organizations`, {
        url: `${server.url}/v1/organizations`,
        durationS: DURATION,
        requests: [
          {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: 'Load', slug: `l-${adapter}-${n++}` }) }),
          },
        ],
      }),
    );
    await stop(server.child);
  }

  for (const [label, cacheSize] of [
    ['SCIM GET /ServiceProviderConfig, token cache on', '10000'],
    ['SCIM GET /ServiceProviderConfig, token cache off (argon2id per request)', '0'],
  ] as const) {
    // The failure throttle is per client address; the load generator is one address.
    const server = await serve('fastify', { ...env, TOKEN_CACHE_SIZE: cacheSize, AUTH_FAILURES_PER_MINUTE: '1000000' });
    const org = await json(`${server.url}/v1/organizations`, 'POST', { name: 'Bench', slug: `scim-${cacheSize}-${Date.now()}` }, ADMIN_KEY);
    const token = await json(`${server.url}/v1/organizations/${org.id}/scim/tokens`, 'POST', { name: 'bench' }, ADMIN_KEY);
    results.push(
      await load(label, {
        url: `${server.url}/scim/v2/${org.id}/ServiceProviderConfig`,
        headers: { authorization: `Bearer ${token.token}` },
        durationS: DURATION,
      }),
    );
    await stop(server.child);
  }

  const report = table(results);
  process.stdout.write(`${report}\n`);
  mkdirSync(join(__dirname, '../results'), { recursive: true });
  writeFileSync(join(__dirname, '../results/foundation.md'), `${new Date().toISOString()}\n\n${report}\n`);
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`DROP DATABASE ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
  await admin.end();
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
