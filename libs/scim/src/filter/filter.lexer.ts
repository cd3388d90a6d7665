import { ScimError, ScimType } from '../errors/scim-error';

/**
 * Tokens of the RFC 7644 §3.4.2.2 filter grammar, shared by the filter parser and the PATCH path
 * parser (RFC 7644 §3.5.2 reuses `valuePath`, so both read the same characters the same way).
 *
 * A `word` is a run of characters other than whitespace, `()[]` and `"`: attribute paths
 * (`name.familyName`, `urn:…:User:manager.value`, the `.value` after a `]`), operators,
 * `and`/`or`/`not`, and unquoted compValues (numbers, `true`, and the bare strings some IdPs send).
 * The parser decides what a word means from where it stands.
 */
export type TokenKind = 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'string' | 'word' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The characters exactly as written (for a string, including its quotes). */
  readonly text: string;
  /** Offset of the first character, 0-based. */
  readonly pos: number;
}

/** Longer input is refused outright so a hostile client cannot make us do unbounded work. */
export const MAX_EXPRESSION_LENGTH = 4096;

const PUNCTUATION: Readonly<Record<string, TokenKind>> = { '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket' };
const WHITESPACE = /[ \t\r\n]/;
const WORD_END = /[ \t\r\n()[\]"]/;

/** What parse errors say, by the scimType they carry. */
export function syntaxError(scimType: ScimType, message: string): ScimError {
  const what = scimType === 'invalidPath' ? 'path' : 'filter';
  return ScimError.badRequest(scimType, `Invalid ${what}: ${message}`);
}

/** How an error message names a token. */
export function describeToken(token: Token): string {
  return token.kind === 'eof' ? `end of input (position ${token.pos})` : `${JSON.stringify(token.text)} at position ${token.pos}`;
}

/**
 * Splits `text` into tokens, ending with one `eof`. Linear in the length of the input.
 * Strings are JSON strings (RFC 7644 §3.4.2.2 compValue); they are checked here and decoded by
 * the parser with JSON.parse on the exact token.
 */
export function tokenize(text: string, scimType: ScimType): Token[] {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw syntaxError(scimType, `longer than ${MAX_EXPRESSION_LENGTH} characters (${text.length}).`);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (WHITESPACE.test(ch)) {
      i++;
    } else if (PUNCTUATION[ch]) {
      tokens.push({ kind: PUNCTUATION[ch], text: ch, pos: i });
      i++;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      if (end < 0) throw syntaxError(scimType, `unterminated string starting at position ${i}.`);
      tokens.push({ kind: 'string', text: text.slice(i, end), pos: i });
      i = end;
    } else {
      const start = i;
      while (i < text.length && !WORD_END.test(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), pos: start });
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}

/** The offset just past the closing quote of the string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}
