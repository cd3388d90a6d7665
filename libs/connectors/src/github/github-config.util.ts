import { ConnectorError } from '../connector-error';
import { AttributeMappingError, type CompiledAttributeMapping, compileAttributeMapping } from '../attribute-source.util';

export type GitHubMode = 'organization' | 'enterprise';

/** A GitHub App installation (docs.github.com/apps: JWT signed by the app's key → installation token). */
export interface GitHubAppCredentials {
  readonly appId: string;
  readonly privateKey: string;
  readonly installationId: string;
}

export type GitHubCredentials = { readonly kind: 'token'; readonly token: string } | ({ readonly kind: 'app' } & GitHubAppCredentials);

export interface GitHubSettings {
  readonly mode: GitHubMode;
  /** REST root without a trailing slash: `https://api.github.com`, a GHES `https://host/api/v3`, or an emulator. */
  readonly baseUrl: string;
  readonly org?: string;
  readonly enterprise?: string;
  readonly credentials: GitHubCredentials;
  /** `login`, `email`, `role` (organization mode) or the EMU SCIM attributes (enterprise mode). */
  readonly mapping: CompiledAttributeMapping;
  /** Privacy of the teams Delta creates: `closed` (visible to the org, the default) or `secret`. */
  readonly teamPrivacy: 'closed' | 'secret';
}

export const GITHUB_API = 'https://api.github.com';

/**
 * Organization mode defaults: the email to invite comes from the mapped `email_address`; there is
 * no default `login` (an IdP userName is rarely a GitHub login) nor `role` (everyone is invited as
 * `direct_member`). `config.role_attribute` is a shorthand for `attribute_mapping.role`.
 */
export const ORG_MAPPING_DEFAULTS: Readonly<Record<string, string>> = { email: 'email_address' };

/**
 * Enterprise (EMU SCIM) defaults (reference §2.2 "User create body"): `userName` must match the
 * SAML NameID, so it takes the IdP's userName; `externalId` the IdP's externalId.
 */
export const EMU_MAPPING_DEFAULTS: Readonly<Record<string, string>> = {
  userName: 'scim:userName',
  externalId: 'scim:externalId',
  displayName: 'scim:displayName',
  email: 'email_address',
  givenName: 'first_name',
  familyName: 'last_name',
};

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function invalid(message: string): ConnectorError {
  return new ConnectorError('permanent', `GitHub connection: ${message}`);
}

function readCredentials(credentials: Record<string, unknown>): GitHubCredentials {
  const token = text(credentials.token);
  if (token) return { kind: 'token', token };
  const appId = text(credentials.app_id);
  const privateKey = text(credentials.private_key);
  const installationId = text(credentials.installation_id);
  if (appId && privateKey && installationId) return { kind: 'app', appId, privateKey: privateKey.replace(/\\n/g, '\n'), installationId };
  throw new ConnectorError('unauthorized', 'GitHub connection: credentials need a "token", or a GitHub App\'s "app_id", "private_key" and "installation_id".');
}

/** Reads and validates `config` and `credentials`; a mistake is a permanent error that names the field. */
export function readGitHubSettings(config: Record<string, unknown>, credentials: Record<string, unknown>): GitHubSettings {
  const mode = config.mode ?? 'organization';
  if (mode !== 'organization' && mode !== 'enterprise') throw invalid('config.mode must be "organization" or "enterprise".');
  const baseUrl = (text(config.base_url) ?? GITHUB_API).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) throw invalid('config.base_url must be an http(s) URL.');
  const org = text(config.org);
  const enterprise = text(config.enterprise);
  if (mode === 'organization' && (!org || !SLUG.test(org))) throw invalid('config.org (the organization login) is required in organization mode.');
  if (mode === 'enterprise' && (!enterprise || !SLUG.test(enterprise))) throw invalid('config.enterprise (the enterprise slug) is required in enterprise mode.');
  const creds = readCredentials(credentials);
  // §2.2 "Authentication": GitHub Apps are not supported by the EMU SCIM endpoints.
  if (mode === 'enterprise' && creds.kind === 'app') throw invalid('enterprise mode needs a classic PAT of the setup user with scim:enterprise; GitHub Apps are not supported by the EMU SCIM API.');
  const privacy = config.team_privacy ?? 'closed';
  if (privacy !== 'closed' && privacy !== 'secret') throw invalid('config.team_privacy must be "closed" or "secret".');
  const overrides = config.attribute_mapping as Record<string, unknown> | undefined;
  const roleAttribute = config.role_attribute;
  if (roleAttribute !== undefined && roleAttribute !== null && typeof roleAttribute !== 'string') throw invalid('config.role_attribute must be a source string.');
  let mapping: CompiledAttributeMapping;
  try {
    const defaults = mode === 'organization' ? ORG_MAPPING_DEFAULTS : EMU_MAPPING_DEFAULTS;
    const plain = overrides === undefined || (overrides !== null && typeof overrides === 'object' && !Array.isArray(overrides));
    // An explicit attribute_mapping.role wins over role_attribute.
    mapping = compileAttributeMapping(defaults, plain && typeof roleAttribute === 'string' ? { role: roleAttribute, ...overrides } : overrides);
  } catch (error) {
    if (error instanceof AttributeMappingError) throw invalid(error.message);
    throw error;
  }
  return { mode, baseUrl, org, enterprise, credentials: creds, mapping, teamPrivacy: privacy };
}
