import { DomainError } from '@delta/core';
import { CONNECTION_TYPES, ConnectionType, DEFAULT_RATE_LIMITS, RateLimit, isWebhookSecret } from '@delta/connectors';
import { Body, readText, requireBody } from '../common/input.util';

const invalid = (message: string): DomainError => new DomainError('invalid_input', message);

export interface Deprovision {
  readonly mode: 'suspend' | 'delete';
  readonly delete_after_days?: number;
}

export interface ConnectionInput {
  readonly type: ConnectionType;
  readonly name: string;
  readonly enabled: boolean;
  readonly config: Record<string, unknown>;
  /** undefined: keep (PATCH) or generate (webhook POST); an object replaces them. */
  readonly credentials?: Record<string, unknown>;
  readonly scope: { readonly groups: string[] } | null;
  readonly deprovision: Deprovision;
  readonly rateLimit: RateLimit;
}

const FIELDS = ['type', 'name', 'enabled', 'config', 'credentials', 'scope', 'deprovision', 'rate_limit'];

function object(body: Body, field: string): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${field} must be an object.`);
  return value as Record<string, unknown>;
}

function httpUrl(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(`${field} must be a URL string.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${field} is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`${field} must be an http(s) URL.`);
  if (url.username || url.password) throw invalid(`${field} must not carry credentials; put them in credentials.`);
  return value.replace(/\/+$/, '');
}

function nonEmptyString(credentials: Record<string, unknown>, key: string, type: string): string {
  const value = credentials[key];
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`credentials.${key} is required for a ${type} connection.`);
  return value;
}

/** Per type: which config keys are known, and what the credentials must hold (issue 5, 6 contract). */
function checkTypeSpecific(type: ConnectionType, config: Record<string, unknown>, credentials: Record<string, unknown> | undefined, creating: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if (config.base_url !== undefined) out.base_url = httpUrl(config.base_url, 'config.base_url');
  switch (type) {
    case 'webhook':
      out.url = httpUrl(config.url, 'config.url');
      if (credentials?.secret !== undefined && !isWebhookSecret(credentials.secret)) throw invalid('credentials.secret must be a Standard Webhooks secret: "whsec_" followed by base64.');
      break;
    case 'slack':
      out.base_url ??= 'https://api.slack.com/scim/v2';
      if (credentials || creating) nonEmptyString(credentials ?? {}, 'token', type);
      break;
    case 'scim':
      if (out.base_url === undefined) throw invalid('config.base_url is required for a scim connection.');
      if (config.update_method !== undefined && config.update_method !== 'patch' && config.update_method !== 'put') throw invalid('config.update_method must be "patch" or "put".');
      if (credentials || creating) nonEmptyString(credentials ?? {}, 'token', type);
      break;
    case 'github': {
      if (config.mode !== undefined && config.mode !== 'organization' && config.mode !== 'enterprise') throw invalid('config.mode must be "organization" or "enterprise".');
      if ((config.mode ?? 'organization') === 'organization' && (typeof config.org !== 'string' || !config.org)) throw invalid('config.org (the GitHub organization login) is required.');
      if (config.mode === 'enterprise' && (typeof config.enterprise !== 'string' || !config.enterprise)) throw invalid('config.enterprise is required in enterprise mode.');
      if (credentials || creating) {
        const c = credentials ?? {};
        if (c.token === undefined) ['app_id', 'private_key', 'installation_id'].forEach((k) => c[k] === undefined && nonEmptyString(c, k, 'GitHub App'));
        else nonEmptyString(c, 'token', type);
      }
      break;
    }
    case 'google':
      if (credentials || creating) {
        // The key file as downloaded (a JSON string) or already parsed (an object).
        const raw = (credentials ?? {}).service_account_json;
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : (raw as Record<string, unknown> | undefined);
        } catch {
          parsed = undefined;
        }
        if (!parsed || typeof parsed !== 'object' || typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string') {
          throw invalid('credentials.service_account_json must be a service account key file (JSON with client_email and private_key).');
        }
        nonEmptyString(credentials ?? {}, 'subject', type);
      }
      break;
  }
  return out;
}

function readScope(body: Body): { groups: string[] } | null | undefined {
  const value = body.scope;
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value) || !Array.isArray((value as Body).groups)) throw invalid('scope must be null or {"groups": ["<group id or displayName>", ...]}.');
  const groups = (value as Body).groups as unknown[];
  if (groups.length === 0 || groups.length > 500 || groups.some((g) => typeof g !== 'string' || g.trim() === '')) {
    throw invalid('scope.groups must list 1 to 500 group ids or displayNames.');
  }
  return { groups: [...new Set((groups as string[]).map((g) => g.trim()))] };
}

function readDeprovision(body: Body): Deprovision | undefined {
  const value = object(body, 'deprovision');
  if (!value) return undefined;
  if (value.mode !== 'suspend' && value.mode !== 'delete') throw invalid('deprovision.mode must be "suspend" or "delete".');
  if (value.mode === 'suspend') return { mode: 'suspend' };
  const days = value.delete_after_days ?? 30;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 3650) throw invalid('deprovision.delete_after_days must be a whole number of days from 0 to 3650.');
  return { mode: 'delete', delete_after_days: days };
}

function readRateLimit(body: Body): RateLimit | undefined {
  const value = object(body, 'rate_limit');
  if (!value) return undefined;
  const rpm = value.requests_per_minute;
  const burst = value.burst ?? 1;
  if (typeof rpm !== 'number' || !Number.isInteger(rpm) || rpm < 1 || rpm > 1_000_000) throw invalid('rate_limit.requests_per_minute must be a whole number from 1 to 1000000.');
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1 || burst > 10_000) throw invalid('rate_limit.burst must be a whole number from 1 to 10000.');
  return { requests_per_minute: rpm, burst };
}

function readEnabled(body: Body): boolean | undefined {
  if (body.enabled === undefined) return undefined;
  if (typeof body.enabled !== 'boolean') throw invalid('enabled must be true or false.');
  return body.enabled;
}

export function parseCreateConnection(raw: unknown): ConnectionInput {
  const body = requireBody(raw, FIELDS);
  const type = body.type;
  if (typeof type !== 'string' || !(CONNECTION_TYPES as readonly string[]).includes(type)) {
    throw invalid(`type must be one of ${CONNECTION_TYPES.join(', ')}.`);
  }
  const credentials = object(body, 'credentials');
  const connectionType = type as ConnectionType;
  return {
    type: connectionType,
    name: readText(body, 'name', { required: true, max: 200 })!,
    enabled: readEnabled(body) ?? true,
    config: checkTypeSpecific(connectionType, object(body, 'config') ?? {}, credentials, true),
    ...(credentials ? { credentials } : {}),
    scope: readScope(body) ?? null,
    deprovision: readDeprovision(body) ?? { mode: 'suspend' },
    rateLimit: readRateLimit(body) ?? DEFAULT_RATE_LIMITS[connectionType],
  };
}

/** PATCH: every field optional; `type` cannot change (a different app is a different connection). */
export function parseUpdateConnection(raw: unknown, current: ConnectionInput): ConnectionInput {
  const body = requireBody(raw, FIELDS);
  if (body.type !== undefined && body.type !== current.type) throw invalid('type cannot change; create a new connection instead.');
  const credentials = object(body, 'credentials');
  const config = object(body, 'config');
  const scope = readScope(body);
  return {
    type: current.type,
    name: body.name !== undefined ? readText(body, 'name', { required: true, max: 200 })! : current.name,
    enabled: readEnabled(body) ?? current.enabled,
    config: config || credentials ? checkTypeSpecific(current.type, config ?? current.config, credentials, false) : current.config,
    ...(credentials ? { credentials } : {}),
    scope: scope === undefined ? current.scope : scope,
    deprovision: readDeprovision(body) ?? current.deprovision,
    rateLimit: readRateLimit(body) ?? current.rateLimit,
  };
}
