/**
 * @delta/mapping: from a stored SCIM User document to the provisioned user's fields, per
 * organization. Pure TypeScript: no Nest, no database, no HTTP.
 *
 * validateMappingConfig (on save) → compileMapping (once per configuration) → mapUser (per user);
 * effectiveMapping for the admin API; diffMappedUsers for update events when re-mapping.
 */
export {
  DEFAULT_ROLE,
  EMPTY_MAPPING_CONFIG,
  MAPPING_LIMITS,
  METADATA_FIELDS,
  USER_FIELDS,
} from './mapping-config';
export type {
  ConfigError,
  GroupRoleRule,
  MappedUser,
  MappingConfig,
  MappingError,
  MapUserResult,
  MetadataField,
  UserField,
  UserGroup,
} from './mapping-config';
export { DEFAULT_MAPPINGS } from './default-mappings';
export type { DefaultMapping } from './default-mappings';
export { validateMappingConfig } from './mapping-config.validator';
export type { MappingConfigValidation } from './mapping-config.validator';
export { compileMapping } from './mapping.compiler';
export type { CompiledMapping } from './mapping.compiler';
export { mapUser } from './user.mapper';
export { effectiveMapping } from './effective-mapping.builder';
export type { EffectiveMapping, EffectiveMappingEntry } from './effective-mapping.builder';
export { diffMappedUsers } from './mapped-user.differ';
export { mappingUsesGroups } from './mapping-dependencies.util';
export { parseMappingTarget } from './mapping-target.parser';
export type { MappingTarget } from './mapping-target.parser';
