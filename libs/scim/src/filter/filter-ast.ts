import type { AttributePath } from '../path/attribute-path';

/** Comparison operators of RFC 7644 §3.4.2.2 (Table 3), lower-cased. */
export type ComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal compValue: JSON false / null / true / number / string (RFC 7644 §3.4.2.2 ABNF). */
export type FilterValue = string | number | boolean | null;

export type FilterNode =
  | { readonly kind: 'compare'; readonly path: AttributePath; readonly op: ComparisonOperator; readonly value: FilterValue }
  | { readonly kind: 'present'; readonly path: AttributePath }
  | { readonly kind: 'and'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  /**
   * `attr[filter]`, optionally followed by `.subAttr` compared as in the Microsoft validator's
   * `emails[type eq "work"].value eq "x"`: there `then` holds the trailing comparison whose path is
   * relative to the selected element.
   */
  | { readonly kind: 'valuePath'; readonly path: AttributePath; readonly filter: FilterNode; readonly then?: FilterNode };
