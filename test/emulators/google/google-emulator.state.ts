import { type KeyObject, createPublicKey, randomBytes, randomInt } from 'node:crypto';
import type { GooglePrincipal } from './google-http.types';

/** The Admin SDK scopes of reference §3.1 (names [not re-verified] there) plus CRM's cloud-platform (§3.4). */
export const SCOPES = {
  user: 'https://www.googleapis.com/auth/admin.directory.user',
  userReadonly: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  userSecurity: 'https://www.googleapis.com/auth/admin.directory.user.security',
  group: 'https://www.googleapis.com/auth/admin.directory.group',
  groupReadonly: 'https://www.googleapis.com/auth/admin.directory.group.readonly',
  groupMember: 'https://www.googleapis.com/auth/admin.directory.group.member',
  cloudPlatform: 'https://www.googleapis.com/auth/cloud-platform',
} as const;

export interface ServiceAccount {
  clientEmail: string;
  publicKey: KeyObject;
  /** Scopes a super admin authorized for domain-wide delegation (§3.2 prerequisite). */
  delegatedScopes: string[];
}

export interface IamPolicy {
  version: number;
  etag: string;
  bindings: Array<{ role: string; members: string[]; condition?: unknown }>;
  auditConfigs?: unknown[];
}

export interface AppToken {
  clientId: string;
  displayText: string;
  scopes: string[];
  anonymous: boolean;
  nativeApp: boolean;
}

export class GoogleState {
  readonly users = new Map<string, Record<string, any>>();
  readonly deletedUsers = new Map<string, Record<string, any>>();
  readonly groups = new Map<string, Record<string, any>>();
  /** groupId → memberId → member. */
  readonly members = new Map<string, Map<string, Record<string, any>>>();
  /** OAuth access tokens issued by `/token`. */
  readonly accessTokens = new Map<string, GooglePrincipal>();
  readonly serviceAccounts = new Map<string, ServiceAccount>();
  /** Third-party OAuth grants of a user (`users/{userKey}/tokens`), by user id. */
  readonly appTokens = new Map<string, AppToken[]>();
  /** How many times `users/{userKey}/signOut` ran, by user id. */
  readonly signOuts = new Map<string, number>();
  /** IAM policies by resource (`projects/p`, `folders/f`, `organizations/o`). */
  readonly policies = new Map<string, IamPolicy>();

  constructor(
    readonly customerId = 'C0emul8r',
    readonly domains: string[] = ['example.com'],
  ) {}

  reset(): void {
    for (const map of [this.users, this.deletedUsers, this.groups, this.members, this.accessTokens, this.serviceAccounts, this.appTokens, this.signOuts, this.policies]) map.clear();
  }

  addServiceAccount(clientEmail: string, publicKey: KeyObject | string, delegatedScopes: string[] = Object.values(SCOPES)): void {
    this.serviceAccounts.set(clientEmail, { clientEmail, publicKey: typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey, delegatedScopes });
  }

  /** Seeds a user directly (no API call); `isAdmin` users may be impersonated (`sub`, §3.2). */
  addUser(primaryEmail: string, fields: Record<string, any> = {}): Record<string, any> {
    const [givenName, familyName] = [fields.name?.givenName ?? primaryEmail.split('@')[0], fields.name?.familyName ?? 'Emulated'];
    const user = newUser(this.customerId, { primaryEmail, ...fields, name: { givenName, familyName } });
    this.users.set(user.id, user);
    return user;
  }

  findUser(key: string): Record<string, any> | undefined {
    const lower = key.toLowerCase();
    return this.users.get(key) ?? [...this.users.values()].find((u) => u.primaryEmail.toLowerCase() === lower || (u.aliases ?? []).some((a: string) => a.toLowerCase() === lower));
  }

  findGroup(key: string): Record<string, any> | undefined {
    const lower = key.toLowerCase();
    return this.groups.get(key) ?? [...this.groups.values()].find((g) => g.email.toLowerCase() === lower || (g.aliases ?? []).some((a: string) => a.toLowerCase() === lower));
  }

  addGroup(email: string, fields: Record<string, any> = {}): Record<string, any> {
    const group = { kind: 'admin#directory#group', id: groupId(), etag: etag(), email, name: fields.name ?? email.split('@')[0], description: fields.description ?? '', directMembersCount: '0', adminCreated: true };
    this.groups.set(group.id, group);
    this.members.set(group.id, new Map());
    return group;
  }

  /** Seeds or replaces a project's IAM policy; returns it with a fresh etag. */
  setPolicy(resource: string, bindings: IamPolicy['bindings'], version = 1): IamPolicy {
    const policy = { version, etag: iamEtag(), bindings: structuredClone(bindings) };
    this.policies.set(resource, policy);
    return policy;
  }

  /**
   * Control action for the read-modify-write race of §3.4: another writer adds `member` to `role`
   * (and the etag changes), as if it happened between the connector's get and set.
   */
  concurrentIamChange(resource: string, role = 'roles/viewer', member = 'user:other-writer@example.com'): IamPolicy {
    const policy = this.policies.get(resource);
    if (!policy) throw new Error(`no IAM policy for ${resource}`);
    const binding = policy.bindings.find((b) => b.role === role && !b.condition);
    if (binding) binding.members = [...new Set([...binding.members, member])];
    else policy.bindings.push({ role, members: [member] });
    policy.etag = iamEtag();
    return policy;
  }
}

export function newUser(customerId: string, body: Record<string, any>): Record<string, any> {
  const { password: _password, hashFunction: _hash, ...fields } = body;
  const name = { ...fields.name, fullName: `${fields.name?.givenName ?? ''} ${fields.name?.familyName ?? ''}`.trim() };
  return {
    kind: 'admin#directory#user',
    id: String(randomInt(100000000, 999999999)) + String(randomInt(100000000000, 999999999999)),
    etag: etag(),
    isAdmin: false,
    isDelegatedAdmin: false,
    agreedToTerms: false,
    suspended: false,
    archived: false,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [{ address: fields.primaryEmail, primary: true }],
    customerId,
    orgUnitPath: '/',
    isMailboxSetup: true,
    includeInGlobalAddressList: true,
    creationTime: new Date().toISOString(),
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    ...fields,
    name,
  };
}

export function etag(): string {
  return `"${randomBytes(12).toString('base64url')}"`;
}

/** IAM etags are base64 bytes, e.g. `BwXhqDcvQ4I=` (§3.4 policy shape). */
export function iamEtag(): string {
  return randomBytes(8).toString('base64');
}

function groupId(): string {
  return `0${randomBytes(7).toString('hex')}`;
}
