import { compileSourcePath } from '@delta/mapping/scim-source-path.compiler';
import { readSourcePath } from '@delta/mapping/scim-value.reader';
import type { DesiredUser } from './app-connector';

/**
 * Where an app attribute takes its value from, in a connection's `config.attribute_mapping`
 * (`{"<app attribute>": "<source>"}`): a field of the product's mapped user (`email_address`,
 * `first_name`, `organization_role`, `public_metadata.department`, …) or, prefixed with `scim:`,
 * any SCIM path of the stored user (`scim:title`, `scim:phoneNumbers[type eq "mobile"].value`,
 * `scim:urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`). `null` drops a
 * default. Each connector documents its defaults.
 */
export type AttributeSource = string;

export interface CompiledAttributeMapping {
  /** App attribute → reader of its value for one user. */
  readonly entries: ReadonlyMap<string, (user: DesiredUser) => unknown>;
}

export class AttributeMappingError extends Error {}

function profileReader(path: string): (user: DesiredUser) => unknown {
  const [head, ...rest] = path.split('.');
  return (user) => {
    let value: unknown = user.profile[head!];
    for (const key of rest) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  };
}

/** Defaults overlaid with a connection's overrides; validated, so a bad source fails at save time. */
export function compileAttributeMapping(defaults: Readonly<Record<string, AttributeSource>>, overrides: unknown): CompiledAttributeMapping {
  if (overrides !== undefined && (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides))) {
    throw new AttributeMappingError('config.attribute_mapping must be an object of "<app attribute>": "<source>" pairs.');
  }
  const merged: Record<string, AttributeSource | null> = { ...defaults, ...(overrides as Record<string, AttributeSource | null> | undefined) };
  const entries = new Map<string, (user: DesiredUser) => unknown>();
  for (const [target, source] of Object.entries(merged)) {
    if (source === null) continue;
    if (typeof source !== 'string' || source.trim() === '') throw new AttributeMappingError(`config.attribute_mapping.${target} must be a source string or null.`);
    if (source.startsWith('scim:')) {
      const compiled = compileSourcePath(source.slice('scim:'.length));
      if (!compiled.ok) throw new AttributeMappingError(`config.attribute_mapping.${target}: ${compiled.message}`);
      entries.set(target, (user) => readSourcePath(compiled.path, user.scim));
    } else {
      if (!/^[a-z_]+(\.[A-Za-z0-9_-]+)*$/.test(source)) throw new AttributeMappingError(`config.attribute_mapping.${target}: "${source}" is not a user field; prefix SCIM paths with "scim:".`);
      entries.set(target, profileReader(source));
    }
  }
  return { entries };
}

/** The mapped attribute values of one user, leaving out what has no value. */
export function mappedAttributes(mapping: CompiledAttributeMapping, user: DesiredUser): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [target, read] of mapping.entries) {
    const value = read(user);
    if (value !== undefined && value !== null && value !== '') result[target] = value;
  }
  return result;
}
