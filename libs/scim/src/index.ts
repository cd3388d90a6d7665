/**
 * The public API of the SCIM protocol library: pure TypeScript, no Nest, no database, no HTTP.
 */

// Errors (RFC 7644 §3.12)
export { ScimError, SCIM_ERROR_SCHEMA } from './errors/scim-error';
export type { ScimType } from './errors/scim-error';

// Filter grammar and attribute paths (RFC 7644 §3.4.2.2, §3.10)
export * from './filter';
export * from './path';

// Schemas and discovery (RFC 7643 §4-§8)
export * from './schema/schema-definition';
export {
  ALL_SCHEMAS,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  GROUP_SCHEMA,
  SCHEMAS_BY_RESOURCE,
  USER_SCHEMA,
  findAttribute,
  findAttributeDefinition,
  findSubAttribute,
  knownExtension,
} from './schema/core-schemas';
export type { ResourceKind } from './schema/core-schemas';
export { resolveAttributePath, resolveAttributeReference, schemaContainerOf } from './schema/attribute-reference.resolver';
export type { ResolvedAttribute, ResolvedContainer, ResolvedReference } from './schema/attribute-reference.resolver';
export { GROUP_RESOURCE_TYPE, RESOURCE_TYPES, USER_RESOURCE_TYPE } from './schema/resource-type.definitions';
export { renderAttributeDefinition, renderSchema, renderSchemaById, renderSchemas } from './schema/schema-representation.renderer';
export { renderResourceType, renderResourceTypeByName, renderResourceTypes } from './schema/resource-type-representation.renderer';
export { buildServiceProviderConfig, DEFAULT_AUTHENTICATION_SCHEMES } from './schema/service-provider-config.builder';
export type { AuthenticationScheme, ServiceProviderConfigOptions } from './schema/service-provider-config.builder';

// Resources: validation and canonicalization of POST/PUT bodies (RFC 7643 §2-§4, RFC 7644 §3.3, §3.5.1)
export { coerceAttributeValue, coerceSingleValue } from './resource/attribute-value.coercer';
export { canonicalizeResource } from './resource/resource-document.canonicalizer';
export type { CanonicalizeOptions, CanonicalResource } from './resource/resource-document.canonicalizer';
export { prepareUserForWrite, userFieldsOf } from './resource/user-write.preparer';
export type { PreparedUserWrite, PrepareWriteOptions, UserFields } from './resource/user-write.preparer';
export { prepareGroupForWrite, groupFieldsOf } from './resource/group-write.preparer';
export type { GroupFields, PreparedGroupWrite } from './resource/group-write.preparer';
export { parseMemberInputs } from './resource/group-member.parser';
export type { MemberInput } from './resource/group-member.parser';
export { changedAttributesBetween } from './resource/changed-attributes.util';
export { keepImmutableAttributes } from './resource/immutable-attributes.util';
export { cloneJson, isJsonObject, jsonEqual } from './resource/json-value.util';
export type { JsonObject } from './resource/json-value.util';

// Projection: attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9)
export { parseAttributeList } from './projection/attribute-list.parser';
export { projectResource, resolveProjection } from './projection/resource.projector';
export type { ProjectionRequest, ResolvedProjection } from './projection/resource.projector';
export { returnsMemberships } from './projection/membership-request.util';

// PATCH (RFC 7644 §3.5.2)
export { normalizePatchRequest } from './patch/patch-request.normalizer';
export { applyPatch, applyPatchOperations } from './patch/patch.engine';
export type { PatchResult } from './patch/patch.engine';
export { patchUser } from './patch/user-patch.applier';
export type { PatchedUser } from './patch/user-patch.applier';
export { patchGroup } from './patch/group-patch.applier';
export type { PatchedGroup } from './patch/group-patch.applier';
export { MembershipDeltaBuilder } from './patch/membership-delta.builder';
export { memberIdsOf } from './patch/member-filter.util';
export type {
  AttributeOperation,
  ExtensionRemoval,
  MembershipChange,
  MembershipDelta,
  MembershipOperation,
  NormalizedPatchOperation,
  PasswordOperation,
  PatchOpName,
} from './patch/patch-operation';
