import type autocannon from 'autocannon';

/**
 * What the mapping benchmark sends: one SCIM user shape carrying everything the custom mapping
 * reads (enterprise extension, phone numbers, a custom extension), and the mappings compared.
 */
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** A custom extension, as Google Workspace custom schemas or Okta custom attributes arrive. */
export const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

export interface MappingBody {
  readonly mapping?: Record<string, string | null>;
  readonly expressions?: Record<string, string>;
  readonly default_role?: string;
}

/**
 * Ten custom entries: eight path mappings (enterprise attributes in both URN forms, a value
 * filter, a custom-extension attribute as the role, a first-class override) and two CEL
 * transforms.
 */
export const CUSTOM_MAPPING: MappingBody = {
  mapping: {
    [`${ENTERPRISE}.department`]: 'public_metadata.department',
    [`${ENTERPRISE}:employeeNumber`]: 'public_metadata.employee_number',
    [`${ENTERPRISE}.costCenter`]: 'private_metadata.cost_center',
    title: 'public_metadata.title',
    'phoneNumbers[type eq "mobile"].value': 'public_metadata.mobile',
    [`${ACME}.role`]: 'organization_role',
    'emails[type eq "work"].value': 'email_address',
    externalId: 'private_metadata.source_id',
  },
  expressions: {
    'public_metadata.login': 'user.userName.lowerAscii()',
    'public_metadata.display': "user.name.givenName + ' ' + user.name.familyName",
  },
};

/** The smallest change that touches every user: one more metadata key from a core attribute. */
export const ONE_ENTRY_MAPPING: MappingBody = { mapping: { title: 'public_metadata.title' } };

export function userDocument(userName: string, i: number): Record<string, unknown> {
  const given = userName.split('@')[0]!;
  return {
    schemas: [CORE_USER, ENTERPRISE, ACME],
    userName,
    externalId: `ext-${userName}`,
    name: { givenName: given, familyName: 'Load', formatted: `${given} Load` },
    displayName: `${given} Load`,
    emails: [{ value: userName, type: 'work', primary: true }],
    phoneNumbers: [
      { value: `+1 555 01${String(i % 100).padStart(2, '0')}`, type: 'work' },
      { value: `+1 555 02${String(i % 100).padStart(2, '0')}`, type: 'mobile' },
    ],
    title: 'Engineer',
    active: true,
    [ENTERPRISE]: { department: 'Engineering', employeeNumber: String(10_000 + i), costCenter: 'CC-42' },
    [ACME]: { role: i % 10 === 0 ? 'admin' : 'member' },
  };
}

export function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
}

let created = 0;

/** POST /Users with a fresh userName per request. */
export function createUsers(orgId: string, token: string, prefix: string): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: `/scim/v2/${orgId}/Users`,
      headers: headers(token),
      setupRequest: (req) => {
        const n = created++;
        return { ...req, body: JSON.stringify(userDocument(`${prefix}-${n}@load.example`, n)) };
      },
    },
  ];
}
