import type { AttributePath } from '../path/attribute-path';
import type { AttributeDefinition } from '../schema/schema-definition';
import type { ComparisonOperator, FilterNode, FilterValue } from './filter-ast';

type Primitive = string | number | boolean;

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether one element of a multi-valued attribute (`{type: "work", value: "a@b.c"}`, a group
 * member, or a primitive) matches a valuePath filter, as PATCH does with `emails[type eq "work"]`
 * (RFC 7644 §3.5.2). Paths name sub-attributes of the element, matched case-insensitively
 * (RFC 7643 §2.1); `subAttributes` supplies caseExact and type.
 *
 * Semantics of RFC 7644 §3.4.2.2: strings compare case-insensitively unless caseExact; co/sw/ew
 * apply to strings only; ordering compares strings lexically, numbers numerically and dateTime
 * attributes as instants, and is false for booleans; a missing (or null) attribute matches only
 * `ne` and `eq null`. Never throws, whatever the element looks like.
 */
export function matchesFilter(filter: FilterNode, element: unknown, subAttributes: readonly AttributeDefinition[]): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesFilter(filter.left, element, subAttributes) && matchesFilter(filter.right, element, subAttributes);
    case 'or':
      return matchesFilter(filter.left, element, subAttributes) || matchesFilter(filter.right, element, subAttributes);
    case 'not':
      return !matchesFilter(filter.operand, element, subAttributes);
    case 'present':
      return isPresent(valueAt(element, filter.path));
    case 'compare':
      return compare(filter.op, valueAt(element, filter.path), filter.value, definitionOf(subAttributes, filter.path));
    case 'valuePath': {
      // Not produced inside brackets by the parser; evaluated for completeness on a nested array.
      const inner = valueAt(element, filter.path);
      const definition = definitionOf(subAttributes, filter.path);
      const innerSubs = definition?.subAttributes ?? [];
      return (Array.isArray(inner) ? inner : [inner]).some(
        (item) => item !== undefined && matchesFilter(filter.filter, item, innerSubs) && (!filter.then || matchesFilter(filter.then, item, innerSubs)),
      );
    }
    default:
      return false;
  }
}

/** RFC 7644 §3.4.2.2 "pr": has a value that is not null, an empty string or an empty array. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  return true;
}

function keyOf(object: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(object, name)) return object[name];
  const key = Object.keys(object).find((candidate) => sameName(candidate, name));
  return key === undefined ? undefined : object[key];
}

/**
 * The value at a path relative to the element. For a primitive element, `value` is the element
 * itself (RFC 7644 §3.4.2.2: "value" of a multi-valued simple attribute).
 */
function valueAt(element: unknown, path: AttributePath): unknown {
  if (!isObject(element)) {
    const isSelf = path.schema === undefined && path.subAttribute === undefined && sameName(path.attribute, 'value');
    return isSelf && !Array.isArray(element) ? element : undefined;
  }
  let value: unknown = element;
  if (path.schema !== undefined) value = keyOf(element, path.schema);
  value = isObject(value) ? keyOf(value, path.attribute) : undefined;
  if (path.subAttribute === undefined) return value;
  const sub = path.subAttribute;
  if (Array.isArray(value)) return value.map((item) => (isObject(item) ? keyOf(item, sub) : undefined));
  return isObject(value) ? keyOf(value, sub) : undefined;
}

function definitionOf(definitions: readonly AttributeDefinition[], path: AttributePath): AttributeDefinition | undefined {
  const list: readonly AttributeDefinition[] = Array.isArray(definitions) ? definitions : [];
  const definition = list.find((candidate) => typeof candidate?.name === 'string' && sameName(candidate.name, path.attribute));
  if (path.subAttribute === undefined) return definition;
  return definition?.subAttributes?.find((candidate) => sameName(candidate.name, path.subAttribute ?? ''));
}

function compare(op: ComparisonOperator, actual: unknown, expected: FilterValue, definition: AttributeDefinition | undefined): boolean {
  if (expected === null) {
    // `attr eq null` asks for absence, `attr ne null` for presence; nothing orders against null.
    if (op === 'eq') return !isPresent(actual);
    if (op === 'ne') return isPresent(actual);
    return false;
  }
  if (op === 'ne') return !compare('eq', actual, expected, definition);
  const candidates = (Array.isArray(actual) ? actual : [actual]).filter(
    (value): value is Primitive => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
  );
  return candidates.some((candidate) => compareOne(op, candidate, expected, definition));
}

function compareOne(op: ComparisonOperator, actual: Primitive, expected: Primitive, definition: AttributeDefinition | undefined): boolean {
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    return op === 'eq' && actual === expected;
  }
  if (typeof actual === 'number') {
    // `123` or `"123"` against a number: compared as numbers; co/sw/ew are for strings only.
    const other = typeof expected === 'number' ? expected : numberOf(expected);
    return other !== undefined && order(op, actual, other);
  }
  // An unquoted number against a string attribute (`externalId eq 12345`) means its digits.
  const text = typeof expected === 'number' ? String(expected) : expected;
  if (definition?.type === 'dateTime' && op !== 'co' && op !== 'sw' && op !== 'ew') {
    const [left, right] = [Date.parse(actual), Date.parse(text)];
    if (!Number.isNaN(left) && !Number.isNaN(right)) return order(op, left, right);
  }
  const caseExact = definition?.caseExact === true;
  const [left, right] = caseExact ? [actual, text] : [actual.toLowerCase(), text.toLowerCase()];
  switch (op) {
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    default:
      return order(op, left, right);
  }
}

function numberOf(text: string): number | undefined {
  const value = text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function order<T extends string | number>(op: ComparisonOperator, left: T, right: T): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    default:
      return false;
  }
}
