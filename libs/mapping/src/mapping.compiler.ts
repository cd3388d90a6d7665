import { compileCelExpression, type CompiledExpression } from './cel-expression.compiler';
import { compileRoleRules, type CompiledRoleRules } from './group-role.resolver';
import { USER_FIELDS, type MappingConfig, type MappingError } from './mapping-config';
import { resolveMappingSources } from './mapping-sources.resolver';
import { parseMappingTarget, type MappingTarget } from './mapping-target.parser';
import type { SourcePath } from './scim-source-path.compiler';

/** Everything that feeds one target, in precedence order: the expression, then the paths. */
export interface TargetPlan {
  readonly target: MappingTarget;
  readonly expression?: CompiledExpression;
  readonly paths: readonly SourcePath[];
}

/**
 * A configuration with its paths resolved and expressions parsed and type-checked: build it
 * once per organization (and configuration version) and map any number of users with it.
 */
export interface CompiledMapping {
  readonly plans: readonly TargetPlan[];
  readonly roleRules: CompiledRoleRules;
  readonly defaultRole: string;
  readonly usesExpressions: boolean;
  /**
   * Entries that no longer compile. A validated configuration has none; one saved by an older
   * version might, and then those entries are skipped and reported with every mapped user
   * rather than stopping the whole organization from being mapped.
   */
  readonly problems: readonly MappingError[];
}

export function compileMapping(config: MappingConfig): CompiledMapping {
  const { sources, problems: sourceProblems } = resolveMappingSources(config);
  const problems: MappingError[] = [...sourceProblems];
  const plans = new Map<string, { target: MappingTarget; expression?: CompiledExpression; paths: SourcePath[] }>();
  const planFor = (text: string): { target: MappingTarget; expression?: CompiledExpression; paths: SourcePath[] } | undefined => {
    const existing = plans.get(text);
    if (existing) return existing;
    const parsed = parseMappingTarget(text);
    if (!parsed.ok) {
      problems.push({ target: text, message: parsed.message });
      return undefined;
    }
    const plan = { target: parsed.target, paths: [] };
    plans.set(text, plan);
    return plan;
  };
  for (const { path, target } of sources) {
    if (target !== null) planFor(target)?.paths.push(path);
  }
  for (const [target, source] of Object.entries(config.expressions)) {
    const plan = planFor(target);
    if (!plan) continue;
    const compiled = compileCelExpression(source, plan.target);
    if (compiled.ok) plan.expression = compiled.expression;
    else problems.push({ target, message: `expression: ${compiled.message}` });
  }
  return {
    plans: [...plans.values()].sort(byTarget),
    roleRules: compileRoleRules(config.group_roles),
    defaultRole: config.default_role,
    usesExpressions: [...plans.values()].some((plan) => plan.expression !== undefined),
    problems,
  };
}

/** First-class fields in their declared order, then metadata targets, shallow before deep. */
function byTarget(a: TargetPlan, b: TargetPlan): number {
  const rank = (plan: TargetPlan): number => (plan.target.kind === 'field' ? USER_FIELDS.indexOf(plan.target.field) : USER_FIELDS.length);
  const depth = (plan: TargetPlan): number => (plan.target.kind === 'metadata' ? plan.target.path.length : 0);
  return rank(a) - rank(b) || depth(a) - depth(b) || (a.target.text < b.target.text ? -1 : a.target.text > b.target.text ? 1 : 0);
}
