import type { GroupRoleRule, MappingConfig } from './mapping-config';
import { resolveMappingSources } from './mapping-sources.resolver';

export interface EffectiveMappingEntry {
  readonly path: string;
  /** null: the organization dropped this default. */
  readonly target: string | null;
  readonly source: 'default' | 'custom';
}

export interface EffectiveMapping {
  /** Path mappings in force, in precedence order (the first with a value wins for a target). */
  readonly mapping: readonly EffectiveMappingEntry[];
  /** Expressions; each wins over the path mappings of its target. */
  readonly expressions: readonly { readonly target: string; readonly expression: string }[];
  readonly group_roles: readonly GroupRoleRule[];
  readonly default_role: string;
}

/**
 * What an organization's mapping does, defaults merged with overrides, for the admin API to
 * show: a default the organization overrode appears once, as its custom entry; dropped defaults
 * appear with a null target so the admin sees they were removed.
 */
export function effectiveMapping(config: MappingConfig): EffectiveMapping {
  const { sources } = resolveMappingSources(config);
  return {
    mapping: sources.map(({ path, target, source }) => ({ path: path.text, target, source })),
    expressions: Object.entries(config.expressions)
      .map(([target, expression]) => ({ target, expression }))
      .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)),
    group_roles: config.group_roles.map(({ group, role }) => ({ group, role })),
    default_role: config.default_role,
  };
}
