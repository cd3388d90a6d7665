import type { AppConnector, DesiredGroup, DesiredUser, RemoteGroup, RemotePage, RemoteUser, UserLookup } from '../app-connector';
import { ConnectorError } from '../connector-error';
import type { ConnectionType } from '../connector-types';
import { isScimConflict, isScimNotFound, ScimConflictError } from '../scim-client/scim-error.util';
import { SCIM_GROUP_SCHEMA, scimEq, type ScimClient, type ScimPatchOperation, type ScimResource } from '../scim-client/scim.client';
import { buildScimUser, scimReplaceOperations, type ScimUserMapping } from '../scim-client/scim-user-document.mapper';
import { chunk, startIndexOf, toRemotePage } from './scim-paging.util';

export type UserLookupKey = 'externalId' | 'userName' | 'email';

/** What differs between SCIM apps; the Slack and generic SCIM connectors each fill one in. */
export interface ScimAppProfile {
  readonly type: ConnectionType;
  /** Used in messages: "Slack", "the SCIM app". */
  readonly label: string;
  readonly client: ScimClient;
  readonly mapping: ScimUserMapping;
  /** How user attributes are written (RFC 7644 §3.5.1 PUT replaces, §3.5.2 PATCH modifies). */
  readonly updateMethod: 'patch' | 'put';
  /** Lookups tried in order by findUser and when a create answers 409. */
  readonly userLookups: readonly UserLookupKey[];
  /** The filter attribute for an email lookup (`emails.value` in RFC 7643; Slack documents `email`). */
  readonly emailFilter: string;
  /** Whether Delta's id goes into the app's externalId, for users and for groups. */
  readonly externalIds: { readonly users: boolean; readonly groups: boolean };
  /** `delete`: deactivation by DELETE (Slack ref §1.3); `active`: PATCH/PUT active false. */
  readonly deactivateBy: 'delete' | 'active';
  /** `hard`: DELETE removes the user; `deactivate`: the app has no hard delete (Slack). */
  readonly deleteUser: 'hard' | 'deactivate';
  readonly requireEmail: boolean;
  readonly membersPerRequest: number;
  readonly pageSize: number;
}

const USERS = 'Users';
const GROUPS = 'Groups';
const at = (kind: string, id: string) => `${kind}/${encodeURIComponent(id)}`;

/**
 * An AppConnector over any SCIM 2.0 service provider (RFC 7643/7644). Creates are idempotent (a
 * 409 looks the account up and links it), deletes and deactivations of something already gone
 * succeed, member adds go out in chunks, removes use `members[value eq "…"]` filters (§3.5.2.2).
 */
export class ScimAppConnector implements AppConnector {
  readonly type: ConnectionType;
  /** RFC 7643 §4.1.1: userName is unique per provider; Slack also refuses a taken email (409). */
  readonly refusesDuplicates = true;

  constructor(
    private readonly profile: ScimAppProfile,
    private readonly runTest: () => Promise<void>,
  ) {
    this.type = profile.type;
  }

  test(): Promise<void> {
    return this.runTest();
  }

  async findUser(lookup: UserLookup): Promise<RemoteUser | undefined> {
    const { client, emailFilter } = this.profile;
    const tried = new Set<string>();
    for (const key of this.profile.userLookups) {
      const value = lookup[key];
      if (!value) continue;
      const filter = scimEq(key === 'email' ? emailFilter : key, value);
      if (tried.has(filter)) continue;
      tried.add(filter);
      try {
        const found = await client.findOne(USERS, filter);
        if (found) return toScimRemoteUser(found);
      } catch (error) {
        // RFC 7644 §3.4.2.2: an app that does not filter on this attribute answers 400 invalidFilter; try the next.
        if (error instanceof ConnectorError && error.status === 400) continue;
        throw error;
      }
    }
    return undefined;
  }

  async createUser(user: DesiredUser): Promise<RemoteUser> {
    const document = this.userDocument(user);
    try {
      return toScimRemoteUser(await this.profile.client.post(USERS, document));
    } catch (error) {
      if (!isScimConflict(error)) throw error;
      // The account already exists (a previous attempt whose answer was lost, or one made by
      // hand): link it instead of duplicating, and converge it.
      const existing = await this.findUser({ externalId: user.id, userName: String(document.userName ?? ''), email: scimPrimaryEmail(document) });
      if (!existing) {
        throw new ScimConflictError(`${error.message}; no account matched by ${this.profile.userLookups.join(', ')}, so it cannot be linked`, error.method, error.path, error.scimType, error.detail);
      }
      await this.updateUser(existing.id, user);
      return { ...existing, active: user.active };
    }
  }

  async updateUser(remoteId: string, user: DesiredUser): Promise<void> {
    const document = this.userDocument(user);
    try {
      if (this.profile.updateMethod === 'put') await this.profile.client.put(at(USERS, remoteId), document);
      else await this.profile.client.patch(at(USERS, remoteId), scimReplaceOperations(document));
    } catch (error) {
      throw this.staleLink(error, 'user', remoteId);
    }
  }

  async deactivateUser(remoteId: string): Promise<void> {
    const { client } = this.profile;
    if (this.profile.deactivateBy === 'delete') {
      await client.delete(at(USERS, remoteId));
      return;
    }
    try {
      if (this.profile.updateMethod === 'put') {
        const current = await client.get(at(USERS, remoteId));
        if (current.active === false) return;
        await client.put(at(USERS, remoteId), { ...writable(current), active: false });
      } else await client.patch(at(USERS, remoteId), [{ op: 'replace', path: 'active', value: false }]);
    } catch (error) {
      // Already gone: nothing left to deactivate.
      if (isScimNotFound(error)) return;
      throw error;
    }
  }

  reactivateUser(remoteId: string, user: DesiredUser): Promise<void> {
    return this.updateUser(remoteId, { ...user, active: true });
  }

  async deleteUser(remoteId: string): Promise<void> {
    if (this.profile.deleteUser === 'deactivate') return this.deactivateUser(remoteId);
    await this.profile.client.delete(at(USERS, remoteId));
  }

  async findGroup(group: DesiredGroup): Promise<RemoteGroup | undefined> {
    const filters = [...(this.profile.externalIds.groups ? [scimEq('externalId', group.id)] : []), scimEq('displayName', group.displayName)];
    for (const filter of filters) {
      try {
        const found = await this.profile.client.findOne(GROUPS, filter);
        if (found) return toScimRemoteGroup(found);
      } catch (error) {
        if (error instanceof ConnectorError && error.status === 400) continue;
        throw error;
      }
    }
    return undefined;
  }

  async createGroup(group: DesiredGroup): Promise<RemoteGroup> {
    try {
      return toScimRemoteGroup(await this.profile.client.post(GROUPS, { schemas: [SCIM_GROUP_SCHEMA], ...this.groupAttributes(group), members: [] }));
    } catch (error) {
      if (!isScimConflict(error)) throw error;
      const existing = await this.findGroup(group);
      if (!existing) throw error;
      return existing;
    }
  }

  async updateGroup(remoteId: string, group: DesiredGroup): Promise<void> {
    const { client } = this.profile;
    const attributes = this.groupAttributes(group);
    try {
      if (this.profile.updateMethod === 'put') {
        // PUT replaces the membership too (RFC 7644 §3.5.1; Slack ref §1.3): keep the current members.
        const current = await client.get(at(GROUPS, remoteId));
        await client.put(at(GROUPS, remoteId), { ...writable(current), ...attributes });
      } else await client.patch(at(GROUPS, remoteId), scimReplaceOperations(attributes));
    } catch (error) {
      throw this.staleLink(error, 'group', remoteId);
    }
  }

  async deleteGroup(remoteId: string): Promise<void> {
    await this.profile.client.delete(at(GROUPS, remoteId));
  }

  async addMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    for (const ids of chunk([...new Set(userRemoteIds)], this.profile.membersPerRequest)) {
      const op: ScimPatchOperation = { op: 'add', path: 'members', value: ids.map((value) => ({ value })) };
      try {
        await this.profile.client.patch(at(GROUPS, groupRemoteId), [op]);
      } catch (error) {
        throw this.staleLink(error, 'group', groupRemoteId);
      }
    }
  }

  async removeMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    for (const ids of chunk([...new Set(userRemoteIds)], this.profile.membersPerRequest)) {
      const ops: ScimPatchOperation[] = ids.map((id) => ({ op: 'remove', path: `members[${scimEq('value', id)}]` }));
      try {
        await this.profile.client.patch(at(GROUPS, groupRemoteId), ops);
      } catch (error) {
        // The group is gone, so nobody is a member of it any more.
        if (isScimNotFound(error)) return;
        throw error;
      }
    }
  }

  async listUsers(cursor?: string): Promise<RemotePage<RemoteUser>> {
    const startIndex = startIndexOf(cursor);
    const list = await this.profile.client.list(USERS, { startIndex, count: this.profile.pageSize });
    return toRemotePage(list, startIndex, toScimRemoteUser);
  }

  async listGroups(cursor?: string): Promise<RemotePage<RemoteGroup>> {
    const startIndex = startIndexOf(cursor);
    const list = await this.profile.client.list(GROUPS, { startIndex, count: this.profile.pageSize });
    return toRemotePage(list, startIndex, toScimRemoteGroup);
  }

  private userDocument(user: DesiredUser): Record<string, unknown> {
    const document = buildScimUser(this.profile.mapping, user, { externalId: this.profile.externalIds.users });
    if (typeof document.userName !== 'string' || document.userName === '') {
      throw new ConnectorError('permanent', `${this.profile.label} needs a userName and user ${user.id} maps to none (check config.attribute_mapping.userName)`);
    }
    if (this.profile.requireEmail && !scimPrimaryEmail(document)) {
      throw new ConnectorError('permanent', `${this.profile.label} requires an email on every user and user ${user.id} has none`);
    }
    return document;
  }

  private groupAttributes(group: DesiredGroup): Record<string, unknown> {
    return { displayName: group.displayName, ...(this.profile.externalIds.groups ? { externalId: group.id } : {}) };
  }

  /** A 404 on an update means the linked resource was removed in the app: say so (the link is stale). */
  private staleLink(error: unknown, kind: 'user' | 'group', remoteId: string): unknown {
    if (!isScimNotFound(error)) return error;
    return new ConnectorError('permanent', `The ${kind} ${remoteId} no longer exists in ${this.profile.label} (HTTP 404); relink it`, 404);
  }
}

export function toScimRemoteUser(resource: ScimResource): RemoteUser {
  return {
    id: String(resource.id),
    active: resource.active !== false && resource.active !== 'false',
    email: scimPrimaryEmail(resource) ?? null,
    userName: typeof resource.userName === 'string' ? resource.userName : null,
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
  };
}

export function toScimRemoteGroup(resource: ScimResource): RemoteGroup {
  return {
    id: String(resource.id),
    displayName: String(resource.displayName ?? ''),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
  };
}

/** The primary email, else the first (RFC 7643 §2.4). */
export function scimPrimaryEmail(resource: Record<string, unknown>): string | undefined {
  const emails = Array.isArray(resource.emails) ? (resource.emails as Array<Record<string, unknown>>) : [];
  const chosen = emails.find((e) => e?.primary === true) ?? emails[0];
  return typeof chosen?.value === 'string' && chosen.value ? chosen.value : undefined;
}

/** A resource as read, minus what the client may not write back (RFC 7643 §3.1 readOnly). */
function writable(resource: ScimResource): Record<string, unknown> {
  const { id: _id, meta: _meta, groups: _groups, ...rest } = resource;
  return rest;
}
