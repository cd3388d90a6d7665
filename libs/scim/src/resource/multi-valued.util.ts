import type { AttributeDefinition } from '../schema/schema-definition';
import { isJsonObject, jsonEqual } from './json-value.util';

function scalarEqual(definition: AttributeDefinition | undefined, a: unknown, b: unknown): boolean {
  // RFC 7643 §2.2 caseExact: strings of a caseExact=false attribute compare case-insensitively.
  if (typeof a === 'string' && typeof b === 'string' && definition && !definition.caseExact && definition.type !== 'binary') {
    return a.toLowerCase() === b.toLowerCase();
  }
  return jsonEqual(a, b);
}

function subDefinition(definition: AttributeDefinition | undefined, name: string): AttributeDefinition | undefined {
  return definition?.subAttributes?.find((s) => s.name === name);
}

/**
 * Whether `candidate` is already present in `element`: every sub-attribute the candidate sets
 * has the same value in the element. This is how RFC 7644 §3.5.2.1 "already contains the value
 * specified" is read for complex values: adding `{value, type}` to an element that also says
 * `primary: true` changes nothing.
 */
export function elementContains(definition: AttributeDefinition | undefined, element: unknown, candidate: unknown): boolean {
  if (isJsonObject(element) && isJsonObject(candidate)) {
    return Object.entries(candidate).every(([key, value]) => key in element && scalarEqual(subDefinition(definition, key), element[key], value));
  }
  return scalarEqual(definition, element, candidate);
}

/** Two values of one multi-valued attribute are the same value (both directions contain). */
export function valuesEqual(definition: AttributeDefinition | undefined, a: unknown, b: unknown): boolean {
  return elementContains(definition, a, b) && elementContains(definition, b, a);
}

/**
 * RFC 7643 §2.4: "primary" true appears no more than once. On a POST/PUT body the first
 * element that claims it keeps it (the client's order is the only signal it gave); later
 * claims become false. PATCH overrides this with §3.5.2: the value being written wins.
 */
export function keepOnePrimary(values: unknown[], winner?: unknown): unknown[] {
  const claimants = values.filter((v) => isJsonObject(v) && v.primary === true);
  if (claimants.length === 0) return values;
  const keep = winner !== undefined && claimants.includes(winner) ? winner : claimants[0];
  return values.map((v) => (isJsonObject(v) && v.primary === true && v !== keep ? { ...v, primary: false } : v));
}
