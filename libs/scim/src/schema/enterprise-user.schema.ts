import { defineAttribute, stringAttribute } from './attribute-definition.factory';
import { ENTERPRISE_USER_SCHEMA, SchemaDefinition } from './schema-definition';

/** The Enterprise User extension, RFC 7643 §4.3 and its §8.7.1 representation. */
export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    stringAttribute('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.'),
    stringAttribute('costCenter', 'Identifies the name of a cost center.'),
    stringAttribute('organization', 'Identifies the name of an organization.'),
    stringAttribute('division', 'Identifies the name of a division.'),
    stringAttribute('department', 'Identifies the name of a department.'),
    defineAttribute('manager', 'complex', `The User's manager. A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.`, {}, [
      stringAttribute('value', 'The id of the SCIM resource representing the User\'s manager. RECOMMENDED.'),
      defineAttribute('$ref', 'reference', `The URI of the SCIM resource representing the User's manager. RECOMMENDED.`, { referenceTypes: ['User'] }),
      stringAttribute('displayName', `The displayName of the User's manager. OPTIONAL and READ-ONLY.`, { mutability: 'readOnly' }),
    ]),
  ],
};
