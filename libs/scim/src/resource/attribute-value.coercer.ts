import { ScimError } from '../errors/scim-error';
import type { AttributeDefinition } from '../schema/schema-definition';
import { isJsonObject } from './json-value.util';
import { keepOnePrimary, valuesEqual } from './multi-valued.util';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function invalid(label: string, expected: string, value: unknown): ScimError {
  return ScimError.badRequest('invalidValue', `${label}: expected ${expected}, got ${describe(value)}.`);
}

// RFC 7643 §2.3.5: xsd:dateTime, e.g. 2008-01-23T04:56:22Z, fractional seconds and offset optional.
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// RFC 7643 §2.3.6: base64 (RFC 4648 §4); line breaks tolerated, as PEM bodies carry them.
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** One scalar value typed per RFC 7643 §2.3, with the coercions IdPs need. */
function coerceScalar(definition: AttributeDefinition, value: unknown, label: string): unknown {
  switch (definition.type) {
    case 'string':
      if (typeof value === 'string') return value;
      // An employeeNumber sent as 12345 has exactly one string form.
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      throw invalid(label, 'a string', value);
    case 'reference':
      if (typeof value === 'string') return value;
      throw invalid(label, 'a reference (URI string)', value);
    case 'binary':
      if (typeof value === 'string' && BASE64.test(value)) return value;
      throw invalid(label, 'base64-encoded binary', value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Entra without ?aadOptscim062020 sends "True"/"False" (landscape.md §1.10; Microsoft
      // "Known issues and resolutions with SCIM 2.0 protocol compliance").
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw invalid(label, 'a boolean', value);
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'string' && INTEGER.test(value.trim()) && Number.isSafeInteger(Number(value))) return Number(value);
      throw invalid(label, 'an integer', value);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value);
      throw invalid(label, 'a decimal number', value);
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
      throw invalid(label, 'an xsd:dateTime string', value);
    case 'complex':
      throw invalid(label, 'a complex value (JSON object)', value);
  }
}

function coerceComplex(definition: AttributeDefinition, value: unknown, label: string): unknown {
  if (isJsonObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(value)) {
      const sub = definition.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
      // Unknown sub-attributes are dropped; readOnly ones are ignored on input (RFC 7644 §3.5.1).
      if (!sub || sub.mutability === 'readOnly') continue;
      const coerced = coerceAttributeValue(sub, raw, `${label}.${sub.name}`);
      if (coerced !== undefined) result[sub.name] = coerced;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
  const valueSub = definition.subAttributes?.find((s) => s.name === 'value');
  if (valueSub && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
    // Entra sends the enterprise `manager` as a bare id string (landscape.md §1.10); any bare
    // scalar where a complex value with a "value" sub-attribute is expected means {value}.
    // An empty string is how Entra clears the manager: unassigned.
    if (value === '') return undefined;
    return { value: coerceScalar(valueSub, value, `${label}.value`) };
  }
  throw invalid(label, 'a complex value (JSON object)', value);
}

/**
 * One value of `definition`, ignoring multiValued: a scalar, or a complex value (for a
 * multi-valued attribute, one element). Returns undefined for "unassigned": null
 * (RFC 7644 §3.5.1) or a complex value with nothing left in it.
 */
export function coerceSingleValue(definition: AttributeDefinition, value: unknown, label: string): unknown {
  if (value === null || value === undefined) return undefined;
  return definition.type === 'complex' ? coerceComplex(definition, value, label) : coerceScalar(definition, value, label);
}

/**
 * A whole attribute value typed and canonicalized per its definition (RFC 7643 §2.3):
 * canonical sub-attribute names, IdP coercions, duplicates removed and at most one primary
 * (§2.4). Returns undefined when the result is unassigned: null, an empty array (§2.5 makes
 * it equivalent to unassigned) or an empty complex value. Wrong types throw 400 invalidValue
 * naming the attribute.
 */
export function coerceAttributeValue(definition: AttributeDefinition, value: unknown, label: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!definition.multiValued) {
    if (Array.isArray(value)) {
      // Older Entra payloads wrap a single complex value (manager) in a one-element array.
      if (definition.type === 'complex' && value.length <= 1) return value.length ? coerceSingleValue(definition, value[0], label) : undefined;
      throw invalid(label, `a single ${definition.type} value`, value);
    }
    return coerceSingleValue(definition, value, label);
  }
  // A lone value where an array belongs is taken as a one-element array.
  const items = Array.isArray(value) ? value : [value];
  const result: unknown[] = [];
  items.forEach((item, index) => {
    if (Array.isArray(item)) throw invalid(`${label}[${index}]`, `one ${definition.type} value`, item);
    const coerced = coerceSingleValue(definition, item, `${label}[${index}]`);
    if (coerced !== undefined && !result.some((existing) => valuesEqual(definition, existing, coerced))) result.push(coerced);
  });
  return result.length > 0 ? keepOnePrimary(result) : undefined;
}
