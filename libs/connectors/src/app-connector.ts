import type { ConnectionType } from './connector-types';

/**
 * The user an app connector is asked to converge to: the product's mapped fields (attribute
 * mappings, issue 4) plus the SCIM document for app-specific attribute mappings.
 */
export interface DesiredUser {
  /** Delta's id (the SCIM id): apps that keep an external id get this, so links survive renames. */
  readonly id: string;
  readonly userName: string;
  readonly externalId: string | null;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly displayName: string | null;
  readonly active: boolean;
  /** The stored SCIM User (canonical names, extensions by URN), for connector attribute mappings. */
  readonly scim: Record<string, unknown>;
  /** The mapped profile (public/private metadata, organization_role, ...). */
  readonly profile: Record<string, unknown>;
}

export interface DesiredGroup {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
}

export interface RemoteUser {
  readonly id: string;
  readonly active: boolean;
  readonly email?: string | null;
  readonly userName?: string | null;
  readonly externalId?: string | null;
}

export interface RemoteGroup {
  readonly id: string;
  readonly displayName: string;
  readonly externalId?: string | null;
}

export interface RemotePage<T> {
  readonly items: readonly T[];
  /** Opaque; absent on the last page. */
  readonly next?: string;
}

/** How to look a user up before creating it (idempotent creates, linking accounts that already exist). */
export interface UserLookup {
  readonly externalId?: string | null;
  readonly email?: string | null;
  readonly userName?: string | null;
  /** The user being converged, for connectors whose own attribute mapping names the account (a GitHub login). */
  readonly user?: DesiredUser;
}

/**
 * One downstream app, spoken to through its real API (ARCHITECTURE.md: connectors are plain
 * classes, no database access). Every failure is a ConnectorError classified as retryable,
 * rate_limited (with the wait the app asked for), unauthorized or permanent. Methods are
 * idempotent where the app allows it: deactivating an inactive user, adding an existing
 * member or removing a missing one succeed without error.
 */
export interface AppConnector {
  readonly type: ConnectionType;
  /**
   * The app answers a duplicate create with a conflict (SCIM uniqueness, Slack's email, Google's
   * primaryEmail), which createUser turns into linking: a first create then needs no lookup.
   */
  readonly refusesDuplicates: boolean;
  /** Checks credentials and permissions; throws a ConnectorError that says what is wrong. */
  test(): Promise<void>;

  findUser(lookup: UserLookup): Promise<RemoteUser | undefined>;
  /** Creates the account in the desired state; an existing one the app reports as a conflict is linked and converged. */
  createUser(user: DesiredUser): Promise<RemoteUser>;
  updateUser(remoteId: string, user: DesiredUser): Promise<void>;
  /** Leaver: suspend at once, and sign out / revoke tokens where the app allows. */
  deactivateUser(remoteId: string): Promise<void>;
  reactivateUser(remoteId: string, user: DesiredUser): Promise<void>;
  /** Hard delete where the app has one; apps without it (Slack) deactivate and say so in their docs. */
  deleteUser(remoteId: string): Promise<void>;

  findGroup(group: DesiredGroup): Promise<RemoteGroup | undefined>;
  createGroup(group: DesiredGroup): Promise<RemoteGroup>;
  updateGroup(remoteId: string, group: DesiredGroup): Promise<void>;
  deleteGroup(remoteId: string): Promise<void>;
  addMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void>;
  removeMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void>;

  /** Paged listings, for reconciliation. */
  listUsers(cursor?: string): Promise<RemotePage<RemoteUser>>;
  listGroups(cursor?: string): Promise<RemotePage<RemoteGroup>>;
}

/** What the engine hands a connector factory: decrypted credentials never leave the worker. */
export interface ConnectorSettings {
  readonly organizationId: string;
  readonly connectionId: string;
  readonly config: Record<string, unknown>;
  readonly credentials: Record<string, unknown>;
  /** Injected for tests and instrumentation; defaults to global fetch. */
  readonly fetch?: typeof fetch;
}

export type AppConnectorFactory = (settings: ConnectorSettings) => AppConnector;
