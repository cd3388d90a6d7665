import type { AppConnector, DesiredGroup, DesiredUser, RemoteGroup, RemotePage, RemoteUser, UserLookup } from '../app-connector';
import { mappedAttributes } from '../attribute-source.util';
import { ConnectorError } from '../connector-error';
import { isScimConflict, isScimNotFound, type ScimRequestError } from '../scim-client/scim-error.util';
import { SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA, ScimClient, type ScimPatchOperation, type ScimResource, scimEq } from '../scim-client/scim.client';
import type { GitHubSettings } from './github-config.util';
import { rateLimitWaitMs } from './github-error.util';
import { GITHUB_API_VERSION, GITHUB_USER_AGENT } from './github-octokit.factory';

const PAGE = 100;
const at = (kind: 'Users' | 'Groups', id: string) => `${kind}/${encodeURIComponent(id)}`;

/**
 * GitHub answers a rate limit with 403 or 429 and `x-ratelimit-*` headers or a "secondary rate
 * limit" message (§2.5), which a generic SCIM client reads as a refusal. This wrapper turns such
 * an answer into a 429 whose `retry-after` is GitHub's wait, so the shared client classifies it
 * `rate_limited` with that wait.
 */
export function githubRateLimitFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 403 && response.status !== 429) return response;
    const text = await response.clone().text().catch(() => '');
    let message = text;
    try {
      const body = JSON.parse(text) as { message?: string; detail?: string };
      message = body.message ?? body.detail ?? text;
    } catch {
      // not JSON: the text is the message
    }
    const headers = Object.fromEntries(['retry-after', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((h) => [h, response.headers.get(h) ?? undefined]));
    const wait = rateLimitWaitMs(response.status, headers, message);
    if (wait === undefined) return response;
    const rewritten = new Headers(response.headers);
    rewritten.set('retry-after', String(Math.ceil(wait / 1000)));
    return new Response(text, { status: 429, statusText: 'Too Many Requests', headers: rewritten });
  };
}

/** GitHub's words for SCIM refusals (§2.2 "Authentication"). */
function refine(error: ScimRequestError): ConnectorError {
  if (error.kind === 'rate_limited') return new ConnectorError('rate_limited', `GitHub rate limit: ${error.message}`, error.status, error.retryAfterMs);
  if (error.status === 401) return new ConnectorError('unauthorized', `GitHub rejected the token (${error.message}); EMU SCIM needs a classic PAT of the enterprise setup user with scim:enterprise.`, 401);
  if (error.status === 403) {
    return new ConnectorError('permanent', `GitHub refused ${error.message}: missing permission: the token needs the scim:enterprise scope, must belong to the setup user, and the enterprise needs open SCIM enabled (GitHub Apps and fine-grained PATs are not supported).`, 403);
  }
  return error;
}

function remoteUser(resource: ScimResource): RemoteUser {
  const emails = Array.isArray(resource.emails) ? (resource.emails as Array<{ value?: string; primary?: boolean }>) : [];
  return {
    id: String(resource.id),
    active: resource.active !== false,
    email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null,
    userName: typeof resource.userName === 'string' ? resource.userName : null,
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
  };
}

function remoteGroup(resource: ScimResource): RemoteGroup {
  return { id: String(resource.id), displayName: String(resource.displayName ?? ''), externalId: typeof resource.externalId === 'string' ? resource.externalId : null };
}

function page<T>(list: { totalResults: number; Resources: ScimResource[] }, startIndex: number, map: (r: ScimResource) => T): RemotePage<T> {
  const next = startIndex + list.Resources.length;
  return list.Resources.length > 0 && next <= list.totalResults ? { items: list.Resources.map(map), next: String(next) } : { items: list.Resources.map(map) };
}

/**
 * Enterprise Managed Users through GitHub's SCIM API (reference §2.2), over the shared SCIM client.
 * Deactivate is the soft deprovision (`active: false` suspends; reversible), delete the hard one
 * (irreversible: the account is anonymized). The user body carries what §2.2 requires; userName
 * and externalId are the IdP's (they must match the SAML NameID / Entra object id), not Delta's.
 * Membership removal names the members in `value` because filtered paths are ignored (§2.2).
 */
export class GitHubEmuConnector implements AppConnector {
  readonly type = 'github' as const;
  readonly refusesDuplicates = false;
  private readonly client: ScimClient;

  constructor(
    private readonly settings: GitHubSettings & { readonly enterprise: string },
    token: string,
    fetchImpl: typeof fetch = fetch,
    timeoutMs?: number,
  ) {
    this.client = new ScimClient({
      baseUrl: `${settings.baseUrl}/scim/v2/enterprises/${encodeURIComponent(settings.enterprise)}`,
      token,
      fetch: githubRateLimitFetch(fetchImpl),
      timeoutMs,
      userAgent: GITHUB_USER_AGENT,
      headers: { 'x-github-api-version': GITHUB_API_VERSION },
      refineError: refine,
    });
  }

  /** One read of the enterprise's Users proves the token, its scope and the enterprise. */
  async test(): Promise<void> {
    try {
      await this.client.list('Users', { count: 1 });
    } catch (error) {
      if (isScimNotFound(error)) {
        throw new ConnectorError('permanent', `GitHub connection test: the enterprise "${this.settings.enterprise}" was not found at ${this.client.baseUrl} (check config.enterprise, and that it is an EMU enterprise with open SCIM enabled).`, 404);
      }
      throw error;
    }
  }

  /** §2.2 filters: one `eq` on userName, externalId, id or displayName (no email filter). */
  async findUser(lookup: UserLookup): Promise<RemoteUser | undefined> {
    for (const [attribute, value] of [['userName', lookup.userName], ['externalId', lookup.externalId]] as const) {
      if (!value) continue;
      const found = await this.client.findOne('Users', scimEq(attribute, value));
      if (found) return remoteUser(found);
    }
    return undefined;
  }

  async createUser(user: DesiredUser): Promise<RemoteUser> {
    const document = this.userDocument(user);
    try {
      return remoteUser(await this.client.post('Users', document));
    } catch (error) {
      // 409 duplicate (§2.2): an account provisioned before, or an answer that was lost; link it.
      if (!isScimConflict(error)) throw error;
      const existing = await this.findUser({ userName: String(document.userName), externalId: String(document.externalId) });
      if (!existing) throw error;
      return existing;
    }
  }

  async updateUser(remoteId: string, user: DesiredUser): Promise<void> {
    const { schemas: _schemas, active: _active, ...attributes } = this.userDocument(user);
    const operations: ScimPatchOperation[] = Object.entries(attributes).map(([path, value]) => ({ op: 'replace', path, value }));
    await this.client.patch(at('Users', remoteId), operations);
  }

  /** Soft deprovision: `active: false` suspends and obfuscates the account (§2.2 "Lifecycle"). */
  async deactivateUser(remoteId: string): Promise<void> {
    try {
      await this.client.patch(at('Users', remoteId), [{ op: 'replace', path: 'active', value: false }]);
    } catch (error) {
      if (!isScimNotFound(error)) throw error;
    }
  }

  async reactivateUser(remoteId: string): Promise<void> {
    await this.client.patch(at('Users', remoteId), [{ op: 'replace', path: 'active', value: true }]);
  }

  /** Hard deprovision (§2.2): irreversible; a re-hire is provisioned as a new user. */
  async deleteUser(remoteId: string): Promise<void> {
    await this.client.delete(at('Users', remoteId));
  }

  async findGroup(group: DesiredGroup): Promise<RemoteGroup | undefined> {
    const found = (await this.client.findOne('Groups', scimEq('externalId', this.groupExternalId(group)))) ?? (await this.client.findOne('Groups', scimEq('displayName', group.displayName)));
    return found ? remoteGroup(found) : undefined;
  }

  async createGroup(group: DesiredGroup): Promise<RemoteGroup> {
    try {
      return remoteGroup(await this.client.post('Groups', { schemas: [SCIM_GROUP_SCHEMA], externalId: this.groupExternalId(group), displayName: group.displayName, members: [] }));
    } catch (error) {
      const existing = isScimConflict(error) ? await this.findGroup(group) : undefined;
      if (!existing) throw error;
      return existing;
    }
  }

  /** PATCH, not PUT: a PUT would replace the membership too (§2.2 table). */
  async updateGroup(remoteId: string, group: DesiredGroup): Promise<void> {
    await this.client.patch(at('Groups', remoteId), [{ op: 'replace', path: 'displayName', value: group.displayName }]);
  }

  /** Deleting a group removes its users from the linked teams (and from orgs where it was their last team, §2.2). */
  async deleteGroup(remoteId: string): Promise<void> {
    await this.client.delete(at('Groups', remoteId));
  }

  async addMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    if (userRemoteIds.length === 0) return;
    await this.client.patch(at('Groups', groupRemoteId), [{ op: 'add', path: 'members', value: userRemoteIds.map((value) => ({ value })) }]);
  }

  async removeMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    if (userRemoteIds.length === 0) return;
    try {
      await this.client.patch(at('Groups', groupRemoteId), [{ op: 'remove', path: 'members', value: userRemoteIds.map((value) => ({ value })) }]);
    } catch (error) {
      if (!isScimNotFound(error)) throw error;
    }
  }

  async listUsers(cursor?: string): Promise<RemotePage<RemoteUser>> {
    const startIndex = Number(cursor ?? 1) || 1;
    return page(await this.client.list('Users', { startIndex, count: PAGE }), startIndex, remoteUser);
  }

  /** `excludedAttributes=members` keeps pages of large groups small (§2.2). */
  async listGroups(cursor?: string): Promise<RemotePage<RemoteGroup>> {
    const startIndex = Number(cursor ?? 1) || 1;
    const list = await this.client.get<{ totalResults?: number; Resources?: ScimResource[] }>('Groups', { startIndex, count: PAGE, excludedAttributes: 'members' });
    return page({ totalResults: list.totalResults ?? 0, Resources: list.Resources ?? [] }, startIndex, remoteGroup);
  }

  private groupExternalId(group: DesiredGroup): string {
    return group.externalId ?? group.id;
  }

  /** §2.2 "User create body": schemas, externalId, active, userName, displayName, emails; name only with both parts; roles when mapped. */
  private userDocument(user: DesiredUser): Record<string, unknown> {
    const mapped = mappedAttributes(this.settings.mapping, user);
    const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
    const userName = str(mapped.userName) ?? user.userName;
    const email = str(mapped.email) ?? user.email;
    if (!email) throw new ConnectorError('permanent', `GitHub EMU requires an email for every user and ${userName} has none.`);
    const givenName = str(mapped.givenName) ?? user.firstName;
    const familyName = str(mapped.familyName) ?? user.lastName;
    const fullName = [givenName, familyName].filter(Boolean).join(' ');
    const role = str(mapped.role);
    return {
      schemas: [SCIM_USER_SCHEMA],
      externalId: str(mapped.externalId) ?? user.externalId ?? user.id,
      active: true,
      userName,
      displayName: str(mapped.displayName) ?? user.displayName ?? (fullName || userName),
      emails: [{ value: email, type: 'work', primary: true }],
      ...(givenName && familyName ? { name: { givenName, familyName } } : {}),
      ...(role ? { roles: [{ value: role, primary: true }] } : {}),
    };
  }
}
