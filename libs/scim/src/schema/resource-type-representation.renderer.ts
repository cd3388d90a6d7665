import { ScimError } from '../errors/scim-error';
import { RESOURCE_TYPES } from './resource-type.definitions';
import { LIST_RESPONSE_SCHEMA, RESOURCE_TYPE_SCHEMA, ResourceTypeDefinition } from './schema-definition';

const trimSlash = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

/** A resource type resource (RFC 7643 §6, example §8.6), as served at /ResourceTypes/{name}. */
export function renderResourceType(resourceType: ResourceTypeDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.id,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema,
    schemaExtensions: resourceType.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${trimSlash(baseUrl)}/ResourceTypes/${resourceType.name}` },
  };
}

/** GET /ResourceTypes (RFC 7644 §4): every resource type, in a ListResponse. */
export function renderResourceTypes(baseUrl: string): Record<string, unknown> {
  const resources = RESOURCE_TYPES.map((rt) => renderResourceType(rt, baseUrl));
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: resources.length, itemsPerPage: resources.length, startIndex: 1, Resources: resources };
}

/** GET /ResourceTypes/{name}: matched case-insensitively on name or id; unknown → 404. */
export function renderResourceTypeByName(name: string, baseUrl: string): Record<string, unknown> {
  const wanted = name.trim().toLowerCase();
  const resourceType = RESOURCE_TYPES.find((rt) => rt.name.toLowerCase() === wanted || rt.id.toLowerCase() === wanted);
  if (!resourceType) throw ScimError.notFound(`ResourceType ${name} not found`);
  return renderResourceType(resourceType, baseUrl);
}
