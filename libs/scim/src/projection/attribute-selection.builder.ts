import { resolveAttributeReference } from '../schema/attribute-reference.resolver';
import type { ResourceKind } from '../schema/core-schemas';

/** Where an attribute lives: '' for core and common attributes, else the lower-cased URN. */
export type ContainerKey = string;

/** A set of attribute names from `attributes` or `excludedAttributes`, resolved against the schemas. */
export interface AttributeSelection {
  /** Whole schemas named by URN (the core URN as ''). */
  readonly containers: ReadonlySet<ContainerKey>;
  /** Attributes named as a whole: `${container}|${lower name}`. */
  readonly whole: ReadonlySet<string>;
  /** Attributes named through sub-attributes: key → lower-cased sub-attribute names. */
  readonly subs: ReadonlyMap<string, ReadonlySet<string>>;
}

export const attributeKey = (container: ContainerKey, name: string): string => `${container}|${name.toLowerCase()}`;

/**
 * Resolves each name case-insensitively (RFC 7643 §2.1). Names that match no attribute are
 * ignored: RFC 7644 §3.9 gives no error for them, and a client asking for an attribute we do
 * not have simply does not get it.
 */
export function buildAttributeSelection(names: readonly string[], kind: ResourceKind): AttributeSelection {
  const containers = new Set<ContainerKey>();
  const whole = new Set<string>();
  const subs = new Map<string, Set<string>>();
  for (const name of names) {
    const reference = resolveAttributeReference(name, kind);
    if (!reference) continue;
    if (reference.kind === 'container') {
      containers.add(reference.container.isCore ? '' : reference.container.urn.toLowerCase());
      continue;
    }
    const { attribute } = reference;
    const key = attributeKey(attribute.container?.toLowerCase() ?? '', attribute.name);
    if (attribute.subName === undefined) {
      whole.add(key);
    } else {
      const set = subs.get(key) ?? new Set<string>();
      set.add(attribute.subName.toLowerCase());
      subs.set(key, set);
    }
  }
  return { containers, whole, subs };
}
