import type { ScimType } from '../errors/scim-error';
import type { AttributePath } from '../path/attribute-path';
import { attributePathOf, isAttributeName } from '../path/attribute-path-syntax.util';
import type { ComparisonOperator, FilterNode, FilterValue } from './filter-ast';
import { describeToken, syntaxError, Token, tokenize } from './filter.lexer';

/** Parentheses and brackets deeper than this are refused: recursion stays bounded. */
export const MAX_NESTING_DEPTH = 50;

const OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
/** A JSON number (RFC 8259 §6), which is what compValue allows (RFC 7644 §3.4.2.2). */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

const isKeyword = (token: Token, keyword: string): boolean => token.kind === 'word' && token.text.toLowerCase() === keyword;

/**
 * Recursive-descent parser of RFC 7644 §3.4.2.2:
 *
 *   FILTER    = orExp
 *   orExp     = andExp *("or" andExp)                  ; left-associative, loosest
 *   andExp    = unary *("and" unary)                   ; left-associative
 *   unary     = "not" "(" FILTER ")" / primary         ; `not(` and `not (` alike
 *   primary   = "(" FILTER ")" / attrPath "pr" / attrPath compareOp compValue
 *             / attrPath "[" FILTER "]" ["." ATTRNAME ("pr" / compareOp compValue)]
 *
 * The optional tail after `]` is the form the Microsoft SCIM validator sends
 * (`emails[type eq "work"].value eq "x"`). Inside brackets, paths are sub-attribute names of the
 * element, and brackets do not nest (RFC 7644 §3.4.2.2: valFilter has no valuePath).
 * Keywords and operators are case-insensitive (RFC 7644 §3.4.2.2: "case insensitive").
 * Every loop consumes a token and recursion depth is capped, so work is linear in the input.
 *
 * Used by parseFilter and by parsePatchPath, which reports with scimType invalidPath.
 */
export class FilterGrammarParser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  private inBrackets = false;

  constructor(
    text: string,
    private readonly scimType: ScimType,
  ) {
    this.tokens = tokenize(text, scimType);
  }

  peek(): Token {
    return this.tokens[this.index];
  }

  next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private fail(message: string): never {
    throw syntaxError(this.scimType, message);
  }

  private expect(kind: Token['kind'], what: string): Token {
    const token = this.next();
    if (token.kind !== kind) this.fail(`expected ${what}, found ${describeToken(token)}.`);
    return token;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'eof') this.fail(`unexpected ${describeToken(token)} after a complete expression.`);
  }

  /** orExp: the whole expression up to `)`, `]` or the end. */
  parseExpression(): FilterNode {
    let left = this.parseAnd();
    while (isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  /** attrPath, from one word. */
  parsePath(token: Token): AttributePath {
    if (token.kind !== 'word' || ['and', 'or', 'not'].includes(token.text.toLowerCase())) {
      this.fail(`expected an attribute path, found ${describeToken(token)}.`);
    }
    const path = attributePathOf(token.text, token.pos, this.scimType);
    if (this.inBrackets && (path.schema !== undefined || path.subAttribute !== undefined)) {
      this.fail(`${describeToken(token)}: inside [ ] paths name a sub-attribute of the element, without URN or "." (RFC 7644 §3.4.2.2 valFilter).`);
    }
    return path;
  }

  /** `"[" FILTER "]"` after a multi-valued attribute's path. */
  parseBracketFilter(path: AttributePath, at: Token): FilterNode {
    const open = this.expect('lbracket', '"["');
    if (this.inBrackets) this.fail(`"[" at position ${open.pos}: value filters do not nest (RFC 7644 §3.4.2.2).`);
    if (path.subAttribute !== undefined) this.fail(`${describeToken(at)}: only a top-level attribute can be filtered with [ ].`);
    if (this.peek().kind === 'rbracket') this.fail(`empty [ ] at position ${open.pos}.`);
    this.enter(open);
    this.inBrackets = true;
    const filter = this.parseExpression();
    this.inBrackets = false;
    this.depth--;
    this.expect('rbracket', `"]" closing "[" at position ${open.pos}`);
    return filter;
  }

  /** `"." ATTRNAME` right after `]`, or undefined. */
  parseSubAttributeAfterBracket(): string | undefined {
    const token = this.peek();
    if (token.kind !== 'word' || !token.text.startsWith('.')) return undefined;
    this.next();
    const name = token.text.slice(1);
    if (!isAttributeName(name)) this.fail(`${describeToken(token)} is not "." followed by a sub-attribute name.`);
    return name;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (!isKeyword(token, 'not')) return this.parsePrimary();
    this.next();
    if (this.peek().kind !== 'lparen') this.fail(`expected "(" after "not" at position ${token.pos}, found ${describeToken(this.peek())}.`);
    return { kind: 'not', operand: this.parseParenthesized() };
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token.kind === 'lparen') return this.parseParenthesized();
    if (token.kind === 'eof') this.fail(`expected an expression, found ${describeToken(token)}.`);
    this.next();
    const path = this.parsePath(token);
    if (this.peek().kind !== 'lbracket') return this.parseComparison(path, token);
    const filter = this.parseBracketFilter(path, token);
    const sub = this.parseSubAttributeAfterBracket();
    if (sub === undefined) return { kind: 'valuePath', path, filter };
    return { kind: 'valuePath', path, filter, then: this.parseComparison({ attribute: sub }, token) };
  }

  private parseParenthesized(): FilterNode {
    const open = this.expect('lparen', '"("');
    this.enter(open);
    const inner = this.parseExpression();
    this.depth--;
    this.expect('rparen', `")" closing "(" at position ${open.pos}`);
    return inner;
  }

  /** `"pr"` or `compareOp compValue` after a path. */
  private parseComparison(path: AttributePath, at: Token): FilterNode {
    const token = this.next();
    const op = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!OPERATORS.has(op)) {
      this.fail(`expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after ${describeToken(at)}, found ${describeToken(token)}.`);
    }
    return { kind: 'compare', path, op: op as ComparisonOperator, value: this.parseValue(token) };
  }

  /** compValue = false / null / true / number / string (RFC 7644 §3.4.2.2), plus bare words. */
  private parseValue(operator: Token): FilterValue {
    const token = this.next();
    if (token.kind === 'string') {
      try {
        return JSON.parse(token.text) as string;
      } catch {
        this.fail(`${describeToken(token)} is not a valid JSON string.`);
      }
    }
    if (token.kind !== 'word' || isKeyword(token, 'and') || isKeyword(token, 'or')) {
      this.fail(`expected a value after ${describeToken(operator)}, found ${describeToken(token)}.`);
    }
    const lower = token.text.toLowerCase();
    // Entra sends `True`/`False`: the literal names are matched case-insensitively.
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (JSON_NUMBER.test(token.text)) {
      const value = Number(token.text);
      if (!Number.isFinite(value)) this.fail(`${describeToken(token)} is out of range.`);
      return value;
    }
    // Leniency: Microsoft's own documentation writes `externalId eq jyoung`; an unquoted word is
    // taken as the string it spells.
    return token.text;
  }

  private enter(open: Token): void {
    if (++this.depth > MAX_NESTING_DEPTH) this.fail(`nesting deeper than ${MAX_NESTING_DEPTH} at position ${open.pos}.`);
  }
}
