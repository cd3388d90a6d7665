/**
 * The address Delta gives a group it creates in Google Workspace. Directory groups are keyed by
 * email (reference §3.1 groups.insert body `{email, name?, description?}`), while a SCIM group
 * only has a displayName, so a connection's `config.group_email_template` says how to build it.
 *
 * Placeholders:
 * - `{slug}`: the displayName folded to ASCII, lower-cased, every run of other characters turned
 *   into one `-` ("Engineering Team" → `engineering-team`, "R&D / Zürich" → `r-d-zurich`);
 * - `{id}`: Delta's group id (stable across renames);
 * - `{external_id}`: the IdP's externalId (falls back to `{id}` when the IdP sent none);
 * - `{domain}`: `config.domain` (default: the domain of the impersonated admin, `credentials.subject`).
 *
 * The default is `{slug}@{domain}`. The address is computed once, when the group is created:
 * renames patch the group's name only, so the address (and IAM bindings on `group:<email>`,
 * §3.4) stay put.
 */
export const DEFAULT_GROUP_EMAIL_TEMPLATE = '{slug}@{domain}';

const PLACEHOLDER = /\{([a-z_]+)\}/g;
const KNOWN = new Set(['slug', 'id', 'external_id', 'domain']);
/** Google group addresses: letters, digits, `-`, `_`, `'`, `.` in the local part. */
const GROUP_EMAIL = /^[a-z0-9](?:[a-z0-9._'-]{0,62}[a-z0-9_])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

export interface GroupEmailSource {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
}

/** ASCII slug of a display name, at most 60 characters; empty when nothing ASCII is left. */
export function slugifyGroupName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** A problem with the template itself (checked when the connection is built), or undefined. */
export function checkGroupEmailTemplate(template: string, domain: string | undefined): string | undefined {
  if (!template.includes('@')) return 'config.group_email_template must contain "@" (e.g. "{slug}@example.com").';
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(name!)) return `config.group_email_template: unknown placeholder {${name}} (use {slug}, {id}, {external_id} or {domain}).`;
  }
  if (template.includes('{domain}') && !domain) return 'config.group_email_template uses {domain}, so config.domain must be set.';
  return undefined;
}

/** Renders the template for one group; throws an Error whose message says why the address is unusable. */
export function renderGroupEmail(template: string, group: GroupEmailSource, domain: string | undefined): string {
  const slug = slugifyGroupName(group.displayName) || `group-${slugifyGroupName(group.id).slice(0, 12)}`;
  const values: Record<string, string> = { slug, id: group.id, external_id: group.externalId || group.id, domain: domain ?? '' };
  const email = template.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '').toLowerCase();
  if (!GROUP_EMAIL.test(email)) throw new Error(`group "${group.displayName}" would get the address "${email}", which is not a valid Google group email (config.group_email_template "${template}").`);
  return email;
}
