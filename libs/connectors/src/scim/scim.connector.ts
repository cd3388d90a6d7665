import type { AppConnector, ConnectorSettings } from '../app-connector';
import type { AttributeSource } from '../attribute-source.util';
import { ConnectorError } from '../connector-error';
import { ScimClient } from '../scim-client/scim.client';
import { compileScimUserMapping, type FallbackReader } from '../scim-client/scim-user-document.mapper';
import { ScimAppConnector } from './scim-app.connector';
import { runScimConnectionTest, type ConnectionTestHints } from './scim-connection-test.util';
import { configEnum, configInt, configString, credentialToken } from './scim-connector-config.util';

/**
 * Any SCIM 2.0 app (Google Cloud workforce SCIM tenant — ref §3.5, Zoom, Atlassian, another
 * Delta). Connection:
 * `{"type": "scim", "config": {"base_url": "https://app.example.com/scim/v2", "update_method": "patch" | "put",
 *   "attribute_mapping": {"title": "scim:title"}}, "credentials": {"token": "…"}}`.
 * Optional config: `members_per_request` (1–1000, default 100), `page_size` (1–1000, default 100),
 * `timeout_ms` (default 20 000, at most 30 000), `content_type` (default `application/scim+json`).
 */

/** App attribute (SCIM path) ← source (attribute-source.util.ts); `null` in a connection's mapping drops one. */
export const SCIM_DEFAULT_ATTRIBUTE_MAPPING: Readonly<Record<string, AttributeSource>> = {
  userName: 'email_address',
  'name.givenName': 'first_name',
  'name.familyName': 'last_name',
  'emails[type eq "work"].value': 'email_address',
  displayName: 'scim:displayName',
};

/** When a mapped source is empty, the DesiredUser field used instead (userName ← email, else the IdP's userName). */
export const SCIM_ATTRIBUTE_FALLBACKS: Readonly<Record<string, FallbackReader>> = {
  userName: (u) => u.email ?? u.userName,
  'name.givenName': (u) => u.firstName,
  'name.familyName': (u) => u.lastName,
  'emails[type eq "work"].value': (u) => u.email,
  displayName: (u) => u.displayName ?? ([u.firstName, u.lastName].filter(Boolean).join(' ') || null),
};

export const SCIM_DEFAULT_MEMBERS_PER_REQUEST = 100;
export const SCIM_DEFAULT_PAGE_SIZE = 100;

const HINTS: ConnectionTestHints = {
  label: 'SCIM',
  unauthorized: 'the app rejected the bearer token (401); check credentials.token and that it has not expired or been revoked',
  forbidden: 'the token is valid but not allowed to manage users (403); give it provisioning / admin rights in the app',
  notFound: 'nothing answered at base_url/Users (404); config.base_url must be the SCIM root, version path included (e.g. https://app.example.com/scim/v2)',
};

export function createScimConnector(settings: ConnectorSettings): AppConnector {
  const updateMethod = configEnum(settings, 'update_method', ['patch', 'put'] as const, 'patch');
  const client = new ScimClient({
    baseUrl: configString(settings, 'base_url'),
    token: credentialToken(settings),
    fetch: settings.fetch,
    timeoutMs: configInt(settings, 'timeout_ms', 100, 30_000, 20_000),
    contentType: configString(settings, 'content_type', 'application/scim+json'),
  });
  const mapping = compileScimUserMapping(SCIM_DEFAULT_ATTRIBUTE_MAPPING, settings.config.attribute_mapping, SCIM_ATTRIBUTE_FALLBACKS);
  const profile = {
    type: 'scim' as const,
    label: 'the SCIM app',
    client,
    mapping,
    updateMethod,
    // externalId first: Delta writes its own id there, so a renamed user is still found (RFC 7643 §3.1).
    userLookups: ['externalId', 'userName', 'email'] as const,
    emailFilter: 'emails.value',
    externalIds: { users: true, groups: true },
    deactivateBy: 'active' as const,
    deleteUser: 'hard' as const,
    requireEmail: false,
    membersPerRequest: configInt(settings, 'members_per_request', 1, 1000, SCIM_DEFAULT_MEMBERS_PER_REQUEST),
    pageSize: configInt(settings, 'page_size', 1, 1000, SCIM_DEFAULT_PAGE_SIZE),
  };
  return new ScimAppConnector(profile, async () => {
    const config = await runScimConnectionTest(client, HINTS);
    // RFC 7643 §5: an app that says it cannot PATCH needs update_method "put".
    const patch = config?.patch as { supported?: unknown } | undefined;
    if (updateMethod === 'patch' && (patch?.supported === false || patch?.supported === 'false')) {
      throw new ConnectorError('permanent', 'SCIM connection test: the app says it does not support PATCH (ServiceProviderConfig patch.supported = false); set config.update_method to "put"');
    }
  });
}
