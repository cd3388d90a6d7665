import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../../support/api-process';
import { call } from '../../support/test-api';

const startEmbedded = (dataDir: string) => startProcess('apps/main.js', { DATA_DIR: dataDir });

describe('embedded mode (npm start with no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'delta-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts from an empty DATA_DIR, prints an admin key once, keeps data across a restart, logs no secret', async () => {
    const first = await startEmbedded(dataDir);
    const keyFile = join(dataDir, 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const encryptionKey = readFileSync(keyFile, 'utf8');
    const adminKey = first.output.join('\n').match(/dlt_admin_[A-Za-z0-9_-]{43}/)?.[0];
    expect(adminKey).toBeDefined();
    const api = { url: first.url };
    const org = await call(api, 'POST', '/v1/organizations', { auth: adminKey, body: { name: 'Embedded', slug: 'embedded' } });
    expect(org.status).toBe(201);
    const token = await call(api, 'POST', `/v1/organizations/${org.body.id}/scim/tokens`, { auth: adminKey, body: { name: 'Okta' } });
    expect(token.status).toBe(201);
    const ready = await call(api, 'GET', '/readyz', { auth: null });
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok' } });
    await first.stop();

    const second = await startEmbedded(dataDir);
    expect(readFileSync(keyFile, 'utf8')).toBe(encryptionKey);
    expect(second.output.join('\n')).not.toMatch(/dlt_admin_/);
    const api2 = { url: second.url };
    const again = await call(api2, 'GET', `/v1/organizations/${org.body.id}`, { auth: adminKey });
    expect(again.status).toBe(200);
    expect(again.body.slug).toBe('embedded');
    const tokens = await call(api2, 'GET', `/v1/organizations/${org.body.id}/scim/tokens`, { auth: adminKey });
    expect(tokens.body.data.map((t: { id: string }) => t.id)).toEqual([token.body.id]);
    await second.stop();

    // The banner is for the operator's terminal; the JSON log stream must never carry a secret.
    const logLines = [...first.output, ...second.output].filter((l) => l.startsWith('{')).join('\n');
    expect(logLines).toContain('request completed');
    expect(logLines).not.toContain(adminKey!);
    expect(logLines).not.toContain(token.body.token);
  }, 240_000);
});
