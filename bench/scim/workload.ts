import type autocannon from 'autocannon';

/**
 * The request shapes of the SCIM benchmark, the same bytes for Delta and the raw server (the raw
 * server ignores the Authorization header). Each generator makes a fresh body or a random
 * target per request through autocannon's setupRequest.
 */
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface Target {
  readonly name: 'Delta' | 'raw';
  readonly url: string;
}

export interface Org {
  readonly id: string;
  readonly token: string;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

export function headers(org: Org): Record<string, string> {
  return { authorization: `Bearer ${org.token}`, 'content-type': 'application/scim+json' };
}

/** An Entra-shaped create body. */
export function userBody(userName: string): string {
  const given = userName.split('@')[0]!;
  return JSON.stringify({
    schemas: [CORE_USER],
    userName,
    externalId: `ext-${userName}`,
    name: { givenName: given, familyName: 'Load', formatted: `${given} Load` },
    displayName: `${given} Load`,
    emails: [{ value: userName, type: 'work', primary: true }],
    title: 'Engineer',
    active: true,
  });
}

export function replaceTitleBody(n: number): string {
  return JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `Title ${n}` }] });
}

export function addMemberBody(memberId: string): string {
  return JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: memberId }] }] });
}

export function removeMemberBody(memberId: string): string {
  return JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${memberId}"]` }] });
}

export function filterPath(org: Org, userName: string): string {
  return `/scim/v2/${org.id}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
}

let created = 0;

export function createUsers(org: Org, prefix: string): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: `/scim/v2/${org.id}/Users`,
      headers: headers(org),
      setupRequest: (req) => ({ ...req, body: userBody(`${prefix}-${created++}@bench.example`) }),
    },
  ];
}

export function getUsers(org: Org, ids: readonly string[]): autocannon.Request[] {
  return [{ method: 'GET', headers: headers(org), setupRequest: (req) => ({ ...req, path: `/scim/v2/${org.id}/Users/${pick(ids)}` }) }];
}

export function filterUsers(org: Org, userNames: (i: number) => string, count: number, extraHeaders: Record<string, string> = {}): autocannon.Request[] {
  return [
    {
      method: 'GET',
      headers: { ...headers(org), ...extraHeaders },
      setupRequest: (req) => ({ ...req, path: filterPath(org, userNames(1 + Math.floor(Math.random() * count))) }),
    },
  ];
}

let titles = 0;

export function patchUsers(org: Org, ids: readonly string[]): autocannon.Request[] {
  return [
    {
      method: 'PATCH',
      headers: headers(org),
      setupRequest: (req) => ({ ...req, path: `/scim/v2/${org.id}/Users/${pick(ids)}`, body: replaceTitleBody(titles++) }),
    },
  ];
}

/**
 * Add a member, then remove it, per connection. A member is taken from `free` for the add and
 * returned when its removal has been answered, so no two connections ever move the same member
 * and every request really changes the group.
 */
export function toggleMembers(org: Org, groupId: string, candidates: readonly string[]): autocannon.Request[] {
  const free = [...candidates];
  const path = `/scim/v2/${org.id}/Groups/${groupId}`;
  return [
    {
      method: 'PATCH',
      path,
      headers: headers(org),
      setupRequest: (req, context) => {
        const member = free.shift() ?? pick(candidates);
        (context as { member?: string }).member = member;
        return { ...req, body: addMemberBody(member) };
      },
    },
    {
      method: 'PATCH',
      path,
      headers: headers(org),
      setupRequest: (req, context) => ({ ...req, body: removeMemberBody((context as { member: string }).member) }),
      onResponse: (_status, _body, context) => {
        free.push((context as { member: string }).member);
      },
    },
  ];
}
