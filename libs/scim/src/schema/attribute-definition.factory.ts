import type { AttributeDefinition, AttributeType } from './schema-definition';

export type AttributeOptions = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'subAttributes'>>;

/**
 * Builds an attribute definition with the RFC 7643 §2.2 defaults ("required" false,
 * "caseExact" false, "mutability" readWrite, "returned" default, "uniqueness" none), so the
 * schema files only spell out what differs from them, as RFC 7643 §8.7.1 reads.
 */
export function defineAttribute(
  name: string,
  type: AttributeType,
  description: string,
  options: AttributeOptions = {},
  subAttributes?: readonly AttributeDefinition[],
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
    ...(subAttributes ? { subAttributes } : {}),
  };
}

export function stringAttribute(name: string, description: string, options: AttributeOptions = {}): AttributeDefinition {
  return defineAttribute(name, 'string', description, options);
}

/**
 * A multi-valued complex attribute with the standard sub-attributes of RFC 7643 §2.4
 * ("value", "display", "type", "primary"), as §8.7.1 defines emails, phoneNumbers, ims,
 * photos, entitlements, roles and x509Certificates.
 */
export function multiValuedAttribute(
  name: string,
  description: string,
  value: { type: AttributeType; description: string; referenceTypes?: readonly string[] },
  typeCanonicalValues?: readonly string[],
): AttributeDefinition {
  return defineAttribute(name, 'complex', description, { multiValued: true }, [
    defineAttribute('value', value.type, value.description, value.referenceTypes ? { referenceTypes: value.referenceTypes } : {}),
    stringAttribute('display', 'A human-readable name, primarily used for display purposes.'),
    stringAttribute('type', `A label indicating the attribute's function.`, typeCanonicalValues ? { canonicalValues: typeCanonicalValues } : {}),
    defineAttribute('primary', 'boolean', `A Boolean value indicating the 'primary' or preferred attribute value for this attribute. The primary attribute value 'true' MUST appear no more than once.`),
  ]);
}
