import { COMMON_ATTRIBUTES } from './common-attributes.schema';
import { ENTERPRISE_USER_SCHEMA_DEFINITION } from './enterprise-user.schema';
import { GROUP_SCHEMA } from './group.schema';
import type { AttributeDefinition, ResourceSchemas, SchemaDefinition } from './schema-definition';
import { USER_SCHEMA } from './user.schema';

export { COMMON_ATTRIBUTES } from './common-attributes.schema';
export { ENTERPRISE_USER_SCHEMA_DEFINITION } from './enterprise-user.schema';
export { GROUP_SCHEMA } from './group.schema';
export { USER_SCHEMA } from './user.schema';

export type ResourceKind = 'User' | 'Group';

/** The schema registry: which schemas make up each resource type this server serves. */
export const SCHEMAS_BY_RESOURCE: { readonly [K in ResourceKind]: ResourceSchemas } = {
  User: { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA_DEFINITION] },
  Group: { core: GROUP_SCHEMA, extensions: [] },
};

/** Every schema served at /Schemas (RFC 7644 §4), in a stable order. */
export const ALL_SCHEMAS: readonly SchemaDefinition[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA_DEFINITION, GROUP_SCHEMA];

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Finds an attribute case-insensitively (RFC 7643 §2.1) in the core schema or a known extension. */
export function findAttribute(kind: ResourceKind, name: string, schema?: string): AttributeDefinition | undefined {
  const { core } = SCHEMAS_BY_RESOURCE[kind];
  if (schema && !sameName(schema, core.id)) {
    return knownExtension(kind, schema)?.attributes.find((a) => sameName(a.name, name));
  }
  return core.attributes.find((a) => sameName(a.name, name)) ?? COMMON_ATTRIBUTES.find((a) => sameName(a.name, name));
}

export function findSubAttribute(parent: AttributeDefinition | undefined, name: string): AttributeDefinition | undefined {
  return parent?.subAttributes?.find((a) => sameName(a.name, name));
}

export function knownExtension(kind: ResourceKind, urn: string): SchemaDefinition | undefined {
  return SCHEMAS_BY_RESOURCE[kind].extensions.find((e) => sameName(e.id, urn));
}

/**
 * The lookup helper: an attribute (or, with subName, a sub-attribute) definition by optional
 * schema URN and name, case-insensitively. Without a URN the core schema and the common
 * attributes are searched first, then the known extensions (a lenient fallback for clients that
 * leave `department` unqualified; RFC 7644 §3.10 wants the URN there).
 */
export function findAttributeDefinition(
  kind: ResourceKind,
  query: { readonly schema?: string; readonly name: string; readonly subName?: string },
): AttributeDefinition | undefined {
  let attribute = findAttribute(kind, query.name, query.schema);
  if (!attribute && !query.schema) {
    const candidates = SCHEMAS_BY_RESOURCE[kind].extensions.flatMap((e) => e.attributes.filter((a) => sameName(a.name, query.name)));
    attribute = candidates.length === 1 ? candidates[0] : undefined;
  }
  return query.subName === undefined ? attribute : findSubAttribute(attribute, query.subName);
}
