import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config';
import { ConfigError } from './config-error';

/**
 * The key that encrypts connection credentials at rest. ENCRYPTION_KEY wins; the embedded mode
 * generates one on first start and keeps it (mode 0600) under DATA_DIR; a production process
 * refuses to start without it, because every replica must share the same key.
 */
export function resolveEncryptionKey(config: AppConfig): Buffer {
  if (config.crypto.encryptionKey) return Buffer.from(config.crypto.encryptionKey.reveal(), 'base64');
  if (config.db.url) {
    throw new ConfigError('ENCRYPTION_KEY', 'is required with DATABASE_URL (32 bytes: openssl rand -base64 32)');
  }
  const file = join(config.db.dataDir, 'encryption.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new ConfigError('ENCRYPTION_KEY', `file ${file} does not hold a 32-byte base64 key`);
    return key;
  }
  mkdirSync(config.db.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
