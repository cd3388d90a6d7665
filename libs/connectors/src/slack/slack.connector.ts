import type { AppConnector, ConnectorSettings } from '../app-connector';
import { ConnectorError } from '../connector-error';
import { ScimRequestError } from '../scim-client/scim-error.util';
import { ScimClient } from '../scim-client/scim.client';
import { compileScimUserMapping } from '../scim-client/scim-user-document.mapper';
import { SCIM_ATTRIBUTE_FALLBACKS, SCIM_DEFAULT_ATTRIBUTE_MAPPING } from '../scim/scim.connector';
import { ScimAppConnector } from '../scim/scim-app.connector';
import { runScimConnectionTest, type ConnectionTestHints } from '../scim/scim-connection-test.util';
import { configInt, configString, credentialToken } from '../scim/scim-connector-config.util';

/**
 * Slack through its SCIM API v2 (shared/reference/downstream-apis.md §1). Connection:
 * `{"type": "slack", "config": {"base_url": "https://api.slack.com/scim/v2"}, "credentials": {"token": "xoxp-…"}}`.
 * Optional config: `attribute_mapping` (as for the SCIM connector), `members_per_request`
 * (default 100), `page_size` (default 1000, Slack's cap, §1.5), `timeout_ms`.
 */

/** §1.1: the v2 root, version path included; configurable so tests point it at the emulator. */
export const SLACK_DEFAULT_BASE_URL = 'https://api.slack.com/scim/v2';

/**
 * Slack has no hard delete of users: `DELETE /Users/{id}` deactivates and the record stays
 * readable (§1.3). So a connection with `deprovision.mode: "delete"` behaves exactly as
 * `"suspend"`: deleteUser deactivates. A leaver is also removed from every group Delta manages
 * in Slack (the engine calls removeMembers for them).
 */
export const SLACK_DEPROVISION_DELETE = {
  hardDelete: false,
  behavesAs: 'suspend',
  note: 'Slack has no hard delete of users (SCIM DELETE /Users/{id} deactivates); deprovision.mode "delete" deactivates the account as "suspend" does, and removes it from the groups Delta manages.',
} as const;

/** §1.5: count is capped at 1000; the fewer list calls, the less of the org-wide read budget (§1.6) spent. */
export const SLACK_MAX_PAGE_SIZE = 1000;

const HINTS: ConnectionTestHints = {
  label: 'Slack',
  unauthorized: 'Slack rejected the token (401); it must be an OAuth user token (xoxp-…) with the admin scope, of an Owner or Admin who still holds that role (§1.2)',
  forbidden: "Slack refused (403); the token's user must be a workspace/Org Owner or Admin (§1.2)",
  notFound: 'no Slack SCIM API at base_url (404); it must be https://api.slack.com/scim/v2 and SCIM needs a Business+ or Enterprise Grid plan (§1.1)',
};

/**
 * Slack's refinements of the SCIM classification (§1.2, §1.7): a 403 on a write to one user is
 * Slack refusing that account (an Admin's token cannot modify Owners), not a bad token, so it is
 * permanent for that user and the connection stays healthy; a 401 says what token Slack wants.
 */
export function refineSlackError(error: ScimRequestError): ConnectorError {
  if (error.status === 403 && error.method !== 'GET' && /^\/Users\/[^/]+$/.test(error.path)) {
    return new ScimRequestError('permanent', `${error.message} — Slack refused to change this account: a token can only act on accounts with the same or fewer permissions (an Admin's token cannot modify an Owner)`, 403, undefined, error.method, error.path, error.scimType, error.detail);
  }
  if (error.status === 401) {
    return new ScimRequestError('unauthorized', `${error.message} — Slack rejected the token; use an xoxp- user token with the admin scope`, 401, undefined, error.method, error.path, error.scimType, error.detail);
  }
  return error;
}

export function createSlackConnector(settings: ConnectorSettings): AppConnector {
  const token = credentialToken(settings);
  const client = new ScimClient({
    baseUrl: configString(settings, 'base_url', SLACK_DEFAULT_BASE_URL),
    token,
    fetch: settings.fetch,
    timeoutMs: configInt(settings, 'timeout_ms', 100, 30_000, 20_000),
    // §1.8: Slack's SDKs send application/json.
    contentType: 'application/json; charset=utf-8',
    refineError: refineSlackError,
  });
  // §1.4: userName and an email are required on create. userName defaults to the email; Slack may
  // transform an email userName, which is why users are matched by email, never by userName.
  const mapping = compileScimUserMapping(SCIM_DEFAULT_ATTRIBUTE_MAPPING, settings.config.attribute_mapping, SCIM_ATTRIBUTE_FALLBACKS);
  const profile = {
    type: 'slack' as const,
    label: 'Slack',
    client,
    mapping,
    // §1.3: PUT overwrites every omitted attribute; PATCH touches only what Delta maps.
    updateMethod: 'patch' as const,
    // §1.4/§1.5: match on email (filter `email eq`); filtering on externalId is not documented (§5).
    userLookups: ['email'] as const,
    emailFilter: 'email',
    // §1.4: externalId is a User attribute, kept for reconciliation; Slack groups have none documented.
    externalIds: { users: true, groups: false },
    // §1.3: DELETE /Users/{id} is Slack's deactivation, and there is no hard delete.
    deactivateBy: 'delete' as const,
    deleteUser: 'deactivate' as const,
    requireEmail: true,
    membersPerRequest: configInt(settings, 'members_per_request', 1, 1000, 100),
    pageSize: configInt(settings, 'page_size', 1, SLACK_MAX_PAGE_SIZE, SLACK_MAX_PAGE_SIZE),
  };
  const connector = new ScimAppConnector(profile, async () => {
    // §1.2: bot tokens are not accepted by the SCIM API; say so before Slack answers a bare 401.
    if (token.startsWith('xoxb-')) {
      throw new ConnectorError('unauthorized', 'Slack SCIM does not accept bot tokens (xoxb-…); use an OAuth user token (xoxp-…) with the admin scope, created by an Owner or Admin');
    }
    await runScimConnectionTest(client, HINTS);
  });
  return connector;
}
