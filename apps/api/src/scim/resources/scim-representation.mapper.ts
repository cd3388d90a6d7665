import type { ScimGroupRecord, ScimUserRecord } from '@delta/persistence';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** RFC 7644 §3.14: a weak ETag per resource version; the same string goes in meta.version. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

export interface UserGroupRef {
  readonly value: string;
  readonly display: string;
  readonly type: 'direct' | 'indirect';
}

export interface GroupMemberRef {
  readonly value: string;
  readonly type: string;
  readonly display: string | null;
}

function schemasOf(resource: Record<string, unknown>, core: string): string[] {
  // The core schema first, then every extension the resource carries (RFC 7643 §3).
  const extensions = Object.keys(resource).filter((key) => key.toLowerCase().startsWith('urn:'));
  return [core, ...extensions.filter((urn) => urn !== core)];
}

/**
 * The full representation of a stored user (RFC 7643 §4.1): the document as stored plus the
 * server-owned attributes (id, meta) and the computed `groups`. Projection happens afterwards.
 */
export function toScimUser(user: ScimUserRecord, baseUrl: string, groups?: readonly UserGroupRef[]): Record<string, unknown> {
  const location = `${baseUrl}/Users/${user.id}`;
  // schemas and id first: the order clients and people read a resource in (RFC 7643 §8.2).
  return {
    schemas: schemasOf(user.resource, CORE_USER),
    id: user.id,
    ...user.resource,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    userName: user.userName,
    active: user.active,
    ...(groups ? { groups: groups.map((g) => ({ value: g.value, $ref: `${baseUrl}/Groups/${g.value}`, display: g.display, type: g.type })) } : {}),
    meta: {
      resourceType: 'User',
      created: user.createdAt.toISOString(),
      lastModified: user.updatedAt.toISOString(),
      location,
      version: etagOf(user.version),
    },
  };
}

export function toScimGroup(group: ScimGroupRecord, baseUrl: string, members?: readonly GroupMemberRef[]): Record<string, unknown> {
  return {
    schemas: schemasOf(group.resource, CORE_GROUP),
    id: group.id,
    ...group.resource,
    ...(group.externalId !== null ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.value,
            $ref: `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.value}`,
            type: m.type,
            ...(m.display !== null ? { display: m.display } : {}),
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: `${baseUrl}/Groups/${group.id}`,
      version: etagOf(group.version),
    },
  };
}
