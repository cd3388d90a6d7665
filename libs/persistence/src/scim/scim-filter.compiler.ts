import type { ComparisonOperator, FilterNode, FilterValue } from '@delta/scim/filter/filter-ast';
import { ScimError } from '@delta/scim/errors/scim-error';
import type { AttributePath } from '@delta/scim/path/attribute-path';
import { resolveAttributePath, ResolvedAttribute } from '@delta/scim/schema/attribute-reference.resolver';
import { findSubAttribute, ResourceKind } from '@delta/scim/schema/core-schemas';
import type { AttributeDefinition, AttributeType } from '@delta/scim/schema/schema-definition';

/**
 * Compiles a parsed SCIM filter (RFC 7644 §3.4.2.2) into a parameterized SQL predicate over the
 * `users u` or `groups g` table. Never filters in memory, never interpolates a client value:
 * every value is a numbered parameter appended to `params` (whose first entry is the tenant).
 *
 * Promoted columns (userName, externalId, displayName, active, meta.*) compile to the indexed
 * columns (`u.user_name_ci = lower($2)` uses the unique index, RLS or not), so the lookups IdPs
 * make before every write stay index scans whatever the tenant's size. Everything else is read
 * from the stored document; multi-valued attributes match when any element does (§3.4.2.2).
 */

type ValueKind = 'text' | 'boolean' | 'number' | 'dateTime' | 'uuid';

/** A single value the filter can compare: an SQL expression and how to compare it. */
interface Scalar {
  readonly sql: string;
  readonly kind: ValueKind;
  readonly caseExact: boolean;
  /** For jsonb-backed values: the jsonb expression, to test presence and type. */
  readonly jsonb?: string;
  /** Inside an extension we have no schema for: the stored JSON type decides how to compare. */
  readonly untyped?: boolean;
  /** The column already holds the lower-cased value. */
  readonly folded?: boolean;
}

interface Column {
  readonly column: string;
  readonly kind: ValueKind;
  readonly caseExact: boolean;
  /** A stored lower-cased copy: compared as is, so the index works under RLS (see the LeakproofLookups migration). */
  readonly folded?: string;
}

const COLUMNS: Record<ResourceKind, Record<string, Column>> = {
  User: {
    id: { column: 'id', kind: 'uuid', caseExact: true },
    username: { column: 'user_name', kind: 'text', caseExact: false, folded: 'user_name_ci' },
    externalid: { column: 'external_id', kind: 'text', caseExact: true },
    displayname: { column: 'display_name', kind: 'text', caseExact: false },
    active: { column: 'active', kind: 'boolean', caseExact: true },
    'meta.created': { column: 'created_at', kind: 'dateTime', caseExact: true },
    'meta.lastmodified': { column: 'updated_at', kind: 'dateTime', caseExact: true },
  },
  Group: {
    id: { column: 'id', kind: 'uuid', caseExact: true },
    displayname: { column: 'display_name', kind: 'text', caseExact: false, folded: 'display_name_ci' },
    externalid: { column: 'external_id', kind: 'text', caseExact: true },
    'meta.created': { column: 'created_at', kind: 'dateTime', caseExact: true },
    'meta.lastmodified': { column: 'updated_at', kind: 'dateTime', caseExact: true },
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_KEY = /^[A-Za-z0-9_:.$-]+$/;
const MAX_NODES = 200;

function invalid(detail: string): ScimError {
  return ScimError.badRequest('invalidFilter', detail);
}

function kindOf(type: AttributeType | undefined): ValueKind {
  switch (type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'dateTime':
      return 'dateTime';
    default:
      return 'text';
  }
}

function pathText(path: AttributePath): string {
  return `${path.schema ? `${path.schema}:` : ''}${path.attribute}${path.subAttribute ? `.${path.subAttribute}` : ''}`;
}

/** Escapes LIKE metacharacters so `co "50%"` matches a literal percent sign. */
function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class ScimFilterCompiler {
  private nodes = 0;

  constructor(
    private readonly kind: ResourceKind,
    private readonly alias: string,
    private readonly params: unknown[],
  ) {}

  compile(node: FilterNode): string {
    if (++this.nodes > MAX_NODES) throw invalid(`The filter is too complex (more than ${MAX_NODES} terms).`);
    switch (node.kind) {
      case 'and':
        return `(${this.compile(node.left)} AND ${this.compile(node.right)})`;
      case 'or':
        return `(${this.compile(node.left)} OR ${this.compile(node.right)})`;
      case 'not':
        // SQL's three-valued logic would drop rows where the operand is unknown (a missing
        // attribute); SCIM's `not` keeps them.
        return `(NOT coalesce(${this.compile(node.operand)}, false))`;
      case 'present':
        return this.presence(node.path);
      case 'compare':
        if (node.value === null && (node.op === 'eq' || node.op === 'ne')) {
          // Unassigned and null are one state (RFC 7643 §2.5): `eq null` is `not pr`, `ne null` is `pr`.
          const presence = this.presence(node.path);
          return node.op === 'eq' ? `(NOT coalesce(${presence}, false))` : presence;
        }
        return this.attribute(node.path, (scalar) => this.comparison(scalar, node.op, node.value, node.path), node.op === 'ne');
      case 'valuePath':
        return this.valuePath(node);
    }
  }

  private param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }

  private key(name: string): string {
    return SAFE_KEY.test(name) ? `'${name}'` : this.param(name, 'text');
  }

  /** `pr` (RFC 7644 §3.4.2.2): a non-empty value, or a non-empty node for a complex attribute. */
  private presence(path: AttributePath): string {
    return this.attribute(path, (scalar) => present(scalar), false, true);
  }

  /**
   * Resolves `path` and applies `test` to its value. For a multi-valued attribute the test runs
   * on each element (any match wins); `negative` tests (ne) must hold for all elements
   * instead, so `emails.type ne "work"` does not match a user who has a work email.
   * `node` asks about a whole complex attribute (`name pr`, `addresses pr`) rather than its `value`.
   */
  private attribute(path: AttributePath, test: (scalar: Scalar) => string, negative = false, node = false): string {
    const resolved = resolveAttributePath(path, this.kind);
    if (!resolved) throw invalid(`Unknown attribute "${pathText(path)}" in filter.`);
    const definition = resolved.definition;
    if (definition?.returned === 'never' || definition?.mutability === 'writeOnly') throw invalid(`${resolved.name} cannot be filtered on.`);
    const special = this.special(resolved, test, negative);
    if (special !== undefined) return special;
    const document = resolved.container ? `${this.alias}.resource->${this.key(resolved.container)}` : `${this.alias}.resource`;
    const value = `${document}->${this.key(resolved.name)}`;
    if (definition?.multiValued) {
      if (node && resolved.subName === undefined && definition.type === 'complex') return elementsMatch(value, presentNode, false);
      const sub = resolved.subDefinition ?? (definition.type === 'complex' ? findSubAttribute(definition, 'value') : undefined);
      const element = (e: string): Scalar => (definition.type === 'complex' ? jsonScalar(`${e}->${this.key(sub?.name ?? 'value')}`, sub) : jsonScalar(e, definition));
      return elementsMatch(value, (e) => test(element(e)), negative);
    }
    if (resolved.subName !== undefined) return test(jsonScalar(`${value}->${this.key(resolved.subName)}`, resolved.subDefinition));
    if (definition?.type === 'complex') {
      if (node) return presentNode(value);
      // `manager eq "x"` on a single complex value compares its `value` sub-attribute.
      const sub = findSubAttribute(definition, 'value');
      if (!sub) throw invalid(`${resolved.name} is complex: name one of its sub-attributes.`);
      return test(jsonScalar(`${value}->'value'`, sub));
    }
    return test(jsonScalar(value, definition));
  }

  /** Attributes that live in columns or rows rather than in the document. */
  private special(resolved: ResolvedAttribute, test: (scalar: Scalar) => string, negative: boolean): string | undefined {
    if (resolved.container) return undefined;
    const name = `${resolved.name}${resolved.subName ? `.${resolved.subName}` : ''}`.toLowerCase();
    const column = COLUMNS[this.kind][name];
    if (column) {
      if (column.folded) return test({ sql: `${this.alias}.${column.folded}`, kind: 'text', caseExact: false, folded: true });
      const sql = `${this.alias}.${column.column}`;
      return test({ sql, kind: column.kind, caseExact: column.kind === 'text' ? column.caseExact : true });
    }
    if (name === 'meta.resourcetype') return test({ sql: `'${this.kind}'::text`, kind: 'text', caseExact: true });
    if (name === 'meta.version') return test({ sql: `('W/"' || ${this.alias}.version || '"')`, kind: 'text', caseExact: true });
    if (name === 'meta.location') return undefined;
    if (name.startsWith('meta')) throw invalid(`Filtering on ${resolved.name}${resolved.subName ? `.${resolved.subName}` : ''} is not supported.`);
    if (this.kind === 'Group' && resolved.name === 'members') return this.members(resolved, test, negative);
    if (this.kind === 'User' && resolved.name === 'groups') return this.groups(resolved, test, negative);
    return undefined;
  }

  /** Group `members` are rows of group_members; `display` is the member's current name. */
  private members(resolved: ResolvedAttribute, test: (scalar: Scalar) => string, negative: boolean): string {
    const sub = (resolved.subName ?? 'value').toLowerCase();
    const scalar: Scalar =
      sub === 'value'
        ? { sql: 'm.member_id', kind: 'uuid', caseExact: true }
        : sub === 'type'
          ? { sql: 'm.member_type', kind: 'text', caseExact: false }
          : sub === 'display'
            ? { sql: `(SELECT coalesce(mu.display_name, mu.user_name) FROM users mu WHERE mu.organization_id = m.organization_id AND mu.id = m.member_id UNION ALL SELECT mg.display_name FROM groups mg WHERE mg.organization_id = m.organization_id AND mg.id = m.member_id LIMIT 1)`, kind: 'text', caseExact: false }
            : unsupported(`members.${resolved.subName}`);
    const rows = `FROM group_members m WHERE m.organization_id = ${this.alias}.organization_id AND m.group_id = ${this.alias}.id`;
    return negative ? `NOT EXISTS (SELECT 1 ${rows} AND NOT coalesce(${test(scalar)}, false))` : `EXISTS (SELECT 1 ${rows} AND ${test(scalar)})`;
  }

  /** A user's `groups` are direct and indirect (nested) memberships, RFC 7643 §4.1.2. */
  private groups(resolved: ResolvedAttribute, test: (scalar: Scalar) => string, negative: boolean): string {
    const sub = (resolved.subName ?? 'value').toLowerCase();
    const scalar: Scalar =
      sub === 'value'
        ? { sql: 'c.group_id', kind: 'uuid', caseExact: true }
        : sub === 'display'
          ? { sql: `(SELECT cg.display_name FROM groups cg WHERE cg.organization_id = ${this.alias}.organization_id AND cg.id = c.group_id)`, kind: 'text', caseExact: false }
          : sub === 'type'
            ? { sql: `(CASE WHEN c.depth = 1 THEN 'direct' ELSE 'indirect' END)`, kind: 'text', caseExact: false }
            : unsupported(`groups.${resolved.subName}`);
    const chain = `WITH RECURSIVE c(group_id, depth) AS (
        SELECT gm.group_id, 1 FROM group_members gm WHERE gm.organization_id = ${this.alias}.organization_id AND gm.member_id = ${this.alias}.id
        UNION SELECT gm.group_id, c.depth + 1 FROM c JOIN group_members gm
          ON gm.organization_id = ${this.alias}.organization_id AND gm.member_id = c.group_id AND gm.member_type = 'Group' WHERE c.depth < 32)`;
    return negative
      ? `NOT EXISTS (${chain} SELECT 1 FROM c WHERE NOT coalesce(${test(scalar)}, false))`
      : `EXISTS (${chain} SELECT 1 FROM c WHERE ${test(scalar)})`;
  }

  /** `emails[type eq "work" and value co "@acme.com"]`, optionally `.value eq "x"` after it. */
  private valuePath(node: Extract<FilterNode, { kind: 'valuePath' }>): string {
    const resolved = resolveAttributePath({ ...node.path, subAttribute: undefined }, this.kind);
    if (!resolved) throw invalid(`Unknown attribute "${pathText(node.path)}" in filter.`);
    const definition = resolved.definition;
    if (definition && !definition.multiValued && definition.type !== 'complex') throw invalid(`${resolved.name} is not multi-valued or complex: it takes no [filter].`);
    const inner = (elementNode: FilterNode, element: ElementContext): string => this.elementFilter(elementNode, element);
    const condition = (element: ElementContext): string => {
      const selected = inner(node.filter, element);
      return node.then ? `(${selected} AND ${inner(node.then, element)})` : selected;
    };
    if (!resolved.container && this.kind === 'Group' && resolved.name === 'members') return this.memberElements(node);
    if (!resolved.container && this.kind === 'User' && resolved.name === 'groups') throw invalid('groups[...] filters are not supported; use groups.value or groups.display.');
    const document = resolved.container ? `${this.alias}.resource->${this.key(resolved.container)}` : `${this.alias}.resource`;
    const value = `${document}->${this.key(resolved.name)}`;
    if (definition && !definition.multiValued) return condition({ json: value, definition });
    return elementsMatch(value, (e) => condition({ json: e, definition }), false);
  }

  private memberElements(node: Extract<FilterNode, { kind: 'valuePath' }>): string {
    const rows = `FROM group_members m WHERE m.organization_id = ${this.alias}.organization_id AND m.group_id = ${this.alias}.id`;
    const condition = compileMemberCondition(node.filter, 'm', this.params);
    const then = node.then ? ` AND ${compileMemberCondition(node.then, 'm', this.params)}` : '';
    return `EXISTS (SELECT 1 ${rows} AND ${condition}${then})`;
  }

  /** A filter inside brackets: its paths name sub-attributes of one element. */
  private elementFilter(node: FilterNode, element: ElementContext): string {
    switch (node.kind) {
      case 'and':
        return `(${this.elementFilter(node.left, element)} AND ${this.elementFilter(node.right, element)})`;
      case 'or':
        return `(${this.elementFilter(node.left, element)} OR ${this.elementFilter(node.right, element)})`;
      case 'not':
        return `(NOT coalesce(${this.elementFilter(node.operand, element)}, false))`;
      case 'valuePath':
        throw invalid('A [filter] cannot be nested inside another.');
      case 'present':
        return present(this.subScalar(node.path, element));
      case 'compare':
        return this.comparison(this.subScalar(node.path, element), node.op, node.value, node.path);
    }
  }

  private subScalar(path: AttributePath, element: ElementContext): Scalar {
    if (path.schema || path.subAttribute) throw invalid(`"${pathText(path)}" inside [ ] must name a sub-attribute.`);
    const { definition } = element;
    if (definition && definition.type !== 'complex') {
      // Elements of a multi-valued simple attribute are compared through `value` (RFC 7644 §3.4.2.2).
      if (path.attribute.toLowerCase() !== 'value') throw invalid(`${definition.name} has no sub-attribute ${path.attribute}.`);
      return jsonScalar(element.json, definition);
    }
    const sub = definition ? findSubAttribute(definition, path.attribute) : undefined;
    if (definition && !sub) throw invalid(`${definition.name} has no sub-attribute ${path.attribute}.`);
    return jsonScalar(`${element.json}->${this.key(sub?.name ?? path.attribute)}`, sub);
  }

  private comparison(scalar: Scalar, op: ComparisonOperator, value: FilterValue, path: AttributePath): string {
    if (value === null) {
      // `attr eq null` asks whether it is unassigned (RFC 7643 §2.5); `ne null` whether it is set.
      if (op === 'eq') return `(NOT coalesce(${present(scalar)}, false))`;
      if (op === 'ne') return present(scalar);
      throw invalid(`${pathText(path)} ${op} null: null can only be compared with eq or ne.`);
    }
    if (scalar.untyped && typeof value !== 'string') return this.untypedComparison(scalar, op, value, path);
    switch (scalar.kind) {
      case 'boolean':
        return this.booleanComparison(scalar, op, value, path);
      case 'number':
        if (typeof value !== 'number') throw invalid(`${pathText(path)} is a number; compare it with a number.`);
        return ordered(scalar.jsonb ? `(CASE WHEN jsonb_typeof(${scalar.jsonb}) = 'number' THEN (${scalar.jsonb})::numeric END)` : scalar.sql, op, this.param(value, 'numeric'), path);
      case 'dateTime': {
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid(`${pathText(path)} is a dateTime; compare it with an xsd:dateTime string.`);
        const column = scalar.jsonb ? `(CASE WHEN jsonb_typeof(${scalar.jsonb}) = 'string' THEN (${scalar.sql})::timestamptz END)` : scalar.sql;
        return ordered(column, op, this.param(new Date(value).toISOString(), 'timestamptz'), path);
      }
      case 'uuid':
        return this.uuidComparison(scalar, op, value, path);
      case 'text':
        return this.textComparison(scalar, op, value, path);
    }
  }

  /**
   * A boolean or number against an attribute no schema types (a custom extension): a stored JSON
   * boolean or number compares as one, anything else as text, as the PATCH evaluator does.
   */
  private untypedComparison(scalar: Scalar, op: ComparisonOperator, value: boolean | number, path: AttributePath): string {
    const jsonb = scalar.jsonb ?? scalar.sql;
    if (typeof value === 'boolean') return this.booleanComparison(scalar, op, value, path);
    const text = this.textComparison(scalar, op, value, path);
    if (op === 'co' || op === 'sw' || op === 'ew') return text;
    return `(CASE WHEN jsonb_typeof(${jsonb}) = 'number' THEN ${ordered(`(${jsonb})::numeric`, op, this.param(value, 'numeric'), path)} ELSE ${text} END)`;
  }

  private booleanComparison(scalar: Scalar, op: ComparisonOperator, value: Exclude<FilterValue, null>, path: AttributePath): string {
    // Boolean attributes allow only eq and ne (RFC 7644 §3.4.2.2: others are invalidFilter).
    if (op !== 'eq' && op !== 'ne') throw invalid(`${pathText(path)} is a boolean: only eq and ne apply.`);
    const bool = typeof value === 'boolean' ? value : typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : undefined;
    if (bool === undefined) throw invalid(`${pathText(path)} is a boolean; compare it with true or false.`);
    const sql = scalar.jsonb ? `(${scalar.jsonb} = '${bool}'::jsonb)` : `(${scalar.sql} = ${bool})`;
    return op === 'eq' ? sql : `(NOT coalesce(${sql}, false))`;
  }

  private uuidComparison(scalar: Scalar, op: ComparisonOperator, value: Exclude<FilterValue, null>, path: AttributePath): string {
    const text = String(value).trim();
    if (op === 'eq') return UUID.test(text) ? `(${scalar.sql} = ${this.param(text.toLowerCase(), 'uuid')})` : 'false';
    if (op === 'ne') return UUID.test(text) ? `(${scalar.sql} <> ${this.param(text.toLowerCase(), 'uuid')})` : 'true';
    return this.textComparison({ sql: `${scalar.sql}::text`, kind: 'text', caseExact: false }, op, text, path);
  }

  private textComparison(scalar: Scalar, op: ComparisonOperator, value: Exclude<FilterValue, null>, path: AttributePath): string {
    if (typeof value === 'boolean') throw invalid(`${pathText(path)} is a string; compare it with a string.`);
    const text = String(value);
    const lhs = scalar.caseExact || scalar.folded ? scalar.sql : `lower(${scalar.sql})`;
    const rhs = (v: string): string => (scalar.caseExact ? this.param(v, 'text') : `lower(${this.param(v, 'text')})`);
    return textPredicate(lhs, op, text, rhs, path);
  }
}

/** A string comparison (RFC 7644 §3.4.2.2 eq ne co sw ew gt ge lt le); `rhs` turns a value into its bound, folded parameter. */
function textPredicate(lhs: string, op: ComparisonOperator, text: string, rhs: (value: string) => string, path: AttributePath): string {
  switch (op) {
    case 'eq':
      return `(${lhs} = ${rhs(text)})`;
    case 'ne':
      return `(${lhs} IS DISTINCT FROM ${rhs(text)})`;
    case 'co':
      return `(${lhs} LIKE ${rhs(`%${likeEscape(text)}%`)})`;
    case 'sw':
      return `(${lhs} LIKE ${rhs(`${likeEscape(text)}%`)})`;
    case 'ew':
      return `(${lhs} LIKE ${rhs(`%${likeEscape(text)}`)})`;
    default:
      return ordered(lhs, op, rhs(text), path);
  }
}

interface ElementContext {
  readonly json: string;
  readonly definition?: AttributeDefinition;
}

function unsupported(name: string): never {
  throw invalid(`Filtering on ${name} is not supported.`);
}

function jsonScalar(jsonb: string, definition: AttributeDefinition | undefined): Scalar {
  const kind = kindOf(definition?.type);
  // Unknown (extension) attributes compare as case-insensitive strings, the RFC 7643 §2.2 default,
  // unless the filter compares them with a boolean or number (see untypedComparison).
  return { sql: `(${jsonb} #>> '{}')`, jsonb, kind, caseExact: definition?.caseExact ?? false, untyped: definition === undefined };
}

function present(scalar: Scalar): string {
  if (!scalar.jsonb) return scalar.kind === 'text' ? `(${scalar.sql} IS NOT NULL AND ${scalar.sql} <> '')` : `(${scalar.sql} IS NOT NULL)`;
  // RFC 7644 §3.4.2.2 pr: a non-empty, non-null value.
  return `(jsonb_typeof(${scalar.jsonb}) IS NOT NULL AND ${scalar.jsonb} NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb))`;
}

/** A complex value with at least one sub-attribute that is itself present. */
function presentNode(jsonb: string): string {
  return `EXISTS (SELECT 1 FROM jsonb_each(CASE WHEN jsonb_typeof(${jsonb}) = 'object' THEN ${jsonb} ELSE '{}'::jsonb END) AS s(k, v)
    WHERE s.v NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb))`;
}

function ordered(lhs: string, op: ComparisonOperator, rhs: string, path: AttributePath): string {
  const sqlOp = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as 'eq'];
  if (!sqlOp) throw invalid(`${op} does not apply to ${pathText(path)}.`);
  return `(${lhs} ${sqlOp} ${rhs})`;
}

/** Any (or, for negative tests, every) element of a jsonb array satisfies `test`. */
function elementsMatch(array: string, test: (element: string) => string, negative: boolean): string {
  const elements = `jsonb_array_elements(CASE WHEN jsonb_typeof(${array}) = 'array' THEN ${array} ELSE '[]'::jsonb END) AS e(v)`;
  return negative ? `NOT EXISTS (SELECT 1 FROM ${elements} WHERE NOT coalesce(${test('e.v')}, false))` : `EXISTS (SELECT 1 FROM ${elements} WHERE ${test('e.v')})`;
}

/**
 * A filter over membership rows (`members[type eq "Group"]`, PATCH remove paths): `value` is the
 * member id, `type` User or Group, `display` the member's name.
 */
export function compileMemberCondition(node: FilterNode, alias: string, params: unknown[]): string {
  const param = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${compileMemberCondition(node.left, alias, params)} ${node.kind.toUpperCase()} ${compileMemberCondition(node.right, alias, params)})`;
    case 'not':
      return `(NOT coalesce(${compileMemberCondition(node.operand, alias, params)}, false))`;
    case 'valuePath':
      throw invalid('A [filter] cannot be nested inside another.');
    case 'present':
      return ['value', 'type'].includes(node.path.attribute.toLowerCase()) ? 'true' : node.path.attribute.toLowerCase() === 'display' ? 'true' : unsupported(`members.${node.path.attribute}`);
    case 'compare': {
      const name = node.path.attribute.toLowerCase();
      if (node.path.schema || node.path.subAttribute) unsupported(`members.${pathText(node.path)}`);
      const text = node.value === null ? null : String(node.value);
      if (name === 'value') {
        if (text === null || !['eq', 'ne'].includes(node.op)) unsupported(`members.value ${node.op}`);
        const match = UUID.test(text.trim()) ? `(${alias}.member_id = ${param(text.trim().toLowerCase(), 'uuid')})` : 'false';
        return node.op === 'eq' ? match : `(NOT ${match})`;
      }
      const column =
        name === 'type'
          ? `${alias}.member_type`
          : name === 'display'
            ? `(SELECT coalesce(mu.display_name, mu.user_name) FROM users mu WHERE mu.organization_id = ${alias}.organization_id AND mu.id = ${alias}.member_id UNION ALL SELECT mg.display_name FROM groups mg WHERE mg.organization_id = ${alias}.organization_id AND mg.id = ${alias}.member_id LIMIT 1)`
            : unsupported(`members.${node.path.attribute}`);
      if (text === null) unsupported(`members.${node.path.attribute} ${node.op} null`);
      return textPredicate(`lower(${column})`, node.op, text, (v) => `lower(${param(v, 'text')})`, node.path);
    }
  }
}

/** Compiles `filter` for `kind` (alias `u` for users, `g` for groups), appending to `params`. */
export function compileScimFilter(kind: ResourceKind, filter: FilterNode, params: unknown[]): string {
  return new ScimFilterCompiler(kind, kind === 'User' ? 'u' : 'g', params).compile(filter);
}
