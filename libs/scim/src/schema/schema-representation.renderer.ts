import { ScimError } from '../errors/scim-error';
import { ALL_SCHEMAS } from './core-schemas';
import { AttributeDefinition, LIST_RESPONSE_SCHEMA, SCHEMA_SCHEMA, SchemaDefinition } from './schema-definition';

const trimSlash = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

/** One attribute as RFC 7643 §7 represents it; "caseExact" only where it means something. */
export function renderAttributeDefinition(attribute: AttributeDefinition): Record<string, unknown> {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    ...(attribute.type === 'complex' ? {} : { caseExact: attribute.caseExact }),
    ...(attribute.canonicalValues ? { canonicalValues: [...attribute.canonicalValues] } : {}),
    ...(attribute.referenceTypes ? { referenceTypes: [...attribute.referenceTypes] } : {}),
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
    ...(attribute.subAttributes ? { subAttributes: attribute.subAttributes.map(renderAttributeDefinition) } : {}),
  };
}

/** A schema resource (RFC 7643 §7), as served at /Schemas/{id}. */
export function renderSchema(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttributeDefinition),
    meta: { resourceType: 'Schema', location: `${trimSlash(baseUrl)}/Schemas/${schema.id}` },
  };
}

/** GET /Schemas (RFC 7644 §4): every schema, in a ListResponse. */
export function renderSchemas(baseUrl: string): Record<string, unknown> {
  const resources = ALL_SCHEMAS.map((schema) => renderSchema(schema, baseUrl));
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: resources.length, itemsPerPage: resources.length, startIndex: 1, Resources: resources };
}

/** GET /Schemas/{urn}: the URN is matched case-insensitively (RFC 7643 §2.1); unknown → 404. */
export function renderSchemaById(urn: string, baseUrl: string): Record<string, unknown> {
  const schema = ALL_SCHEMAS.find((s) => s.id.toLowerCase() === urn.trim().toLowerCase());
  if (!schema) throw ScimError.notFound(`Schema ${urn} not found`);
  return renderSchema(schema, baseUrl);
}
