import { randomInt } from 'node:crypto';
import type { admin_directory_v1 } from '@googleapis/admin';
import type { DesiredUser, RemoteUser } from '../app-connector';
import { type AttributeSource, type CompiledAttributeMapping, mappedAttributes } from '../attribute-source.util';
import { ConnectorError } from '../connector-error';
import { type OrgUnitRules, resolveOrgUnitPath } from './google-org-unit.util';

type GoogleUser = admin_directory_v1.Schema$User;

const DEPARTMENT = 'scim:urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department';

/**
 * Default `config.attribute_mapping` of a Google connection (`"<Google attribute>": "<source>"`,
 * see attribute-source.util). `orgUnitPath` is the value looked up through the org unit rules
 * (google-org-unit.util), department by default as the seed maps department → OU.
 */
export const GOOGLE_USER_ATTRIBUTE_DEFAULTS: Readonly<Record<string, AttributeSource>> = Object.freeze({
  primaryEmail: 'email_address',
  'name.givenName': 'first_name',
  'name.familyName': 'last_name',
  orgUnitPath: DEPARTMENT,
  'organizations.department': DEPARTMENT,
  'organizations.title': 'scim:title',
});

/** Every attribute a mapping may target: the defaults plus the rest of the primary organization. */
export const GOOGLE_USER_TARGETS: ReadonlySet<string> = new Set([
  ...Object.keys(GOOGLE_USER_ATTRIBUTE_DEFAULTS),
  'organizations.costCenter',
  'organizations.description',
  'organizations.location',
  'organizations.name',
]);

/** Delta's id goes into `externalIds` as a custom type, so a lookup by `externalId:` finds it after renames. */
export const DELTA_EXTERNAL_ID_TYPE = 'delta';

/** name.givenName / name.familyName: at most 60 characters each (§3.1 "User fields"). */
const NAME_MAX = 60;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/**
 * The fields Delta manages on a Google user, from the mapped attributes: primaryEmail, name,
 * orgUnitPath (when OU rules are set) and the primary organization. Never `password`,
 * `externalIds` or `suspended`: create, link and (re)activation add those themselves.
 */
export function googleUserFields(user: DesiredUser, mapping: CompiledAttributeMapping, orgUnits: OrgUnitRules): GoogleUser {
  const mapped = mappedAttributes(mapping, user);
  const primaryEmail = text(mapped.primaryEmail) ?? text(user.email) ?? (user.userName.includes('@') ? user.userName : undefined);
  if (!primaryEmail) throw new ConnectorError('permanent', `user ${user.id} has no email address to use as the Google primaryEmail (map one with config.attribute_mapping.primaryEmail).`);
  const [firstWord, ...otherWords] = (text(user.displayName) ?? '').split(/\s+/);
  const givenName = text(mapped['name.givenName']) ?? text(user.firstName) ?? text(firstWord) ?? primaryEmail.split('@')[0]!;
  const familyName = text(mapped['name.familyName']) ?? text(user.lastName) ?? text(otherWords.join(' ')) ?? '-';
  const fields: GoogleUser = { primaryEmail, name: { givenName: givenName.slice(0, NAME_MAX), familyName: familyName.slice(0, NAME_MAX) } };
  const ou = resolveOrgUnitPath(mapped.orgUnitPath, orgUnits);
  if (ou.kind === 'unknown') throw new ConnectorError('permanent', `user ${primaryEmail}: ${ou.message}`);
  if (ou.kind === 'path') fields.orgUnitPath = ou.path;
  const organization: Record<string, unknown> = {};
  for (const [target, value] of Object.entries(mapped)) {
    if (target.startsWith('organizations.') && text(value) !== undefined) organization[target.slice('organizations.'.length)] = text(value);
  }
  if (Object.keys(organization).length > 0) fields.organizations = [{ primary: true, type: 'work', ...organization }];
  return fields;
}

/** Delta's entry in `externalIds`, replacing an older one and keeping everyone else's. */
export function withDeltaExternalId(existing: unknown, deltaId: string): admin_directory_v1.Schema$UserExternalId[] {
  const list = Array.isArray(existing) ? (existing as admin_directory_v1.Schema$UserExternalId[]) : [];
  const others = list.filter((e) => !(e.type === 'custom' && e.customType === DELTA_EXTERNAL_ID_TYPE));
  return [...others, { type: 'custom', customType: DELTA_EXTERNAL_ID_TYPE, value: deltaId }];
}

export function toRemoteUser(user: GoogleUser): RemoteUser {
  const ids = Array.isArray(user.externalIds) ? (user.externalIds as admin_directory_v1.Schema$UserExternalId[]) : [];
  const delta = ids.find((e) => e.type === 'custom' && e.customType === DELTA_EXTERNAL_ID_TYPE)?.value;
  return { id: user.id!, active: !user.suspended, email: user.primaryEmail ?? null, userName: user.primaryEmail ?? null, externalId: delta ?? null };
}

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%&*+-=?@^_~'];

/**
 * The password users.insert requires (§3.1): 32 random printable ASCII characters with every
 * class present, within the 8–100 rule [unconfirmed, §5]. Nobody learns it: users sign in
 * through SSO or an admin reset; it is never logged or returned (Google never returns it either).
 */
export function randomPassword(length = 32): string {
  const all = CLASSES.join('');
  const chars = [...CLASSES.map((set) => set[randomInt(set.length)]!), ...Array.from({ length: length - CLASSES.length }, () => all[randomInt(all.length)]!)];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
