import { evaluateCelExpression, type CelEvaluationContext } from './cel-expression.evaluator';
import { toCelInput } from './cel-value.converter';
import { resolveGroupRole } from './group-role.resolver';
import type { MappedUser, MappingError, MapUserResult, UserGroup } from './mapping-config';
import type { CompiledMapping, TargetPlan } from './mapping.compiler';
import { setAtPath } from './metadata-path.util';
import { readSourcePath } from './scim-value.reader';
import { coerceForTarget } from './target-value.coercer';

/**
 * Maps one stored SCIM User document (and the user's groups) to the provisioned user's fields.
 * Never throws for data reasons: a source that fails (an expression error, a value of the wrong
 * type) is reported in `errors` under its target, and the next source for that target applies.
 *
 * Per target: the expression, when it yields a value, wins over path mappings; then the paths
 * in the precedence order of `resolveMappingSources`. A target nothing yields a value for is
 * null (`active`: true, as a user the IdP provisions without saying otherwise is active).
 *
 * `organization_role`: a non-empty value mapped by an expression or path (e.g. a Google custom
 * attribute) wins, because it is the most specific statement about this user; else the first
 * matching group rule; else `default_role`.
 */
export function mapUser(compiled: CompiledMapping, user: Record<string, unknown>, groups: readonly UserGroup[]): MapUserResult {
  const fields: MappedUser = {
    email_address: null,
    first_name: null,
    last_name: null,
    external_id: null,
    active: true,
    organization_role: null,
    public_metadata: {},
    private_metadata: {},
  };
  const errors: MappingError[] = [...compiled.problems];
  let celContext: CelEvaluationContext | undefined;
  const context = (): CelEvaluationContext => (celContext ??= { user: toCelInput(user), groups: toCelInput(groups) });
  for (const plan of compiled.plans) {
    const value = valueOf(plan, user, context, errors);
    if (value === undefined) continue;
    const { target } = plan;
    if (target.kind === 'metadata') setAtPath(fields[target.field], target.path, value);
    else (fields as unknown as Record<string, unknown>)[target.field] = value;
  }
  fields.organization_role ??= resolveGroupRole(compiled.roleRules, groups) ?? compiled.defaultRole;
  return { fields, errors };
}

function valueOf(plan: TargetPlan, user: Record<string, unknown>, context: () => CelEvaluationContext, errors: MappingError[]): unknown {
  const target = plan.target.text;
  if (plan.expression) {
    const outcome = evaluateCelExpression(plan.expression, context());
    if (!outcome.ok) {
      errors.push({ target, message: `expression: ${outcome.message}` });
    } else {
      const coerced = coerceForTarget(outcome.value, plan.target);
      if (coerced.kind === 'value') return coerced.value;
      if (coerced.kind === 'invalid') errors.push({ target, message: `expression: ${coerced.message}` });
    }
  }
  for (const path of plan.paths) {
    const coerced = coerceForTarget(readSourcePath(path, user), plan.target);
    if (coerced.kind === 'value') return coerced.value;
    if (coerced.kind === 'invalid') errors.push({ target, message: `${path.text}: ${coerced.message}` });
  }
  return undefined;
}
