import type { GroupRoleRule, UserGroup } from './mapping-config';

/** Role rules prepared once per compiled mapping. */
export interface CompiledRoleRules {
  readonly rules: readonly { readonly group: string; readonly groupLower: string; readonly role: string }[];
}

export function compileRoleRules(rules: readonly GroupRoleRule[]): CompiledRoleRules {
  return { rules: rules.map(({ group, role }) => ({ group, groupLower: group.toLowerCase(), role })) };
}

/**
 * The role of the first rule, in list order, naming a group the user is in; undefined when none
 * does. A rule names a group by display name, compared case-insensitively because IdPs and
 * admins disagree on capitalisation ("Admins" vs "admins"), or by its SCIM id, compared exactly
 * (ids are opaque, RFC 7643 §3.1).
 */
export function resolveGroupRole(compiled: CompiledRoleRules, groups: readonly UserGroup[]): string | undefined {
  if (compiled.rules.length === 0 || groups.length === 0) return undefined;
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const group of groups) {
    ids.add(group.id);
    names.add(group.display_name.toLowerCase());
  }
  return compiled.rules.find((rule) => ids.has(rule.group) || names.has(rule.groupLower))?.role;
}
