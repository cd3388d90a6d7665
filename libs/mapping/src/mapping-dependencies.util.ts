import type { CompiledMapping } from './mapping.compiler';

/**
 * Whether a user's mapped fields can depend on the groups the user is in: role rules, or an
 * expression naming `groups`. When not, callers skip loading memberships (a query per SCIM
 * write) and skip re-mapping members when memberships change. The textual test can only err
 * towards "yes" (e.g. `groups` inside a string literal), which costs a query, never correctness.
 */
export function mappingUsesGroups(compiled: CompiledMapping): boolean {
  return compiled.roleRules.rules.length > 0 || compiled.plans.some((plan) => plan.expression !== undefined && /\bgroups\b/.test(plan.expression.source));
}
