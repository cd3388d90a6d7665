import type { FilterNode } from '../filter/filter-ast';
import { matchesFilter } from '../filter/filter-evaluator';
import { isJsonObject, JsonObject } from '../resource/json-value.util';
import { findSubAttribute } from '../schema/core-schemas';
import type { AttributeDefinition } from '../schema/schema-definition';

/** The elements of a multi-valued attribute a valuePath filter selects (RFC 7644 §3.5.2). */
export function matchingElements(elements: readonly unknown[], filter: FilterNode, definition: AttributeDefinition | undefined): unknown[] {
  const subAttributes = definition?.subAttributes ?? [];
  return elements.filter((element) => matchesFilter(filter, element, subAttributes));
}

/**
 * The element a valuePath filter describes, when it is only `eq` comparisons joined by `and`
 * (`emails[type eq "work"]` → `{type: "work"}`); undefined for anything else.
 *
 * Entra writes `emails[type eq "work"].value` (and addresses, phoneNumbers likewise) with add
 * or replace whether or not such an element exists yet, and relies on the server creating it
 * (Microsoft known-issues page; scim-patch creates it, scimmy rejects it, landscape.md §5).
 * We create it for both add and replace when the filter says exactly what the new element
 * is; other filters that match nothing remain 400 noTarget as RFC 7644 §3.5.2.3 says.
 */
export function elementFromFilter(filter: FilterNode, definition: AttributeDefinition | undefined): JsonObject | undefined {
  if (filter.kind === 'and') {
    const left = elementFromFilter(filter.left, definition);
    const right = left && elementFromFilter(filter.right, definition);
    if (!left || !right) return undefined;
    const overlap = Object.keys(right).some((key) => key in left && left[key] !== right[key]);
    return overlap ? undefined : { ...left, ...right };
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null || filter.path.subAttribute !== undefined || filter.path.schema !== undefined) {
    return undefined;
  }
  if (!definition) return { [filter.path.attribute]: filter.value };
  const sub = findSubAttribute(definition, filter.path.attribute);
  return sub && sub.mutability !== 'readOnly' ? { [sub.name]: filter.value } : undefined;
}

/**
 * RFC 7644 §3.5.2: setting "primary" true on a value makes the server set it false on the
 * others. `written` are the elements this operation wrote; the first of them claiming
 * primary wins.
 */
export function primaryToWritten(elements: unknown[], written: readonly unknown[]): unknown[] {
  const winner = written.find((element) => isJsonObject(element) && element.primary === true);
  if (winner === undefined) return elements;
  return elements.map((element) => (element !== winner && isJsonObject(element) && element.primary === true ? { ...element, primary: false } : element));
}
