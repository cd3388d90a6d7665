import type { AttributePath } from '../path/attribute-path';
import type { FilterNode, FilterValue } from './filter-ast';

/**
 * The canonical text of a filter AST (RFC 7644 §3.4.2.2): lower-case operators, JSON-quoted
 * strings, and parentheses only where precedence (not > and > or, both left-associative) needs
 * them, so that parseFilter(filterToString(ast)) equals ast. For logs, tests and for sending
 * filters downstream.
 */
export function filterToString(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${pathToString(node.path)} ${node.op} ${valueToString(node.value)}`;
    case 'present':
      return `${pathToString(node.path)} pr`;
    case 'and':
      return `${operand(node.left, node.left.kind === 'or')} and ${operand(node.right, node.right.kind === 'or' || node.right.kind === 'and')}`;
    case 'or':
      return `${filterToString(node.left)} or ${operand(node.right, node.right.kind === 'or')}`;
    case 'not':
      return `not (${filterToString(node.operand)})`;
    case 'valuePath':
      return `${pathToString(node.path)}[${filterToString(node.filter)}]${node.then ? thenToString(node.then) : ''}`;
  }
}

function operand(node: FilterNode, parenthesize: boolean): string {
  return parenthesize ? `(${filterToString(node)})` : filterToString(node);
}

/** The Microsoft-validator tail `.value eq "x"`: its path is one sub-attribute name. */
function thenToString(then: FilterNode): string {
  if ((then.kind !== 'compare' && then.kind !== 'present') || then.path.schema !== undefined || then.path.subAttribute !== undefined) {
    throw new TypeError(`A valuePath's "then" must compare one sub-attribute; got ${JSON.stringify(then)}.`);
  }
  return `.${filterToString(then)}`;
}

function pathToString(path: AttributePath): string {
  return `${path.schema !== undefined ? `${path.schema}:` : ''}${path.attribute}${path.subAttribute !== undefined ? `.${path.subAttribute}` : ''}`;
}

function valueToString(value: FilterValue): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return JSON.stringify(value);
}
