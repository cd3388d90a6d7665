import { FilterGrammarParser } from '../filter/filter-grammar.parser';
import { describeToken, syntaxError } from '../filter/filter.lexer';
import type { AttributePath, PatchPath } from './attribute-path';
import { attributePathOf } from './attribute-path-syntax.util';

/**
 * Parses `[URN ":"] attr ["." subAttr]` (RFC 7644 §3.10), e.g. an `attributes` entry or a sortBy.
 * Only the colon form: schema resolution (and the dotted `urn:…:User.department` some clients
 * write) is the resolver's business. Throws ScimError 400 invalidPath.
 */
export function parseAttributePath(text: string): AttributePath {
  const word = text.trim();
  if (word === '') throw syntaxError('invalidPath', 'the attribute path is empty.');
  if (/[\s()[\]"]/.test(word)) throw syntaxError('invalidPath', `${JSON.stringify(text)} is not an attribute path.`);
  return attributePathOf(word, text.indexOf(word), 'invalidPath');
}

/**
 * Parses a PATCH operation's path (RFC 7644 §3.5.2): PATH = attrPath / valuePath [subAttr],
 * e.g. `name.givenName`, `members[value eq "2819c223"]`, `emails[type eq "work"].value`.
 * The bracketed filter uses the filter grammar with paths relative to the element.
 *
 * Every error, including one inside the brackets, is 400 invalidPath: RFC 7644 §3.5.2 names
 * invalidPath for a "path" that is "invalid or malformed", and the filter is part of the path.
 * Paths are not resolved against schemas here (see ../schema/attribute-reference.resolver.ts).
 */
export function parsePatchPath(text: string): PatchPath {
  const parser = new FilterGrammarParser(text, 'invalidPath');
  const first = parser.next();
  if (first.kind === 'eof') throw syntaxError('invalidPath', 'the path is empty.');
  const attribute = parser.parsePath(first);
  if (parser.peek().kind !== 'lbracket') {
    parser.expectEnd();
    return { attribute };
  }
  const valueFilter = parser.parseBracketFilter(attribute, first);
  const subAttribute = parser.parseSubAttributeAfterBracket();
  const rest = parser.peek();
  if (rest.kind !== 'eof') throw syntaxError('invalidPath', `unexpected ${describeToken(rest)}; a path ends after "]" or "].subAttribute".`);
  return { attribute, valueFilter, ...(subAttribute !== undefined ? { subAttribute } : {}) };
}
