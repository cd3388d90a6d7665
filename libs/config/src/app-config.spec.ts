import { inspect } from 'node:util';
import { loadConfig } from './app-config';
import { ConfigError } from './config-error';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment (embedded mode)', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    expect(config.db.url).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.db.dataDir).toMatch(/\/data$/);
    expect(config.log.level).toBe('info');
    expect(config.otel).toMatchObject({ tracesExporter: false, metricsExporter: false, logsExporter: false });
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).http.publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://delta.example.com/' }).http.publicUrl).toBe('https://delta.example.com');
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['PUBLIC_URL', 'not a url', /PUBLIC_URL is not a valid URL/],
    ['PUBLIC_URL', 'ftp://x', /PUBLIC_URL must use http: or https:/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must use postgres: or postgresql:/],
    ['REDIS_URL', 'http://x', /REDIS_URL must use redis: or rediss:/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['ADMIN_API_KEY', 'short', /ADMIN_API_KEY must be at least 32 characters/],
    ['ENCRYPTION_KEY', 'abc', /ENCRYPTION_KEY must be 32 bytes/],
    ['OTEL_SDK_DISABLED', 'maybe', /OTEL_SDK_DISABLED must be true or false/],
  ])('stops with one line naming %s for %j', (name, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(name);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('accepts a 32-byte encryption key as hex or base64', () => {
    expect(loadConfig({ ENCRYPTION_KEY: 'ab'.repeat(32) }).crypto.encryptionKey).toBeDefined();
    expect(loadConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).crypto.encryptionKey).toBeDefined();
  });

  it('never prints secrets when the config is serialized or inspected', () => {
    const config = loadConfig({ ADMIN_API_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://u:hunter2@db/delta' });
    const text = JSON.stringify(config) + inspect(config, { depth: 5 });
    expect(text).not.toContain('k'.repeat(40));
    expect(text).not.toContain('hunter2');
    expect(config.auth.adminApiKey?.reveal()).toBe('k'.repeat(40));
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config.http)).toBe(true);
  });
});
