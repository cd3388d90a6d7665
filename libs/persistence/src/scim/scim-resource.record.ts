/** A stored SCIM user: the promoted columns plus the resource document as the IdP sent it. */
export interface ScimUserRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly userName: string;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly active: boolean;
  /** Canonical attribute names; never id, meta, groups or password. */
  readonly resource: Record<string, unknown>;
  /** The mapped profile (@delta/mapping MappedUser); `{}` until the user was first mapped. */
  readonly profile: Record<string, unknown>;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** On records returned by a write: the organization's mapping version that statement saw. */
  readonly mappingVersion?: number;
  /** The read-only `groups` (RFC 7643 §4.1.2), when the read asked for them (ScimUserReadOptions). */
  readonly groups?: readonly ScimUserGroup[];
}

/** One entry of a user's `groups`: a group it is in directly, or through nested groups. */
export interface ScimUserGroup {
  readonly value: string;
  readonly display: string;
  readonly type: 'direct' | 'indirect';
}

export interface ScimGroupRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  /** Everything but members, which are rows of group_members. */
  readonly resource: Record<string, unknown>;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface MemberRef {
  readonly value: string;
  readonly type: 'User' | 'Group';
}

/** What a committed change tells the outbox (and the provisioning log). */
export interface ChangeRecord {
  readonly operation: 'created' | 'updated' | 'deleted' | 'members_changed';
  readonly changedAttributes?: readonly string[];
  readonly membersAdded?: readonly string[];
  readonly membersRemoved?: readonly string[];
  /** Mapped profile fields the write changed (diffMappedUsers), for `user.updated` events. */
  readonly profileChanges?: readonly string[];
}
