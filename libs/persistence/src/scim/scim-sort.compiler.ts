import { ScimError } from '@delta/scim/errors/scim-error';
import { parseAttributePath } from '@delta/scim/path/attribute-path.parser';
import { resolveAttributePath } from '@delta/scim/schema/attribute-reference.resolver';
import { findSubAttribute, ResourceKind } from '@delta/scim/schema/core-schemas';

const COLUMN_SORT: Record<ResourceKind, Record<string, string>> = {
  User: {
    id: 'id',
    username: 'u.user_name_ci',
    externalid: 'u.external_id',
    displayname: 'lower(u.display_name)',
    active: 'u.active',
    'meta.created': 'u.created_at',
    'meta.lastmodified': 'u.updated_at',
  },
  Group: {
    id: 'id',
    displayname: 'g.display_name_ci',
    externalid: 'g.external_id',
    'meta.created': 'g.created_at',
    'meta.lastmodified': 'g.updated_at',
  },
};

const SAFE_KEY = /^[A-Za-z0-9_:.$-]+$/;

function invalid(detail: string): ScimError {
  // RFC 7644 §3.4.2.3 names no scimType for a bad sortBy; invalidValue says what is wrong.
  return ScimError.badRequest('invalidValue', detail);
}

/**
 * The SQL expression `sortBy` (RFC 7644 §3.4.2.3) orders by. Strings sort case-insensitively
 * unless caseExact; a multi-valued attribute sorts by its primary value, else its first one.
 * Only names from the schema reach the SQL text (unknown extension keys are refused).
 */
export function compileScimSort(kind: ResourceKind, sortBy: string): string {
  let path;
  try {
    path = parseAttributePath(sortBy.trim());
  } catch {
    throw invalid(`sortBy "${sortBy}" is not an attribute path.`);
  }
  const resolved = resolveAttributePath(path, kind);
  if (!resolved || !resolved.definition) throw invalid(`sortBy "${sortBy}" names no attribute of ${kind}.`);
  const alias = kind === 'User' ? 'u' : 'g';
  const name = `${resolved.name}${resolved.subName ? `.${resolved.subName}` : ''}`.toLowerCase();
  const column = resolved.container ? undefined : COLUMN_SORT[kind][name];
  if (column) return column === 'id' ? `${alias}.id` : column;
  if (resolved.definition.returned === 'never' || (!resolved.container && ['members', 'groups'].includes(resolved.name))) {
    throw invalid(`${resolved.name} cannot be sorted on.`);
  }
  const keys = [resolved.container, resolved.name].filter((k): k is string => k !== undefined);
  if (keys.some((k) => !SAFE_KEY.test(k))) throw invalid(`sortBy "${sortBy}" cannot be sorted on.`);
  const document = keys.reduce((sql, key) => `${sql}->'${key}'`, `${alias}.resource`);
  const definition = resolved.definition;
  let value: string;
  let sub = resolved.subDefinition;
  if (definition.multiValued) {
    sub ??= definition.type === 'complex' ? findSubAttribute(definition, 'value') : undefined;
    const element = definition.type === 'complex' ? `e.v->'${sub?.name ?? 'value'}'` : 'e.v';
    value = `(SELECT ${element} FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${document}) = 'array' THEN ${document} ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, n)
      ORDER BY (e.v->'primary') = 'true'::jsonb DESC NULLS LAST, e.n LIMIT 1)`;
  } else {
    value = resolved.subName ? `${document}->'${resolved.subName}'` : definition.type === 'complex' ? `${document}->'value'` : document;
    sub ??= definition.type === 'complex' ? findSubAttribute(definition, 'value') : definition;
  }
  const caseExact = sub?.caseExact ?? definition.caseExact;
  // jsonb orders numbers numerically and strings by collation; lower-case strings for caseExact false.
  return caseExact ? value : `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN to_jsonb(lower(${value} #>> '{}')) ELSE ${value} END)`;
}
