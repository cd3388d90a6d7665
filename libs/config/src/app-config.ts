import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import { Env, readBool, readEnum, readInt, readString, readUrl } from './env-readers.util';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Marks a value that must never be printed; `toJSON` and `inspect` hide it. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

export interface AppConfig {
  readonly http: { readonly port: number; readonly host: string; readonly publicUrl: string; readonly bodyLimitBytes: number };
  /** `url` absent = embedded PostgreSQL (PGlite) under `dataDir`. */
  readonly db: {
    readonly url?: Secret;
    /** The schema owner for migrations; defaults to `url`. Lets the app log in as a role that owns nothing. */
    readonly migrationUrl?: Secret;
    readonly poolSize: number;
    readonly dataDir: string;
  };
  /** `url` absent = in-process job runner (embedded mode). */
  readonly redis: { readonly url?: Secret; readonly keyPrefix: string };
  readonly auth: {
    readonly adminApiKey?: Secret;
    readonly tokenCacheSize: number;
    readonly tokenCacheTtlMs: number;
    readonly maxConcurrentHashes: number;
    readonly failedAuthPerMinute: number;
  };
  readonly crypto: { readonly encryptionKey?: Secret };
  readonly scim: {
    readonly maxResults: number;
    readonly bulkMaxOperations: number;
    readonly bulkMaxPayloadBytes: number;
    readonly requestsPerMinute: number;
    readonly burst: number;
  };
  readonly log: { readonly level: LogLevel };
  readonly worker: { readonly concurrency: number; readonly auditRetentionDays: number };
  readonly delivery: {
    /** Attempts before a delivery is dead-lettered (rate-limit waits do not count). */
    readonly maxAttempts: number;
    readonly backoffBaseMs: number;
    readonly backoffCapMs: number;
    /** Calls in flight to one connection from one worker process. */
    readonly perConnectionConcurrency: number;
    /** How long an attempt may run before another worker takes it back (the worker is presumed dead). */
    readonly leaseMs: number;
    /** Days a settled (succeeded or dead) delivery stays visible and replayable. */
    readonly retentionDays: number;
  };
  /**
   * The OpenTelemetry SDK reads the standard OTEL_* variables itself; these say which signals
   * have an exporter at all, because the SDK's own default (OTLP to localhost) is not ours: none.
   */
  readonly otel: {
    readonly sdkDisabled: boolean;
    readonly serviceName: string;
    readonly tracesExporter: boolean;
    readonly metricsExporter: boolean;
    readonly logsExporter: boolean;
  };
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readKey(env: Env, name: string): Secret | undefined {
  const value = readString(env, name);
  if (value === undefined) return undefined;
  if (value.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return new Secret(value);
}

function readEncryptionKey(env: Env): Secret | undefined {
  const value = readString(env, 'ENCRYPTION_KEY');
  if (value === undefined) return undefined;
  // AES-256-GCM needs exactly 32 bytes; accept them as base64 or hex (RFC 4648).
  const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (bytes.length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY', 'must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)');
  }
  return new Secret(bytes.toString('base64'));
}

/** Reads and validates the whole environment once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const publicUrl = (readUrl(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const migrationUrl = readUrl(env, 'MIGRATION_DATABASE_URL', ['postgres:', 'postgresql:']);
  const config: AppConfig = {
    http: {
      port,
      host: readString(env, 'HOST', '0.0.0.0'),
      publicUrl,
      bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    },
    db: {
      url: databaseUrl ? new Secret(databaseUrl) : undefined,
      migrationUrl: migrationUrl ? new Secret(migrationUrl) : databaseUrl ? new Secret(databaseUrl) : undefined,
      poolSize: readInt(env, 'DATABASE_POOL_SIZE', 20, 1, 1000),
      dataDir: resolve(readString(env, 'DATA_DIR', './data')),
    },
    redis: {
      url: redisUrl ? new Secret(redisUrl) : undefined,
      keyPrefix: readString(env, 'REDIS_KEY_PREFIX', 'delta'),
    },
    auth: {
      adminApiKey: readKey(env, 'ADMIN_API_KEY'),
      tokenCacheSize: readInt(env, 'TOKEN_CACHE_SIZE', 10_000, 0, 10_000_000),
      tokenCacheTtlMs: readInt(env, 'TOKEN_CACHE_TTL_MS', 300_000, 0, 86_400_000),
      maxConcurrentHashes: readInt(env, 'AUTH_MAX_CONCURRENT_HASHES', 2, 1, 64),
      failedAuthPerMinute: readInt(env, 'AUTH_FAILURES_PER_MINUTE', 20, 1, 1_000_000),
    },
    crypto: { encryptionKey: readEncryptionKey(env) },
    scim: {
      maxResults: readInt(env, 'SCIM_MAX_RESULTS', 1000, 1, 100_000),
      bulkMaxOperations: readInt(env, 'SCIM_BULK_MAX_OPERATIONS', 1000, 1, 100_000),
      bulkMaxPayloadBytes: readInt(env, 'SCIM_BULK_MAX_PAYLOAD_BYTES', 1_048_576, 1024, 100 * 1_048_576),
      requestsPerMinute: readInt(env, 'SCIM_RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
      burst: readInt(env, 'SCIM_RATE_LIMIT_BURST', 600, 1, 10_000_000),
    },
    log: { level: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info') },
    worker: {
      concurrency: readInt(env, 'WORKER_CONCURRENCY', 16, 1, 1000),
      auditRetentionDays: readInt(env, 'AUDIT_RETENTION_DAYS', 90, 1, 36500),
    },
    delivery: {
      maxAttempts: readInt(env, 'DELIVERY_MAX_ATTEMPTS', 20, 1, 1000),
      backoffBaseMs: readInt(env, 'DELIVERY_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
      backoffCapMs: readInt(env, 'DELIVERY_BACKOFF_CAP_MS', 1_800_000, 1, 86_400_000),
      perConnectionConcurrency: readInt(env, 'DELIVERY_CONNECTION_CONCURRENCY', 4, 1, 1000),
      leaseMs: readInt(env, 'DELIVERY_LEASE_MS', 60_000, 1000, 3_600_000),
      retentionDays: readInt(env, 'DELIVERY_RETENTION_DAYS', 30, 1, 36500),
    },
    otel: {
      sdkDisabled: readBool(env, 'OTEL_SDK_DISABLED', false),
      serviceName: readString(env, 'OTEL_SERVICE_NAME', 'delta'),
      tracesExporter: exporterChosen(env, 'OTEL_TRACES_EXPORTER'),
      metricsExporter: exporterChosen(env, 'OTEL_METRICS_EXPORTER'),
      logsExporter: exporterChosen(env, 'OTEL_LOGS_EXPORTER'),
    },
  };
  return deepFreeze(config);
}

function exporterChosen(env: Env, name: string): boolean {
  const value = readString(env, name);
  return value !== undefined && value.toLowerCase() !== 'none';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Secret)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export function isEmbedded(config: AppConfig): boolean {
  return config.db.url === undefined;
}
