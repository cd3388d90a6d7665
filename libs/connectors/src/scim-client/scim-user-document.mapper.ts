import { AttributeMappingError, compileAttributeMapping, type AttributeSource, type CompiledAttributeMapping } from '../attribute-source.util';
import type { DesiredUser } from '../app-connector';
import { ConnectorError } from '../connector-error';
import type { ScimPatchOperation } from './scim.client';
import { SCIM_USER_SCHEMA } from './scim.client';

/**
 * Builds the SCIM User an app receives from Delta's user and a connection's attribute mapping.
 * Targets are SCIM attribute paths of the app's schema (RFC 7644 §3.10 notation):
 * `userName`, `name.givenName`, `emails[type eq "work"].value`, or an extension attribute as
 * `urn:…:enterprise:2.0:User:department` (`…:manager.value` for a sub-attribute).
 */

type Json = Record<string, unknown>;

export type FallbackReader = (user: DesiredUser) => unknown;

export interface ScimUserMapping {
  readonly compiled: CompiledAttributeMapping;
  /** When a mapped target reads no value, the DesiredUser field it falls back to. */
  readonly fallbacks: Readonly<Record<string, FallbackReader>>;
}

const TARGET = /^(?:(urn:[A-Za-z0-9.:_-]+):)?([A-Za-z$][\w$-]*)(?:\[\s*([A-Za-z$][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false)\s*\])?(?:\.([A-Za-z$][\w$-]*))?$/;

interface ParsedTarget {
  readonly urn?: string;
  readonly attr: string;
  readonly filter?: { readonly attr: string; readonly value: unknown };
  readonly sub?: string;
}

/** Parses one target path; throws AttributeMappingError with the offending key. */
export function parseScimTarget(target: string): ParsedTarget {
  const m = TARGET.exec(target.trim());
  if (!m) throw new AttributeMappingError(`config.attribute_mapping: "${target}" is not a SCIM attribute path (e.g. "title", "name.givenName", "emails[type eq \\"work\\"].value", "urn:…:User:department").`);
  const [, urn, attr, fAttr, fValue, sub] = m;
  const isCore = urn === undefined || urn.toLowerCase() === SCIM_USER_SCHEMA.toLowerCase();
  if (['id', 'meta', 'schemas', 'groups', 'externalid', 'active'].includes(attr!.toLowerCase()) && isCore) {
    throw new AttributeMappingError(`config.attribute_mapping: "${target}" is set by Delta itself (id, externalId, active, groups) and cannot be mapped.`);
  }
  return {
    ...(isCore ? {} : { urn }),
    attr: attr!,
    ...(fAttr ? { filter: { attr: fAttr, value: JSON.parse(fValue!) as unknown } } : {}),
    ...(sub ? { sub } : {}),
  };
}

/** Defaults overlaid with the connection's `attribute_mapping`; a bad source or target is a permanent ConnectorError. */
export function compileScimUserMapping(defaults: Readonly<Record<string, AttributeSource>>, overrides: unknown, fallbacks: Readonly<Record<string, FallbackReader>>): ScimUserMapping {
  try {
    const compiled = compileAttributeMapping(defaults, overrides);
    for (const target of compiled.entries.keys()) parseScimTarget(target);
    return { compiled, fallbacks };
  } catch (error) {
    if (error instanceof AttributeMappingError) throw new ConnectorError('permanent', error.message);
    throw error;
  }
}

/** The mapped attributes of one user as a SCIM User body (without id/externalId/active). */
export function buildScimUserAttributes(mapping: ScimUserMapping, user: DesiredUser): Json {
  const doc: Json = {};
  for (const [target, read] of mapping.compiled.entries) {
    let value = read(user);
    if (isEmpty(value)) value = mapping.fallbacks[target]?.(user);
    if (isEmpty(value)) continue;
    setAtTarget(doc, parseScimTarget(target), value);
  }
  // RFC 7643 §2.4: one value of a multi-valued attribute may be primary; make the first email it.
  const emails = doc.emails;
  if (Array.isArray(emails) && emails.length > 0 && !emails.some((e) => (e as Json).primary === true)) (emails[0] as Json).primary = true;
  return doc;
}

/** The full document for POST/PUT (RFC 7644 §3.3, §3.5.1): schemas, mapped attributes, externalId ← Delta id, active. */
export function buildScimUser(mapping: ScimUserMapping, user: DesiredUser, options: { externalId?: boolean } = {}): Json {
  const attributes = buildScimUserAttributes(mapping, user);
  const extensions = Object.keys(attributes).filter((k) => k.startsWith('urn:'));
  return {
    schemas: [SCIM_USER_SCHEMA, ...extensions],
    ...attributes,
    // Delta's id, not the IdP's externalId: the link survives renames and IdP migrations.
    ...(options.externalId === false ? {} : { externalId: user.id }),
    active: user.active,
  };
}

/**
 * PATCH operations that bring an app's user to a document (RFC 7644 §3.5.2.3): one `replace` per
 * top-level attribute (a complex value replaces only the sub-attributes it names), one per
 * extension attribute (`urn:…:department`).
 */
export function scimReplaceOperations(document: Json): ScimPatchOperation[] {
  const ops: ScimPatchOperation[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (key === 'schemas' || key === 'id' || key === 'meta') continue;
    if (key.startsWith('urn:') && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, subValue] of Object.entries(value as Json)) ops.push({ op: 'replace', path: `${key}:${sub}`, value: subValue });
    } else ops.push({ op: 'replace', path: key, value });
  }
  return ops;
}

function setAtTarget(doc: Json, target: ParsedTarget, value: unknown): void {
  const container = target.urn ? objectAt(doc, target.urn) : doc;
  if (target.filter) {
    const list = Array.isArray(container[target.attr]) ? (container[target.attr] as Json[]) : [];
    let element = list.find((e) => e[target.filter!.attr] === target.filter!.value);
    if (!element) {
      element = { [target.filter.attr]: target.filter.value };
      list.push(element);
    }
    element[target.sub ?? 'value'] = value;
    container[target.attr] = list;
    return;
  }
  if (target.sub) objectAt(container, target.attr)[target.sub] = value;
  else container[target.attr] = value;
}

function objectAt(obj: Json, key: string): Json {
  const current = obj[key];
  if (current && typeof current === 'object' && !Array.isArray(current)) return current as Json;
  const created: Json = {};
  obj[key] = created;
  return created;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}
