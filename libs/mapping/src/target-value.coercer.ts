import type { MappingTarget } from './mapping-target.parser';

export type Coerced = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'absent' } | { readonly kind: 'invalid'; readonly message: string };

const ABSENT: Coerced = { kind: 'absent' };

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Fits a value read from SCIM or computed by CEL to its target. Absent means "let the next
 * source speak": undefined, null and the empty string (an IdP clearing `title` sends "" or null
 * interchangeably). Scalars become strings for string fields, since IdPs do send numeric
 * employee ids and external ids; objects and lists do not, as there is no good string for them.
 */
export function coerceForTarget(value: unknown, target: MappingTarget): Coerced {
  if (value === undefined || value === null || value === '') return ABSENT;
  if (target.kind === 'metadata') {
    return { kind: 'value', value: typeof value === 'object' ? structuredClone(value) : value };
  }
  if (target.field === 'active') {
    if (typeof value === 'boolean') return { kind: 'value', value };
    // Entra ID has sent booleans as the strings "True"/"False" (Microsoft's SCIM known-issues
    // list); the SCIM layer normalizes PATCH bodies, this covers documents stored before that.
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return { kind: 'value', value: value.toLowerCase() === 'true' };
    return { kind: 'invalid', message: `expected a boolean, got ${kindOf(value)}` };
  }
  if (typeof value === 'string') return { kind: 'value', value };
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return { kind: 'value', value: String(value) };
  return { kind: 'invalid', message: `expected a string, got ${kindOf(value)}` };
}
