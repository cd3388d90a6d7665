import type { AttributePath } from '../path/attribute-path';
import { COMMON_ATTRIBUTES } from './common-attributes.schema';
import { findSubAttribute, knownExtension, ResourceKind, SCHEMAS_BY_RESOURCE } from './core-schemas';
import { AttributeDefinition, CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, SchemaDefinition } from './schema-definition';

/** An attribute reference resolved against the schemas of one resource type. */
export interface ResolvedAttribute {
  /** Absent for core and common attributes; the extension URN (its canonical id when known) otherwise. */
  readonly container?: string;
  readonly extension?: SchemaDefinition;
  /** The canonical attribute name (as written, inside an unknown extension). */
  readonly name: string;
  /** Absent only inside an extension this server does not know, whose contents are kept as sent. */
  readonly definition?: AttributeDefinition;
  readonly subName?: string;
  readonly subDefinition?: AttributeDefinition;
}

/** A whole schema named by its URN: the core schema itself or an extension object. */
export interface ResolvedContainer {
  readonly urn: string;
  readonly isCore: boolean;
  readonly extension?: SchemaDefinition;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const CORE_IDS = [CORE_USER_SCHEMA, CORE_GROUP_SCHEMA];

/**
 * Whether `text` names a whole schema rather than an attribute in it. Known schema ids are
 * recognised exactly; for extensions we do not know (Entra custom extensions
 * `urn:ietf:params:scim:schemas:extension:<Name>:2.0:User`), we rely on the convention that a
 * schema URN ends with the resource type name (RFC 7643 §3.3, §8.7), so
 * `urn:…:CustomExt:2.0:User` is the container and `urn:…:CustomExt:2.0:User:costCode` an
 * attribute in it.
 */
export function schemaContainerOf(text: string, kind: ResourceKind): ResolvedContainer | undefined {
  const urn = text.trim();
  if (!/^urn:/i.test(urn)) return undefined;
  const { core } = SCHEMAS_BY_RESOURCE[kind];
  if (sameName(urn, core.id)) return { urn: core.id, isCore: true };
  const extension = knownExtension(kind, urn);
  if (extension) return { urn: extension.id, isCore: false, extension };
  if (CORE_IDS.some((id) => sameName(id, urn))) return undefined;
  const known = [core.id, ...SCHEMAS_BY_RESOURCE[kind].extensions.map((e) => e.id)];
  if (known.some((id) => urn.toLowerCase().startsWith(`${id.toLowerCase()}:`))) return undefined;
  const last = urn.slice(urn.lastIndexOf(':') + 1);
  return sameName(last, 'User') || sameName(last, 'Group') ? { urn, isCore: false } : undefined;
}

function withSub(base: Omit<ResolvedAttribute, 'subName' | 'subDefinition'>, subName: string | undefined): ResolvedAttribute | undefined {
  if (subName === undefined) return base;
  if (!base.definition) return { ...base, subName };
  const subDefinition = findSubAttribute(base.definition, subName);
  return subDefinition ? { ...base, subName: subDefinition.name, subDefinition } : undefined;
}

/**
 * Resolves a parsed attribute path (RFC 7644 §3.10) case-insensitively (RFC 7643 §2.1).
 * Returns undefined when the schema or attribute is unknown; callers decide whether that is an
 * error (a PATCH path) or ignorable (a body key, an `attributes` entry).
 *
 * Unqualified names are looked up in the core schema and common attributes, then in the known
 * extensions: clients sometimes write `manager` or `department` without the enterprise URN,
 * and the name is unambiguous.
 */
export function resolveAttributePath(path: AttributePath, kind: ResourceKind): ResolvedAttribute | undefined {
  const { core, extensions } = SCHEMAS_BY_RESOURCE[kind];
  const schema = path.schema?.trim();
  if (!schema || sameName(schema, core.id)) {
    const definition = core.attributes.find((a) => sameName(a.name, path.attribute)) ?? COMMON_ATTRIBUTES.find((a) => sameName(a.name, path.attribute));
    if (definition) return withSub({ name: definition.name, definition }, path.subAttribute);
    if (schema) return undefined;
    const matches = extensions.flatMap((extension) =>
      extension.attributes.filter((a) => sameName(a.name, path.attribute)).map((definition) => ({ extension, definition })),
    );
    if (matches.length !== 1) return undefined;
    const [{ extension, definition: found }] = matches;
    return withSub({ container: extension.id, extension, name: found.name, definition: found }, path.subAttribute);
  }
  const extension = knownExtension(kind, schema);
  if (extension) {
    const definition = extension.attributes.find((a) => sameName(a.name, path.attribute));
    return definition ? withSub({ container: extension.id, extension, name: definition.name, definition }, path.subAttribute) : undefined;
  }
  // Another resource type's core schema is not an extension of this one.
  if (CORE_IDS.some((id) => sameName(id, schema))) return undefined;
  return withSub({ container: schema, name: path.attribute }, path.subAttribute);
}

/** What a textual attribute reference (a body key, an `attributes` entry) names. */
export type ResolvedReference =
  | { readonly kind: 'container'; readonly container: ResolvedContainer }
  | { readonly kind: 'attribute'; readonly attribute: ResolvedAttribute };

/**
 * Resolves a reference written in RFC 7644 §3.10 attribute notation without a filter:
 * `attr`, `attr.sub`, `urn:…:attr[.sub]`, a whole schema URN, and the dotted
 * `urn:…:enterprise:2.0:User.department` some clients write. Known schema ids are matched as
 * prefixes, which is what tells the URN from the attribute (the URN itself contains colons).
 * An unknown URN that does not split into `<schema ending in :User or :Group>:<attr>` is taken
 * as an opaque extension key, kept as sent.
 */
export function resolveAttributeReference(text: string, kind: ResourceKind): ResolvedReference | undefined {
  const trimmed = text.trim();
  const container = schemaContainerOf(trimmed, kind);
  if (container) return { kind: 'container', container };
  let schema: string | undefined;
  let rest = trimmed;
  if (/^urn:/i.test(trimmed)) {
    const { core, extensions } = SCHEMAS_BY_RESOURCE[kind];
    const lower = trimmed.toLowerCase();
    const known = [core.id, ...extensions.map((e) => e.id)].find((id) => lower.startsWith(`${id.toLowerCase()}:`) || lower.startsWith(`${id.toLowerCase()}.`));
    if (known) {
      schema = known;
    } else {
      const at = trimmed.lastIndexOf(':');
      if (!schemaContainerOf(trimmed.slice(0, at), kind)) {
        return CORE_IDS.some((id) => lower.startsWith(id.toLowerCase())) ? undefined : { kind: 'container', container: { urn: trimmed, isCore: false } };
      }
      schema = trimmed.slice(0, at);
    }
    rest = trimmed.slice(schema.length + 1);
  }
  const dot = rest.indexOf('.');
  const attribute = dot < 0 ? rest : rest.slice(0, dot);
  const subAttribute = dot < 0 ? undefined : rest.slice(dot + 1);
  if (!attribute || subAttribute === '' || subAttribute?.includes('.')) return undefined;
  const resolved = resolveAttributePath({ schema, attribute, subAttribute }, kind);
  return resolved ? { kind: 'attribute', attribute: resolved } : undefined;
}
