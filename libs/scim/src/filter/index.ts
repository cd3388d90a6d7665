export type { ComparisonOperator, FilterNode, FilterValue } from './filter-ast';
export { parseFilter } from './filter.parser';
export { matchesFilter } from './filter-evaluator';
export { filterToString } from './filter.serializer';
