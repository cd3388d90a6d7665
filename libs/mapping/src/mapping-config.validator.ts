import { compileCelExpression } from './cel-expression.compiler';
import { DEFAULT_ROLE, MAPPING_LIMITS, type ConfigError, type GroupRoleRule, type MappingConfig } from './mapping-config';
import { isDefaultPath } from './mapping-sources.resolver';
import { parseMappingTarget, targetsOverlap, type MappingTarget } from './mapping-target.parser';
import { compileSourcePath } from './scim-source-path.compiler';

export type MappingConfigValidation = { readonly ok: true; readonly config: MappingConfig } | { readonly ok: false; readonly errors: readonly ConfigError[] };

const TOP_LEVEL_KEYS = ['mapping', 'expressions', 'group_roles', 'default_role'];
// Roles are the product's role keys (`admin`, `member`, `org:billing`), not free text.
const ROLE = /^[A-Za-z0-9][A-Za-z0-9_:.-]*$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a whole attribute-mapping body at once and reports every problem, each under the key
 * that has it (`mapping.<path>`, `expressions.<target>`, `group_roles[2].role`…), so an admin
 * fixes a body in one round trip. Omitted sections take their defaults (no overrides, no
 * expressions, no rules, role "member"). Expressions are parsed and type-checked here, at save
 * time, so a configuration that is stored always compiles.
 */
export function validateMappingConfig(input: unknown): MappingConfigValidation {
  const errors: ConfigError[] = [];
  if (!isObject(input)) return { ok: false, errors: [{ key: 'body', message: 'must be a JSON object' }] };
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL_KEYS.includes(key)) errors.push({ key, message: `unknown property; expected ${TOP_LEVEL_KEYS.join(', ')}` });
  }
  const targets: { key: string; target: MappingTarget }[] = [];
  const mapping = validateMapping(input.mapping, errors, targets);
  const expressions = validateExpressions(input.expressions, errors, targets);
  checkOverlaps(targets, errors);
  const groupRoles = validateGroupRoles(input.group_roles, errors);
  const defaultRole = input.default_role === undefined ? DEFAULT_ROLE : input.default_role;
  const roleProblem = roleError(defaultRole);
  if (roleProblem) errors.push({ key: 'default_role', message: roleProblem });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { mapping, expressions, group_roles: groupRoles, default_role: defaultRole as string } };
}

function validateMapping(value: unknown, errors: ConfigError[], targets: { key: string; target: MappingTarget }[]): Record<string, string | null> {
  if (value === undefined) return {};
  if (!isObject(value)) {
    errors.push({ key: 'mapping', message: 'must be an object of "<SCIM path>": "<target>" | null' });
    return {};
  }
  const entries = Object.entries(value);
  if (entries.length > MAPPING_LIMITS.maxMappingEntries) errors.push({ key: 'mapping', message: `at most ${MAPPING_LIMITS.maxMappingEntries} entries` });
  const seen = new Map<string, string>();
  const out: Record<string, string | null> = {};
  for (const [path, target] of entries) {
    const key = `mapping.${path}`;
    const compiled = compileSourcePath(path);
    if (!compiled.ok) errors.push({ key, message: compiled.message });
    else if (seen.has(compiled.path.key)) errors.push({ key, message: `names the same attribute as "${seen.get(compiled.path.key)}"` });
    else seen.set(compiled.path.key, path);
    if (target === null) {
      if (compiled.ok && !isDefaultPath(compiled.path)) errors.push({ key, message: 'null only removes a default mapping, and this path has none' });
    } else if (typeof target !== 'string') {
      errors.push({ key, message: 'target must be a string (or null to remove a default mapping)' });
      continue;
    } else {
      const parsed = parseMappingTarget(target);
      if (!parsed.ok) errors.push({ key, message: parsed.message });
      else targets.push({ key, target: parsed.target });
    }
    out[path] = target;
  }
  return out;
}

function validateExpressions(value: unknown, errors: ConfigError[], targets: { key: string; target: MappingTarget }[]): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) {
    errors.push({ key: 'expressions', message: 'must be an object of "<target>": "<CEL expression>"' });
    return {};
  }
  const entries = Object.entries(value);
  if (entries.length > MAPPING_LIMITS.maxExpressions) errors.push({ key: 'expressions', message: `at most ${MAPPING_LIMITS.maxExpressions} entries` });
  const out: Record<string, string> = {};
  for (const [target, source] of entries) {
    const key = `expressions.${target}`;
    const parsed = parseMappingTarget(target);
    if (!parsed.ok) errors.push({ key, message: parsed.message });
    else targets.push({ key, target: parsed.target });
    if (typeof source !== 'string') {
      errors.push({ key, message: 'expression must be a string' });
      continue;
    }
    if (parsed.ok) {
      const compiled = compileCelExpression(source, parsed.target);
      if (!compiled.ok) errors.push({ key, message: compiled.message });
    }
    out[target] = source;
  }
  return out;
}

/** `public_metadata.org` and `public_metadata.org.unit` cannot both be written: report the deeper one. */
function checkOverlaps(targets: readonly { key: string; target: MappingTarget }[], errors: ConfigError[]): void {
  for (const entry of targets) {
    const shorter = targets.find((other) => targetsOverlap(entry.target, other.target) && other.target.text.length < entry.target.text.length);
    if (shorter) errors.push({ key: entry.key, message: `${entry.target.text} is inside ${shorter.target.text}, which ${shorter.key} also writes` });
  }
}

function validateGroupRoles(value: unknown, errors: ConfigError[]): GroupRoleRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push({ key: 'group_roles', message: 'must be a list of {"group": "<name or id>", "role": "<role>"}' });
    return [];
  }
  if (value.length > MAPPING_LIMITS.maxGroupRoles) errors.push({ key: 'group_roles', message: `at most ${MAPPING_LIMITS.maxGroupRoles} rules` });
  const rules: GroupRoleRule[] = [];
  const firstByGroup = new Map<string, number>();
  value.forEach((rule: unknown, index) => {
    const key = `group_roles[${index}]`;
    if (!isObject(rule)) {
      errors.push({ key, message: 'must be an object {"group": "<name or id>", "role": "<role>"}' });
      return;
    }
    for (const extra of Object.keys(rule).filter((name) => name !== 'group' && name !== 'role')) {
      errors.push({ key: `${key}.${extra}`, message: 'unknown property; expected group, role' });
    }
    const { group, role } = rule;
    if (typeof group !== 'string' || group.trim() === '') errors.push({ key: `${key}.group`, message: 'must be a non-empty string (a group display name or id)' });
    else if (group.length > MAPPING_LIMITS.maxGroupLength) errors.push({ key: `${key}.group`, message: `is longer than ${MAPPING_LIMITS.maxGroupLength} characters` });
    else if (firstByGroup.has(group.toLowerCase())) {
      errors.push({ key: `${key}.group`, message: `never applies: group_roles[${firstByGroup.get(group.toLowerCase())}] matches the same group first` });
    } else firstByGroup.set(group.toLowerCase(), index);
    const problem = roleError(role);
    if (problem) errors.push({ key: `${key}.role`, message: problem });
    if (typeof group === 'string' && typeof role === 'string') rules.push({ group, role });
  });
  return rules;
}

function roleError(role: unknown): string | undefined {
  if (typeof role !== 'string' || role === '') return 'must be a non-empty string';
  if (role.length > MAPPING_LIMITS.maxRoleLength) return `is longer than ${MAPPING_LIMITS.maxRoleLength} characters`;
  return ROLE.test(role) ? undefined : 'may contain only letters, digits, "_", ":", "." and "-", starting with a letter or digit';
}
