import { defineAttribute, stringAttribute } from './attribute-definition.factory';
import { CORE_GROUP_SCHEMA, SchemaDefinition } from './schema-definition';

/**
 * The core Group schema, RFC 7643 §4.2 and §8.7.1.
 *
 * displayName: §8.7.1 prints "required": false while its description (and §4.2) say REQUIRED;
 * we follow the normative text and require it, which is also what every IdP sends.
 * members: §4.2 makes the sub-attributes immutable; "display" is not in §8.7.1 but is one of
 * the §2.4 standard sub-attributes and IdPs (Okta) send it, so it is listed, read-only, since
 * the server derives it from the member.
 */
export const GROUP_SCHEMA: SchemaDefinition = {
  id: CORE_GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    stringAttribute('displayName', 'A human-readable name for the Group. REQUIRED.', { required: true }),
    defineAttribute('members', 'complex', 'A list of members of the Group.', { multiValued: true }, [
      stringAttribute('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
      defineAttribute('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
        mutability: 'immutable',
        referenceTypes: ['User', 'Group'],
      }),
      stringAttribute('display', 'A human-readable name for the member.', { mutability: 'readOnly' }),
      stringAttribute('type', `A label indicating the type of resource, e.g., 'User' or 'Group'.`, {
        mutability: 'immutable',
        canonicalValues: ['User', 'Group'],
      }),
    ]),
  ],
};
