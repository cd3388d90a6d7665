import { ScimError } from '../errors/scim-error';
import { resolveAttributePath, resolveAttributeReference, ResolvedAttribute } from '../schema/attribute-reference.resolver';
import { ResourceKind, SCHEMAS_BY_RESOURCE } from '../schema/core-schemas';
import { coerceAttributeValue } from './attribute-value.coercer';
import { cloneJson, findKey, isJsonObject, JsonObject } from './json-value.util';

export interface CanonicalizeOptions {
  /** Group members are rows, not document content: hand them back raw instead of storing them. */
  readonly detachMembers?: boolean;
  /** Check required attributes (RFC 7643 §2.2). Off when re-reading a stored document. */
  readonly checkRequired?: boolean;
}

export interface CanonicalResource {
  /** The document to store: canonical names, typed values, no readOnly or writeOnly attributes. */
  readonly document: JsonObject;
  /** The writeOnly password (RFC 7643 §4.1.1), for the caller to hash; never in the document. */
  readonly password?: string;
  /** With detachMembers: whether the body named `members`, and its raw value. */
  readonly membersPresent: boolean;
  readonly members?: unknown;
  /** Body keys that name no attribute of the resource type; dropped. */
  readonly ignoredAttributes: readonly string[];
}

interface State {
  readonly kind: ResourceKind;
  readonly options: CanonicalizeOptions;
  readonly document: JsonObject;
  readonly ignored: string[];
  password?: string;
  membersPresent: boolean;
  members?: unknown;
}

function containerOf(document: JsonObject, urn: string): JsonObject {
  const key = findKey(document, urn) ?? urn;
  const existing = document[key];
  if (isJsonObject(existing)) return existing;
  const created: JsonObject = {};
  document[key] = created;
  return created;
}

function labelOf(attribute: ResolvedAttribute): string {
  const name = attribute.subName ? `${attribute.name}.${attribute.subName}` : attribute.name;
  return attribute.container ? `${attribute.container}:${name}` : name;
}

function place(state: State, attribute: ResolvedAttribute, value: unknown): void {
  const { definition, subDefinition } = attribute;
  const label = labelOf(attribute);
  if (!definition) {
    // An attribute of an extension we do not know (an Entra custom extension, Google's
    // gsuite URNs): kept as sent.
    if (value === null) return;
    const container = containerOf(state.document, attribute.container!);
    if (attribute.subName === undefined) container[attribute.name] = cloneJson(value);
    else container[attribute.name] = { ...(isJsonObject(container[attribute.name]) ? (container[attribute.name] as JsonObject) : {}), [attribute.subName]: cloneJson(value) };
    return;
  }
  // RFC 7644 §3.5.1: readOnly values in a request are ignored (clients echo id, meta, groups).
  if (definition.mutability === 'readOnly' || subDefinition?.mutability === 'readOnly') return;
  if (definition.mutability === 'writeOnly') {
    const password = coerceAttributeValue(definition, value, label);
    if (password !== undefined) state.password = password as string;
    return;
  }
  if (state.options.detachMembers && !attribute.container && definition.name === 'members') {
    state.membersPresent = true;
    state.members = attribute.subName === undefined ? value : undefined;
    return;
  }
  const target = attribute.container ? containerOf(state.document, attribute.container) : state.document;
  if (subDefinition) {
    // A dotted key in a body (`"name.givenName": "x"`): merged into the complex value.
    if (definition.multiValued) {
      state.ignored.push(label);
      return;
    }
    const coerced = coerceAttributeValue(subDefinition, value, label);
    if (coerced === undefined) return;
    target[definition.name] = { ...(isJsonObject(target[definition.name]) ? (target[definition.name] as JsonObject) : {}), [subDefinition.name]: coerced };
    return;
  }
  const coerced = coerceAttributeValue(definition, value, label);
  if (coerced === undefined) return;
  const previous = target[definition.name];
  if (previous !== undefined) {
    if (!definition.multiValued && isJsonObject(previous) && isJsonObject(coerced)) {
      target[definition.name] = { ...previous, ...coerced };
      return;
    }
    throw ScimError.badRequest('invalidSyntax', `${label} is given more than once (attribute names are case-insensitive).`);
  }
  target[definition.name] = coerced;
}

function checkSchemas(value: unknown): void {
  // RFC 7643 §3: "schemas" is a list of URIs. It is not stored: the representation derives it
  // from the extensions the document carries. Its absence is tolerated (the endpoint already
  // says which resource type this is); a malformed one is not.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((urn) => typeof urn !== 'string')) {
    throw ScimError.badRequest('invalidSyntax', 'schemas: expected an array of schema URIs.');
  }
}

function addEntry(state: State, key: string, value: unknown, inCoreContainer: boolean): void {
  if (!inCoreContainer && key.toLowerCase() === 'schemas') return checkSchemas(value);
  const reference = resolveAttributeReference(key, state.kind);
  if (!reference) {
    state.ignored.push(key);
    return;
  }
  if (reference.kind === 'attribute') return place(state, reference.attribute, value);
  const { container } = reference;
  if (value === null) return;
  if (container.isCore || container.extension) {
    if (!isJsonObject(value)) throw ScimError.badRequest('invalidValue', `${container.urn}: expected an object of attributes.`);
    for (const [innerKey, innerValue] of Object.entries(value)) {
      if (container.isCore) {
        // The core attributes nested under their own URN: not the RFC 7643 §3 shape, accepted.
        if (!inCoreContainer) addEntry(state, innerKey, innerValue, true);
        continue;
      }
      const dot = innerKey.indexOf('.');
      const attribute = resolveAttributePath(
        dot < 0 ? { schema: container.urn, attribute: innerKey } : { schema: container.urn, attribute: innerKey.slice(0, dot), subAttribute: innerKey.slice(dot + 1) },
        state.kind,
      );
      if (attribute) place(state, attribute, innerValue);
      else state.ignored.push(`${container.urn}:${innerKey}`);
    }
    return;
  }
  // An extension this server does not know: kept intact under its URN.
  const existingKey = findKey(state.document, container.urn) ?? container.urn;
  const existing = state.document[existingKey];
  state.document[existingKey] = isJsonObject(existing) && isJsonObject(value) ? { ...existing, ...cloneJson(value) } : cloneJson(value);
}

function checkRequired(state: State): void {
  const { core, extensions } = SCHEMAS_BY_RESOURCE[state.kind];
  const required = [
    ...core.attributes.filter((a) => a.required).map((definition) => ({ definition, holder: state.document as JsonObject | undefined, label: definition.name })),
    ...extensions.flatMap((extension) => {
      const holder = state.document[extension.id];
      return isJsonObject(holder) ? extension.attributes.filter((a) => a.required).map((definition) => ({ definition, holder, label: `${extension.id}:${definition.name}` })) : [];
    }),
  ];
  for (const { definition, holder, label } of required) {
    const value = holder?.[definition.name];
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      throw ScimError.badRequest('invalidValue', `${label} is required and must not be empty.`);
    }
  }
}

/**
 * Validates and canonicalizes a resource body (RFC 7643 §2, §3): attribute names in their
 * schema spelling whatever case the client used (§2.1), values typed per schema with IdP
 * coercions, null and empty values dropped as unassigned (RFC 7644 §3.5.1, RFC 7643 §2.5),
 * readOnly attributes ignored, the password pulled out, extension attributes under their URN,
 * unknown extensions kept intact, unknown attributes dropped and reported.
 */
export function canonicalizeResource(body: unknown, kind: ResourceKind, options: CanonicalizeOptions = {}): CanonicalResource {
  if (!isJsonObject(body)) throw ScimError.badRequest('invalidSyntax', `The ${kind} must be a JSON object.`);
  const state: State = { kind, options, document: {}, ignored: [], membersPresent: false };
  for (const [key, value] of Object.entries(body)) addEntry(state, key, value, false);
  for (const key of Object.keys(state.document)) {
    // An extension object whose attributes were all null or dropped is unassigned.
    if (/^urn:/i.test(key) && isJsonObject(state.document[key]) && Object.keys(state.document[key] as JsonObject).length === 0) delete state.document[key];
  }
  if (options.checkRequired !== false) checkRequired(state);
  return {
    document: state.document,
    ...(state.password !== undefined ? { password: state.password } : {}),
    membersPresent: state.membersPresent,
    ...(state.membersPresent ? { members: state.members } : {}),
    ignoredAttributes: state.ignored,
  };
}
