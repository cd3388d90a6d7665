import { matchesFilter } from '@delta/scim/filter/filter-evaluator';
import type { SourcePath } from './scim-source-path.compiler';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A key of a stored document. Documents are canonicalized on write, so the exact name almost
 * always hits; the case-insensitive scan (RFC 7643 §2.1) covers extensions we have no schema
 * for, whose attribute names are stored as the client sent them.
 */
function keyOf(object: JsonObject, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

/**
 * One element of a multi-valued attribute: the one flagged `primary` (RFC 7643 §2.4: "the
 * preferred mailing address or primary email address"), else the first.
 */
function preferredElement(elements: readonly unknown[]): unknown {
  return elements.find((element) => isObject(element) && element.primary === true) ?? elements[0];
}

/**
 * Reads the value a compiled path names from a stored SCIM User document; undefined when absent.
 *
 * Multi-valued attributes: without a filter or sub-attribute the whole array is the value
 * (`phoneNumbers` → every number, for metadata). With a filter, or with a sub-attribute and no
 * filter (`emails.value`), one element is chosen among the matching ones: the primary one,
 * else the first in document order, so a scalar field gets one value rather than a list.
 */
export function readSourcePath(path: SourcePath, user: JsonObject): unknown {
  let base: unknown = user;
  if (path.container !== undefined) base = keyOf(user, path.container);
  if (path.attribute === undefined) return base;
  if (!isObject(base)) return undefined;
  const value = keyOf(base, path.attribute);
  if (value === undefined || value === null) return undefined;
  let selected: unknown = value;
  if (path.filter !== undefined) {
    const filter = path.filter;
    const elements = Array.isArray(value) ? value : [value];
    selected = preferredElement(elements.filter((element) => matchesFilter(filter, element, path.subDefinitions)));
  } else if (Array.isArray(value)) {
    if (path.subAttribute === undefined) return value;
    selected = preferredElement(value);
  }
  if (path.subAttribute === undefined) return selected;
  return isObject(selected) ? keyOf(selected, path.subAttribute) : undefined;
}
