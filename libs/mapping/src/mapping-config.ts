/**
 * The per-organization attribute-mapping configuration and the shapes the mapping produces.
 * Field names are snake_case because this is what the admin REST API stores and returns.
 */

/** The first-class user fields a mapping can write (product spec: "provisioned user"). */
export const USER_FIELDS = ['email_address', 'first_name', 'last_name', 'external_id', 'active', 'organization_role'] as const;
export type UserField = (typeof USER_FIELDS)[number];

/** The two JSON-object fields a mapping can write into, at a dotted path. */
export const METADATA_FIELDS = ['public_metadata', 'private_metadata'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export interface GroupRoleRule {
  /** A group display name (matched case-insensitively) or a group id (matched exactly). */
  readonly group: string;
  readonly role: string;
}

export interface MappingConfig {
  /** SCIM path → target; a `null` target drops the default mapping of that path. */
  readonly mapping: Readonly<Record<string, string | null>>;
  /** target → CEL expression over `user` (and `groups`). */
  readonly expressions: Readonly<Record<string, string>>;
  /** In priority order: the first rule whose group the user is in sets the role. */
  readonly group_roles: readonly GroupRoleRule[];
  readonly default_role: string;
}

export const DEFAULT_ROLE = 'member';

export const EMPTY_MAPPING_CONFIG: MappingConfig = Object.freeze({
  mapping: Object.freeze({}),
  expressions: Object.freeze({}),
  group_roles: Object.freeze([]),
  default_role: DEFAULT_ROLE,
});

/** A group the user belongs to, as the role rules (and CEL `groups`) see it. */
export interface UserGroup {
  readonly id: string;
  readonly display_name: string;
}

export interface MappedUser {
  email_address: string | null;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
  active: boolean;
  organization_role: string | null;
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
}

/** A problem computing one target for one user; the rest of the user is still mapped. */
export interface MappingError {
  readonly target: string;
  readonly message: string;
}

export interface MapUserResult {
  readonly fields: MappedUser;
  readonly errors: readonly MappingError[];
}

/** A configuration problem, named by where it is in the request body (e.g. `mapping.title`). */
export interface ConfigError {
  readonly key: string;
  readonly message: string;
}

/**
 * Bounds on what one organization may configure. They keep validation cheap and bound the
 * per-user cost of re-mapping a whole organization.
 */
export const MAPPING_LIMITS = Object.freeze({
  maxMappingEntries: 100,
  maxExpressions: 50,
  maxGroupRoles: 100,
  maxPathLength: 512,
  maxTargetLength: 256,
  maxMetadataDepth: 5,
  maxMetadataSegmentLength: 64,
  maxRoleLength: 64,
  maxGroupLength: 256,
  maxExpressionLength: 1024,
  /** Parse-time structural limits handed to the CEL parser. */
  maxExpressionAstNodes: 200,
  maxExpressionDepth: 32,
  /** Wall-clock bound for one evaluation of an expression that can loop (see cel-expression.evaluator). */
  expressionTimeoutMs: 250,
  /** Serialized JSON size bound of one expression result. */
  maxExpressionOutputBytes: 64 * 1024,
});
