import type { FilterNode } from './filter-ast';
import { FilterGrammarParser } from './filter-grammar.parser';
import { syntaxError } from './filter.lexer';

/**
 * Parses a `filter` query parameter (RFC 7644 §3.4.2.2) into its AST. Anything malformed,
 * too long or too deeply nested throws ScimError 400 invalidFilter (RFC 7644 §3.12).
 */
export function parseFilter(text: string): FilterNode {
  const parser = new FilterGrammarParser(text, 'invalidFilter');
  if (parser.peek().kind === 'eof') throw syntaxError('invalidFilter', 'the filter is empty.');
  const node = parser.parseExpression();
  parser.expectEnd();
  return node;
}
