import { findAttribute, knownExtension, ResourceKind } from '../schema/core-schemas';
import type { AttributeDefinition } from '../schema/schema-definition';
import { isJsonObject, JsonObject } from '../resource/json-value.util';
import { AttributeSelection, attributeKey, buildAttributeSelection, ContainerKey } from './attribute-selection.builder';

/** The `attributes` and `excludedAttributes` of a request (RFC 7644 §3.4.2.5), already split. */
export interface ProjectionRequest {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

/** A projection request resolved once, applied to every resource of a list. */
export interface ResolvedProjection {
  readonly include?: AttributeSelection;
  readonly exclude?: AttributeSelection;
}

/** No `attributes`, no `excludedAttributes`: the common case, resolved once. */
const EVERYTHING: ResolvedProjection = Object.freeze({});

export function resolveProjection(request: ProjectionRequest, kind: ResourceKind): ResolvedProjection {
  if (!request.attributes?.length && !request.excludedAttributes?.length) return EVERYTHING;
  return {
    ...(request.attributes?.length ? { include: buildAttributeSelection(request.attributes, kind) } : {}),
    ...(request.excludedAttributes?.length ? { exclude: buildAttributeSelection(request.excludedAttributes, kind) } : {}),
  };
}

/** Attribute names as stored resources spell them → their definition; bounded, names are few. */
const DEFINITIONS: { readonly [K in ResourceKind]: Map<string, AttributeDefinition | null> } = { User: new Map(), Group: new Map() };
const MAX_REMEMBERED_NAMES = 1000;

function definitionOf(kind: ResourceKind, name: string): AttributeDefinition | undefined {
  const known = DEFINITIONS[kind].get(name);
  if (known !== undefined) return known ?? undefined;
  const definition = findAttribute(kind, name);
  if (DEFINITIONS[kind].size < MAX_REMEMBERED_NAMES) DEFINITIONS[kind].set(name, definition ?? null);
  return definition;
}

function projectElement(element: JsonObject, definition: AttributeDefinition | undefined, only: ReadonlySet<string> | undefined, excluded: ReadonlySet<string> | undefined): JsonObject | undefined {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(element)) {
    const sub = definition?.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
    const returned = sub?.returned ?? 'default';
    const lower = key.toLowerCase();
    if (returned === 'never') continue;
    if (returned !== 'always') {
      if (only ? !only.has(lower) : returned === 'request') continue;
      if (excluded?.has(lower)) continue;
    }
    result[key] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Applies sub-attribute selection to a complex value, or to each element of a multi-valued one. */
function projectValue(value: unknown, definition: AttributeDefinition | undefined, only: ReadonlySet<string> | undefined, excluded: ReadonlySet<string> | undefined): unknown {
  const hasSubRules = only || excluded || definition?.subAttributes?.some((s) => s.returned === 'never' || s.returned === 'request');
  if (!hasSubRules) return value;
  if (isJsonObject(value)) return projectElement(value, definition, only, excluded);
  if (Array.isArray(value)) {
    const elements = value.map((element) => (isJsonObject(element) ? projectElement(element, definition, only, excluded) : element)).filter((e) => e !== undefined);
    return elements.length > 0 ? elements : undefined;
  }
  return only ? undefined : value;
}

/**
 * One attribute under the "returned" characteristic (RFC 7643 §2.2, §7) and the request:
 * "never" is never returned; "always" always, whatever the request says; "request" only when
 * named in `attributes`; "default" unless `attributes` is given without it, or it is excluded.
 * Returns undefined when the attribute is left out.
 */
export function projectAttribute(
  name: string,
  value: unknown,
  definition: AttributeDefinition | undefined,
  container: ContainerKey,
  projection: ResolvedProjection,
): unknown {
  const returned = definition?.returned ?? 'default';
  if (returned === 'never') return undefined;
  if (returned === 'always') return projectValue(value, definition, undefined, undefined);
  const key = attributeKey(container, definition?.name ?? name);
  const { include, exclude } = projection;
  let only: ReadonlySet<string> | undefined;
  if (include) {
    const named = include.whole.has(key);
    const namedSubs = include.subs.get(key);
    const viaContainer = include.containers.has(container);
    if (returned === 'request' && !named && !namedSubs) return undefined;
    if (!named && !namedSubs && !viaContainer) return undefined;
    if (!named && !viaContainer) only = namedSubs;
  } else if (returned === 'request') {
    return undefined;
  }
  if (exclude && (exclude.whole.has(key) || exclude.containers.has(container))) return undefined;
  return projectValue(value, definition, only, exclude?.subs.get(key));
}

function projectHolder(holder: JsonObject, attributes: readonly AttributeDefinition[] | undefined, container: ContainerKey, projection: ResolvedProjection): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(holder)) {
    const definition = attributes?.find((a) => a.name.toLowerCase() === key.toLowerCase());
    const projected = projectAttribute(key, value, definition, container, projection);
    if (projected !== undefined) result[key] = projected;
  }
  return result;
}

/**
 * The representation to send for `resource` (RFC 7644 §3.4.2.5, §3.9): `schemas` and the
 * "always" attributes (id) are kept, "never" ones (password) dropped, `attributes` narrows to
 * the named attributes, sub-attributes (`name.givenName`, `emails.value`), URN-qualified
 * attributes and whole extensions; `excludedAttributes` then removes what it names. When both
 * are given, both apply. Names are case-insensitive. The resource is not modified.
 */
export function projectResource(resource: JsonObject, request: ProjectionRequest | ResolvedProjection, kind: ResourceKind): JsonObject {
  const projection = 'include' in request || 'exclude' in request ? (request as ResolvedProjection) : resolveProjection(request as ProjectionRequest, kind);
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === 'schemas') {
      result[key] = value;
      continue;
    }
    if (/^urn:/i.test(key)) {
      const container = key.toLowerCase();
      if (isJsonObject(value)) {
        const projected = projectHolder(value, knownExtension(kind, key)?.attributes, container, projection);
        if (Object.keys(projected).length > 0) result[key] = projected;
      } else if ((!projection.include || projection.include.containers.has(container)) && !projection.exclude?.containers.has(container)) {
        result[key] = value;
      }
      continue;
    }
    const projected = projectAttribute(key, value, definitionOf(kind, key), '', projection);
    if (projected !== undefined) result[key] = projected;
  }
  return result;
}
