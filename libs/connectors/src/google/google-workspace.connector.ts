import type { admin_directory_v1 } from '@googleapis/admin';
import type { JWT } from 'google-auth-library';
import type { AppConnector, ConnectorSettings, DesiredGroup, DesiredUser, RemoteGroup, RemotePage, RemoteUser, UserLookup } from '../app-connector';
import { ConnectorError } from '../connector-error';
import { CloudIamBinder } from './cloud-iam.binder';
import { createCrmCall, createDirectoryClient, createGoogleJwt } from './google-clients.factory';
import { classifyGoogleError, describeGoogleFailure, isGoogleStatus } from './google-error.util';
import { renderGroupEmail } from './google-group-email.util';
import { GOOGLE_CLOUD_PLATFORM_SCOPE, GOOGLE_DIRECTORY_SCOPES, type GoogleSettings, parseGoogleSettings } from './google-settings.util';
import { googleUserFields, randomPassword, toRemoteUser, withDeltaExternalId } from './google-user.mapper';

type GoogleUser = admin_directory_v1.Schema$User;

/**
 * Google Workspace through the Admin SDK Directory API (reference §3.1) with the official
 * clients and a delegated service account (§3.2), plus Cloud IAM group bindings (§3.4) when
 * `config.iam` is set. Remote ids are Google's immutable ids, so renames keep the link.
 */
export class GoogleWorkspaceConnector implements AppConnector {
  readonly type = 'google' as const;
  readonly refusesDuplicates = true;

  constructor(
    private readonly settings: GoogleSettings,
    private readonly auth: JWT,
    private readonly directory: admin_directory_v1.Admin,
    private readonly iam?: CloudIamBinder,
  ) {}

  async test(): Promise<void> {
    await this.call('get a token', () => this.auth.authorize());
    // users.get of the impersonated admin checks the user scope and the admin role, groups.list the group scope.
    await this.call(`read the admin ${this.settings.subject}`, () => this.directory.users.get({ userKey: this.settings.subject }));
    await this.call('list groups', () => this.directory.groups.list({ customer: this.settings.customer, maxResults: 1 }));
    await this.iam?.checkAccess();
  }

  async findUser(lookup: UserLookup): Promise<RemoteUser | undefined> {
    if (lookup.externalId) {
      // Delta writes its id into externalIds (google-user.mapper); users.list `query` finds it (§3.1).
      const value = lookup.externalId.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
      const { data } = await this.call('find user by externalId', () => this.directory.users.list({ customer: this.settings.customer, query: `externalId:'${value}'`, maxResults: 2 }));
      const found = data.users?.[0];
      if (found) return toRemoteUser(found);
    }
    for (const key of new Set([lookup.email, lookup.userName].filter((k): k is string => Boolean(k?.includes('@'))))) {
      const user = await this.getUser(key);
      if (user) return toRemoteUser(user);
    }
    return undefined;
  }

  async createUser(user: DesiredUser): Promise<RemoteUser> {
    const fields = googleUserFields(user, this.settings.attributeMapping, this.settings.orgUnits);
    const body: GoogleUser = { ...fields, password: randomPassword(), externalIds: withDeltaExternalId([], user.id), suspended: !user.active };
    try {
      return toRemoteUser((await this.directory.users.insert({ requestBody: body })).data);
    } catch (error) {
      // 409 duplicate: the account exists; read it back and link it instead of retrying (§3.1 "Backoff").
      if (isGoogleStatus(error, 409)) return this.linkUser(fields, user);
      throw this.classifyUserWrite(error, `create user ${fields.primaryEmail}`, fields);
    }
  }

  async updateUser(remoteId: string, user: DesiredUser): Promise<void> {
    const fields = googleUserFields(user, this.settings.attributeMapping, this.settings.orgUnits);
    await this.patchUser(remoteId, fields, `update user ${fields.primaryEmail}`);
  }

  /** Leaver: suspend (reversible, §3.1 "suspended"), sign out, revoke OAuth grants, leave groups. */
  async deactivateUser(remoteId: string): Promise<void> {
    try {
      await this.directory.users.patch({ userKey: remoteId, requestBody: { suspended: true } });
    } catch (error) {
      if (isGoogleStatus(error, 404)) return;
      throw this.classify(error, `suspend user ${remoteId}`);
    }
    // users.signOut and users.tokens (Directory reference; not in ours): end web and mobile
    // sessions, then delete each third-party OAuth grant so no app keeps a refresh token.
    await this.call(`sign out user ${remoteId}`, () => this.directory.users.signOut({ userKey: remoteId }), [404]);
    const tokens = await this.call(`list OAuth tokens of ${remoteId}`, () => this.directory.tokens.list({ userKey: remoteId }), [404]);
    for (const token of tokens?.data.items ?? []) {
      if (!token.clientId) continue;
      await this.call(`revoke OAuth token ${token.clientId} of ${remoteId}`, () => this.directory.tokens.delete({ userKey: remoteId, clientId: token.clientId! }), [404]);
    }
    if (this.settings.leaverLeavesAllGroups) await this.leaveAllGroups(remoteId);
  }

  async reactivateUser(remoteId: string, user: DesiredUser): Promise<void> {
    const fields = googleUserFields(user, this.settings.attributeMapping, this.settings.orgUnits);
    await this.patchUser(remoteId, { ...fields, suspended: false }, `reactivate user ${fields.primaryEmail}`);
  }

  /** users.delete answers 204 (§3.1); an already deleted user is success. */
  async deleteUser(remoteId: string): Promise<void> {
    await this.call(`delete user ${remoteId}`, () => this.directory.users.delete({ userKey: remoteId }), [404]);
  }

  async findGroup(group: DesiredGroup): Promise<RemoteGroup | undefined> {
    const found = await this.call('find group', () => this.directory.groups.get({ groupKey: this.groupEmail(group) }), [404]);
    return found ? toRemoteGroup(found.data) : undefined;
  }

  async createGroup(group: DesiredGroup): Promise<RemoteGroup> {
    const email = this.groupEmail(group);
    let created: admin_directory_v1.Schema$Group;
    let linked = false;
    try {
      created = (await this.directory.groups.insert({ requestBody: { email, name: group.displayName } })).data;
    } catch (error) {
      if (!isGoogleStatus(error, 409)) throw this.classify(error, `create group ${email}`);
      // 409 duplicate: link the existing group (a user or alias with that address is a real conflict).
      const existing = await this.call(`read group ${email}`, () => this.directory.groups.get({ groupKey: email }), [404]);
      if (!existing) throw new ConnectorError('permanent', `create group ${email}: the address belongs to a user or an alias in Google Workspace; set config.group_email_template.`, 409);
      created = existing.data.name === group.displayName ? existing.data : (await this.call(`rename group ${email}`, () => this.directory.groups.patch({ groupKey: existing.data.id!, requestBody: { name: group.displayName } }))).data;
      linked = true;
    }
    const desired = this.iam?.bindingsFor({ ...group, email }) ?? [];
    if (this.iam && (linked || desired.length > 0)) await this.iam.syncGroupBindings(created.email ?? email, desired);
    return toRemoteGroup(created);
  }

  /** Renames patch `name` only: the address stays, and with it the IAM members (§3.4). */
  async updateGroup(remoteId: string, group: DesiredGroup): Promise<void> {
    const { data } = await this.call(`rename group ${remoteId}`, () => this.directory.groups.patch({ groupKey: remoteId, requestBody: { name: group.displayName } }));
    if (this.iam && data.email) await this.iam.syncGroupBindings(data.email, this.iam.bindingsFor({ ...group, email: data.email }));
  }

  async deleteGroup(remoteId: string): Promise<void> {
    if (this.iam) {
      const found = await this.call(`read group ${remoteId}`, () => this.directory.groups.get({ groupKey: remoteId }), [404]);
      if (!found) return;
      // Bindings go first: a failure leaves the group in place for the retry to find.
      if (found.data.email) await this.iam.removeGroupBindings(found.data.email);
    }
    await this.call(`delete group ${remoteId}`, () => this.directory.groups.delete({ groupKey: remoteId }), [404]);
  }

  /** members.insert; 409 "Member already exists." is success (§3.1, emulator §4.3). */
  async addMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    for (const id of userRemoteIds) {
      await this.call(`add ${id} to group ${groupRemoteId}`, () => this.directory.members.insert({ groupKey: groupRemoteId, requestBody: { id, role: 'MEMBER' } }), [409]);
    }
  }

  /** members.delete; 404 (no such member, or no such group any more) is success. */
  async removeMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    for (const id of userRemoteIds) {
      await this.call(`remove ${id} from group ${groupRemoteId}`, () => this.directory.members.delete({ groupKey: groupRemoteId, memberKey: id }), [404]);
    }
  }

  /** users.list by `customer` (every domain of the account, §3.1), 500 a page [bound unconfirmed, §5]. */
  async listUsers(cursor?: string): Promise<RemotePage<RemoteUser>> {
    const { data } = await this.call('list users', () => this.directory.users.list({ customer: this.settings.customer, maxResults: 500, pageToken: cursor, projection: 'basic' }));
    return { items: (data.users ?? []).map(toRemoteUser), ...(data.nextPageToken ? { next: data.nextPageToken } : {}) };
  }

  /** groups.list, up to 200 a page (§3.1). */
  async listGroups(cursor?: string): Promise<RemotePage<RemoteGroup>> {
    const { data } = await this.call('list groups', () => this.directory.groups.list({ customer: this.settings.customer, maxResults: 200, pageToken: cursor }));
    return { items: (data.groups ?? []).map(toRemoteGroup), ...(data.nextPageToken ? { next: data.nextPageToken } : {}) };
  }

  private groupEmail(group: DesiredGroup): string {
    try {
      return renderGroupEmail(this.settings.groupEmailTemplate, group, this.settings.domain);
    } catch (error) {
      throw new ConnectorError('permanent', (error as Error).message);
    }
  }

  private async getUser(userKey: string): Promise<GoogleUser | undefined> {
    return (await this.call(`read user ${userKey}`, () => this.directory.users.get({ userKey }), [404]))?.data;
  }

  /** An account that already had the address: Delta's externalId is added and its fields converge. */
  private async linkUser(fields: GoogleUser, user: DesiredUser): Promise<RemoteUser> {
    const email = fields.primaryEmail!;
    const existing = await this.getUser(email);
    if (!existing) throw new ConnectorError('permanent', `create user ${email}: the address belongs to a group in Google Workspace.`, 409);
    if (existing.primaryEmail?.toLowerCase() !== email.toLowerCase()) {
      throw new ConnectorError('permanent', `create user ${email}: the address is an alias of ${existing.primaryEmail}; Delta will not take over another account.`, 409);
    }
    const patch: GoogleUser = { ...fields, externalIds: withDeltaExternalId(existing.externalIds, user.id), suspended: !user.active };
    return toRemoteUser(await this.patchUser(existing.id!, patch, `link user ${email}`));
  }

  /** users.patch: partial, unlike users.update which may clear omitted fields (§3.1). */
  private async patchUser(userKey: string, requestBody: GoogleUser, action: string): Promise<GoogleUser> {
    try {
      return (await this.directory.users.patch({ userKey, requestBody })).data;
    } catch (error) {
      throw this.classifyUserWrite(error, action, requestBody);
    }
  }

  /** A 400 naming the org unit means the mapped OU does not exist (emulator: "Invalid Input: INVALID_OU_ID"). */
  private classifyUserWrite(error: unknown, action: string, body: GoogleUser): ConnectorError {
    const failure = describeGoogleFailure(error);
    if (failure.status === 400 && body.orgUnitPath && /ou[_ ]?id|org ?unit/i.test(failure.message)) {
      return new ConnectorError('permanent', `${action}: the organizational unit ${body.orgUnitPath} does not exist in Google Workspace; create it or change config.org_unit_map (${failure.message}).`, 400);
    }
    return this.classify(error, action);
  }

  /** The seed's leaver step 5: leave every group the user is in (groups.list by userKey, §3.1). */
  private async leaveAllGroups(remoteId: string): Promise<void> {
    let pageToken: string | undefined;
    do {
      const page = await this.call(`list groups of ${remoteId}`, () => this.directory.groups.list({ userKey: remoteId, maxResults: 200, pageToken }), [404]);
      for (const group of page?.data.groups ?? []) await this.removeMembers(group.id!, [remoteId]);
      pageToken = page?.data.nextPageToken ?? undefined;
    } while (pageToken);
  }

  private classify(error: unknown, action: string): ConnectorError {
    return classifyGoogleError(error, { action, clientEmail: this.settings.clientEmail, subject: this.settings.subject, scopes: GOOGLE_DIRECTORY_SCOPES });
  }

  /** Runs one call; statuses in `tolerated` (404 on deletes, 409 on adds) resolve to undefined. */
  private async call<T>(action: string, request: () => Promise<T>): Promise<T>;
  private async call<T>(action: string, request: () => Promise<T>, tolerated: readonly number[]): Promise<T | undefined>;
  private async call<T>(action: string, request: () => Promise<T>, tolerated: readonly number[] = []): Promise<T | undefined> {
    try {
      return await request();
    } catch (error) {
      if (tolerated.some((status) => isGoogleStatus(error, status))) return undefined;
      throw this.classify(error, action);
    }
  }
}

function toRemoteGroup(group: admin_directory_v1.Schema$Group): RemoteGroup {
  return { id: group.id!, displayName: group.name ?? group.email ?? '', externalId: null };
}

/** The factory the engine calls per connection (ConnectorSettings: decrypted credentials). */
export function createGoogleConnector(settings: ConnectorSettings): AppConnector {
  const parsed = parseGoogleSettings(settings);
  const client = { clientEmail: parsed.clientEmail, privateKey: parsed.privateKey, baseUrl: parsed.baseUrl, fetch: settings.fetch };
  const auth = createGoogleJwt(client, GOOGLE_DIRECTORY_SCOPES, parsed.subject);
  const iam =
    parsed.iamRules.length > 0
      ? new CloudIamBinder(parsed.iamRules, createCrmCall(createGoogleJwt(client, [GOOGLE_CLOUD_PLATFORM_SCOPE])), { clientEmail: parsed.clientEmail })
      : undefined;
  return new GoogleWorkspaceConnector(parsed, auth, createDirectoryClient(auth, parsed.baseUrl), iam);
}
