import type { ConnectorSettings } from '../app-connector';
import { AttributeMappingError, type CompiledAttributeMapping, compileAttributeMapping } from '../attribute-source.util';
import { ConnectorError } from '../connector-error';
import type { IamBindingRule } from './cloud-iam.binder';
import { DEFAULT_GROUP_EMAIL_TEMPLATE, checkGroupEmailTemplate } from './google-group-email.util';
import type { OrgUnitRules } from './google-org-unit.util';
import { GOOGLE_USER_ATTRIBUTE_DEFAULTS, GOOGLE_USER_TARGETS } from './google-user.mapper';

/**
 * Admin SDK scopes the connector asks for (reference §3.1 "Scopes"; names [not re-verified]).
 * `admin.directory.user.security` is what users.signOut and users.tokens need (Google's
 * Directory reference, not in ours). Every one must be delegated (§3.2 prerequisite), or the
 * token request fails with `unauthorized_client`.
 */
export const GOOGLE_DIRECTORY_SCOPES: readonly string[] = Object.freeze([
  'https://www.googleapis.com/auth/admin.directory.user',
  'https://www.googleapis.com/auth/admin.directory.group',
  'https://www.googleapis.com/auth/admin.directory.user.security',
]);
/** CRM IAM needs cloud-platform and no delegation (§3.4 "Auth scope"). */
export const GOOGLE_CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** A connection's config and credentials, checked once when the connector is built. */
export interface GoogleSettings {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly subject: string;
  /** Replaces every Google origin (token endpoint, Directory, CRM): emulators and tests. */
  readonly baseUrl?: string;
  readonly customer: string;
  /** `config.domain`, defaulting to the domain of `credentials.subject`. */
  readonly domain: string;
  readonly groupEmailTemplate: string;
  readonly orgUnits: OrgUnitRules;
  readonly attributeMapping: CompiledAttributeMapping;
  /** Leavers leave every Directory group (the seed's step 5), not only the ones Delta manages. */
  readonly leaverLeavesAllGroups: boolean;
  readonly iamRules: readonly IamBindingRule[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fail(message: string): never {
  throw new ConnectorError('permanent', message);
}

function optionalString(config: Record<string, unknown>, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(`config.${key} must be a string.`);
  return value.trim();
}

function parseServiceAccount(raw: unknown): { clientEmail: string; privateKey: string } {
  let json: unknown = raw;
  if (typeof raw === 'string') {
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ConnectorError('unauthorized', 'credentials.service_account_json is not JSON: paste the whole key file of the service account.');
    }
  }
  const sa = (json ?? {}) as { client_email?: unknown; private_key?: unknown; type?: unknown };
  if (typeof sa.client_email !== 'string' || typeof sa.private_key !== 'string' || !sa.private_key.includes('PRIVATE KEY')) {
    throw new ConnectorError('unauthorized', 'credentials.service_account_json must be a service account key file with client_email and private_key.');
  }
  return { clientEmail: sa.client_email, privateKey: sa.private_key };
}

function parseIamRules(raw: unknown): IamBindingRule[] {
  if (raw === undefined || raw === null) return [];
  const bindings = (raw as { bindings?: unknown }).bindings;
  if (typeof raw !== 'object' || !Array.isArray(bindings)) fail('config.iam must be {"bindings": [{"group", "project", "role"}]}.');
  return bindings.map((b: unknown, i: number) => {
    const { group, project, role } = (b ?? {}) as Record<string, unknown>;
    if (typeof group !== 'string' || !group.trim()) fail(`config.iam.bindings[${i}].group must name a Delta group (displayName or id).`);
    if (typeof project !== 'string' || !project.trim()) fail(`config.iam.bindings[${i}].project must be "projects/<id>" (or folders/…, organizations/…).`);
    if (typeof role !== 'string' || !/^(roles\/|(projects|organizations)\/[^/]+\/roles\/)\S+$/.test(role)) fail(`config.iam.bindings[${i}].role must be a role name such as "roles/viewer".`);
    const resource = /^(projects|folders|organizations)\/[^/]+$/.test(project.trim()) ? project.trim() : `projects/${project.trim()}`;
    return { group: group.trim(), resource, role };
  });
}

function parseOrgUnits(config: Record<string, unknown>): OrgUnitRules {
  const map = config.org_unit_map;
  if (map !== undefined && (map === null || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string'))) {
    fail('config.org_unit_map must be an object of "<attribute value>": "/<org unit path>" pairs.');
  }
  const template = optionalString(config, 'org_unit_template');
  if (template !== undefined && !template.includes('{value}')) fail('config.org_unit_template must contain {value}, e.g. "/Staff/{value}".');
  return { map: map as Record<string, string> | undefined, template, fallback: optionalString(config, 'default_org_unit') };
}

/**
 * A Google connection:
 * `{"type": "google", "credentials": {"service_account_json": "<key file>", "subject": "admin@example.com"},
 *   "config": {"domain", "customer" (default my_customer), "base_url" (emulators), "group_email_template",
 *   "org_unit_map", "org_unit_template", "default_org_unit", "attribute_mapping",
 *   "deprovision": {"remove_from_all_groups": true}, "iam": {"bindings": [{"group", "project", "role"}]}}}`.
 * Bad config is permanent; unusable credentials are unauthorized (the connection goes unhealthy).
 */
export function parseGoogleSettings(settings: ConnectorSettings): GoogleSettings {
  const { config, credentials } = settings;
  const { clientEmail, privateKey } = parseServiceAccount(credentials.service_account_json);
  const subject = credentials.subject;
  if (typeof subject !== 'string' || !EMAIL.test(subject)) {
    throw new ConnectorError('unauthorized', 'credentials.subject must be the email of the Workspace admin to impersonate (domain-wide delegation).');
  }
  const baseUrl = optionalString(config, 'base_url')?.replace(/\/+$/, '');
  if (baseUrl !== undefined && !/^https?:\/\/[^/]+/.test(baseUrl)) fail('config.base_url must be an http(s) URL.');
  // The primary domain for group addresses: config.domain, else the impersonated admin's domain.
  const domain = (optionalString(config, 'domain') ?? subject.split('@')[1]!).toLowerCase();
  const groupEmailTemplate = optionalString(config, 'group_email_template') ?? DEFAULT_GROUP_EMAIL_TEMPLATE;
  const templateProblem = checkGroupEmailTemplate(groupEmailTemplate, domain);
  if (templateProblem) fail(templateProblem);
  const overrides = config.attribute_mapping as Record<string, unknown> | undefined;
  const unknownTarget = overrides && typeof overrides === 'object' ? Object.keys(overrides).find((k) => !GOOGLE_USER_TARGETS.has(k)) : undefined;
  if (unknownTarget) fail(`config.attribute_mapping.${unknownTarget}: not a Google user attribute Delta writes (${[...GOOGLE_USER_TARGETS].join(', ')}).`);
  let attributeMapping: CompiledAttributeMapping;
  try {
    attributeMapping = compileAttributeMapping(GOOGLE_USER_ATTRIBUTE_DEFAULTS, overrides);
  } catch (error) {
    if (error instanceof AttributeMappingError) fail(error.message);
    throw error;
  }
  const deprovision = (config.deprovision ?? {}) as { remove_from_all_groups?: unknown };
  if (deprovision.remove_from_all_groups !== undefined && typeof deprovision.remove_from_all_groups !== 'boolean') fail('config.deprovision.remove_from_all_groups must be true or false.');
  return {
    clientEmail,
    privateKey,
    subject,
    baseUrl,
    customer: optionalString(config, 'customer') ?? 'my_customer',
    domain,
    groupEmailTemplate,
    orgUnits: parseOrgUnits(config),
    attributeMapping,
    leaverLeavesAllGroups: deprovision.remove_from_all_groups ?? true,
    iamRules: parseIamRules(config.iam),
  };
}
