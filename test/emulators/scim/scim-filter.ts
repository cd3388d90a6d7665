/**
 * The slice of the RFC 7644 §3.4.2.2 filter grammar that provisioning clients send for lookups:
 * `attrPath op value` joined by `and` / `or` (no parentheses, no `not`), ops eq ne co sw ew pr,
 * and value paths on multi-valued attributes flattened (`emails.value eq "…"`). Anything else is
 * an `invalidFilter` error, which is what a strict service answers.
 */

export class ScimFilterError extends Error {}

type Op = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'pr';
interface Comparison {
  attr: string;
  op: Op;
  value?: string | number | boolean | null;
}
/** Disjunction of conjunctions: `a and b or c` = [[a, b], [c]] (and binds tighter, §3.4.2.2). */
export type ParsedFilter = Comparison[][];

export interface FilterOptions {
  /** Maps vendor aliases to paths, e.g. Slack's `email` → `emails.value`. Keys are lower-case. */
  aliases?: Record<string, string>;
  /** Lower-case paths compared case-sensitively (RFC 7643 `caseExact`); others ignore case. */
  caseExact?: string[];
  /** Lower-case paths allowed in filters; any when absent. */
  supported?: string[];
  /** Operators allowed; all six when absent. */
  operators?: string[];
}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|[^\s"]+)/y;

export function parseFilter(text: string, options: FilterOptions = {}): ParsedFilter {
  const tokens: string[] = [];
  let pos = 0;
  for (;;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (m === null) break;
    tokens.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  if (text.slice(pos).trim() !== '' || tokens.length === 0) throw new ScimFilterError(`Cannot parse filter: ${text}`);

  const groups: ParsedFilter = [[]];
  let i = 0;
  while (i < tokens.length) {
    const attrToken = tokens[i++];
    if (attrToken.includes('(') || attrToken.includes('[')) throw new ScimFilterError(`Unsupported filter expression: ${text}`);
    const attr = normalizeAttr(attrToken, options);
    const op = tokens[i++]?.toLowerCase() as Op | undefined;
    if (!op || !(options.operators ?? ['eq', 'ne', 'co', 'sw', 'ew', 'pr']).includes(op)) throw new ScimFilterError(`Unsupported operator in filter: ${text}`);
    const comparison: Comparison = { attr, op };
    if (op !== 'pr') {
      const raw = tokens[i++];
      if (raw === undefined) throw new ScimFilterError(`Missing value in filter: ${text}`);
      comparison.value = parseValue(raw);
    }
    groups[groups.length - 1].push(comparison);
    const joiner = tokens[i]?.toLowerCase();
    if (joiner === undefined) break;
    if (joiner === 'or') groups.push([]);
    else if (joiner !== 'and') throw new ScimFilterError(`Expected and/or in filter: ${text}`);
    i++;
    if (i >= tokens.length) throw new ScimFilterError(`Dangling ${joiner} in filter: ${text}`);
  }
  return groups;
}

export function matchesFilter(resource: object, filter: ParsedFilter, options: FilterOptions = {}): boolean {
  return filter.some((all) => all.every((c) => matchesComparison(resource, c, options)));
}

function normalizeAttr(token: string, options: FilterOptions): string {
  // Attribute names are case-insensitive (RFC 7643 §2.1); a schema URN prefix is dropped.
  const lower = token.toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, '');
  const resolved = options.aliases?.[lower] ?? lower;
  if (options.supported && !options.supported.includes(resolved)) throw new ScimFilterError(`Unsupported filter attribute: ${token}`);
  return resolved;
}

function parseValue(raw: string): string | number | boolean | null {
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw === 'null') return null;
  const n = Number(raw);
  if (Number.isNaN(n)) throw new ScimFilterError(`Bad filter value: ${raw}`);
  return n;
}

/** Every value at a dotted, case-insensitive path, flattening multi-valued attributes. */
export function valuesAt(resource: unknown, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || typeof item !== 'object') continue;
      const key = Object.keys(item).find((k) => k.toLowerCase() === part);
      if (key === undefined) continue;
      const v = (item as Record<string, unknown>)[key];
      if (Array.isArray(v)) next.push(...v);
      else next.push(v);
    }
    current = next;
  }
  return current.filter((v) => v !== undefined && v !== null);
}

function matchesComparison(resource: object, c: Comparison, options: FilterOptions): boolean {
  const values = valuesAt(resource, c.attr);
  if (c.op === 'pr') return values.length > 0;
  const exact = options.caseExact?.includes(c.attr) ?? false;
  const norm = (v: unknown) => (typeof v === 'string' && !exact ? v.toLowerCase() : v);
  const want = norm(c.value);
  const test = (v: unknown): boolean => {
    const have = norm(v);
    switch (c.op) {
      case 'eq':
        return have === want;
      case 'ne':
        return have !== want;
      case 'co':
        return typeof have === 'string' && have.includes(String(want));
      case 'sw':
        return typeof have === 'string' && have.startsWith(String(want));
      case 'ew':
        return typeof have === 'string' && have.endsWith(String(want));
      default:
        return false;
    }
  };
  return c.op === 'ne' ? values.every(test) : values.some(test);
}
