import type { FilterNode } from '@delta/scim/filter/filter-ast';
import { filterToString } from '@delta/scim/filter/filter.serializer';
import { parsePatchPath } from '@delta/scim/path/attribute-path.parser';
import type { PatchPath } from '@delta/scim/path/attribute-path';
import { resolveAttributePath, schemaContainerOf } from '@delta/scim/schema/attribute-reference.resolver';
import { findSubAttribute } from '@delta/scim/schema/core-schemas';
import type { AttributeDefinition } from '@delta/scim/schema/schema-definition';
import { MAPPING_LIMITS } from './mapping-config';

/** A SCIM path a mapping reads from, resolved against the User schemas once, at compile time. */
export interface SourcePath {
  /** The path as the organization wrote it. */
  readonly text: string;
  /**
   * Equal for paths naming the same thing however they are spelled (`userName` / `USERNAME`,
   * `urn:…:User:department` / `urn:…:User.department`): how an override finds the default it replaces.
   */
  readonly key: string;
  /** The extension URN, for extension attributes (and whole extension objects). */
  readonly container?: string;
  /** Absent when the path names a whole extension object. */
  readonly attribute?: string;
  readonly multiValued: boolean;
  readonly filter?: FilterNode;
  /** The sub-attribute read from the selected value (`givenName` in `name.givenName`). */
  readonly subAttribute?: string;
  /** Sub-attribute definitions of the attribute, for caseExact in filters (RFC 7643 §2.4). */
  readonly subDefinitions: readonly AttributeDefinition[];
}

export type CompiledSourcePath = { readonly ok: true; readonly path: SourcePath } | { readonly ok: false; readonly message: string };

/**
 * Compiles a mapping key: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, an
 * extension attribute `urn:…:User:attr[.sub]` or in the dotted form `urn:…:User.attr` (the form
 * the Google Workspace and Okta docs write), or a whole extension `urn:…:User`. Names resolve
 * case-insensitively (RFC 7643 §2.1); unknown core attributes are refused, attributes of
 * extensions we have no schema for are taken as written.
 */
export function compileSourcePath(text: string): CompiledSourcePath {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, message: 'path must not be empty' };
  if (trimmed.length > MAPPING_LIMITS.maxPathLength) return { ok: false, message: `path is longer than ${MAPPING_LIMITS.maxPathLength} characters` };
  const container = schemaContainerOf(trimmed, 'User');
  if (container?.isCore) return { ok: false, message: 'the core User schema URN names the whole user; name one of its attributes' };
  if (container) {
    return { ok: true, path: { text, key: container.urn.toLowerCase(), container: container.urn, multiValued: false, subDefinitions: [] } };
  }
  let parsed: PatchPath;
  try {
    parsed = parsePatchPath(withColonNotation(trimmed));
  } catch (error) {
    return { ok: false, message: `invalid SCIM path: ${error instanceof Error ? error.message : String(error)}` };
  }
  const resolved = resolveAttributePath(parsed.attribute, 'User');
  if (!resolved) return { ok: false, message: `unknown attribute "${describe(parsed)}" in the User schemas` };
  const definition = resolved.definition;
  if (definition?.returned === 'never') return { ok: false, message: `${resolved.name} is never readable (RFC 7643 §4.1.1) and cannot be mapped` };
  let subAttribute = resolved.subName;
  if (parsed.subAttribute !== undefined) {
    const subDefinition = definition ? findSubAttribute(definition, parsed.subAttribute) : undefined;
    if (definition && !subDefinition) return { ok: false, message: `${resolved.name} has no sub-attribute "${parsed.subAttribute}"` };
    subAttribute = subDefinition?.name ?? parsed.subAttribute;
  }
  if (parsed.valueFilter && definition && !definition.multiValued) {
    return { ok: false, message: `${resolved.name} is single-valued; a [filter] selects elements of a multi-valued attribute (RFC 7644 §3.5.2)` };
  }
  const filterText = parsed.valueFilter ? `[${filterToString(parsed.valueFilter)}]` : '';
  const key = `${resolved.container ? `${resolved.container}:` : ''}${resolved.name}${filterText}${subAttribute !== undefined ? `.${subAttribute}` : ''}`;
  return {
    ok: true,
    path: {
      text,
      key: key.toLowerCase(),
      ...(resolved.container !== undefined ? { container: resolved.container } : {}),
      attribute: resolved.name,
      multiValued: definition?.multiValued ?? false,
      ...(parsed.valueFilter ? { filter: parsed.valueFilter } : {}),
      ...(subAttribute !== undefined ? { subAttribute } : {}),
      subDefinitions: definition?.subAttributes ?? [],
    },
  };
}

/**
 * `urn:…:User.attr[.sub]` → `urn:…:User:attr[.sub]`. The SCIM path grammar only has the colon
 * form (RFC 7644 §3.10); the dotted one is what several IdP docs print. We recognise it by the
 * schema convention that a resource extension URN ends in the resource type (RFC 7643 §3.3), and
 * only before any `[`, where a filter value could contain anything.
 */
function withColonNotation(text: string): string {
  if (!/^urn:/i.test(text)) return text;
  const bracket = text.indexOf('[');
  const head = bracket < 0 ? text : text.slice(0, bracket);
  const colon = head.lastIndexOf(':');
  const segment = head.slice(colon + 1);
  if (!/^user\./i.test(segment)) return text;
  return `${text.slice(0, colon + 1)}User:${text.slice(colon + 6)}`;
}

function describe(parsed: PatchPath): string {
  const { schema, attribute, subAttribute } = parsed.attribute;
  return `${schema ? `${schema}:` : ''}${attribute}${subAttribute ? `.${subAttribute}` : ''}`;
}
