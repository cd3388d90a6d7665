import type { FilterNode } from '../filter/filter-ast';

/**
 * The member ids a filter names when it is only `value eq "…"` joined by `or`
 * (`members[value eq "a" or value eq "b"]`, what Entra with aadOptscim062020 and Okta send):
 * those become a plain id list for the storage layer. Anything else returns undefined.
 */
export function memberIdsOf(filter: FilterNode): string[] | undefined {
  if (filter.kind === 'or') {
    const left = memberIdsOf(filter.left);
    const right = left && memberIdsOf(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.path.attribute.toLowerCase() === 'value' &&
    filter.path.subAttribute === undefined &&
    filter.path.schema === undefined &&
    typeof filter.value === 'string' &&
    filter.value.trim() !== ''
  ) {
    return [filter.value.trim()];
  }
  return undefined;
}
