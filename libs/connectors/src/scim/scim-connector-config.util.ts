import type { ConnectorSettings } from '../app-connector';
import { ConnectorError } from '../connector-error';

/** Reading a connection's config and credentials; a bad value is a permanent ConnectorError naming the field. */

export function configString(settings: ConnectorSettings, key: string, fallback?: string): string {
  const value = settings.config[key];
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw new ConnectorError('permanent', `config.${key} is required`);
  }
  if (typeof value !== 'string') throw new ConnectorError('permanent', `config.${key} must be a string`);
  return value.trim();
}

export function configEnum<T extends string>(settings: ConnectorSettings, key: string, allowed: readonly T[], fallback: T): T {
  const value = settings.config[key] ?? fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ConnectorError('permanent', `config.${key} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return value as T;
}

export function configInt(settings: ConnectorSettings, key: string, min: number, max: number, fallback: number): number {
  const value = settings.config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConnectorError('permanent', `config.${key} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** `credentials.token`, the bearer token; missing → unauthorized, so the connection shows as unhealthy. */
export function credentialToken(settings: ConnectorSettings): string {
  const token = settings.credentials.token;
  if (typeof token !== 'string' || token.trim() === '') throw new ConnectorError('unauthorized', 'credentials.token is missing');
  return token.trim();
}
