import { defineAttribute, stringAttribute } from './attribute-definition.factory';
import type { AttributeDefinition } from './schema-definition';

/**
 * RFC 7643 §3.1 common attributes, part of every resource but of no schema: they are not
 * listed in the /Schemas representations (§8.7.1 omits them too).
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  stringAttribute('id', 'A unique identifier for a SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  stringAttribute('externalId', 'A String that is an identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  defineAttribute('meta', 'complex', 'A complex attribute containing resource metadata.', { mutability: 'readOnly' }, [
    stringAttribute('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
    defineAttribute('created', 'dateTime', 'The DateTime that the resource was added to the service provider.', { mutability: 'readOnly' }),
    defineAttribute('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated at the service provider.', {
      mutability: 'readOnly',
    }),
    defineAttribute('location', 'reference', 'The URI of the resource being returned.', { mutability: 'readOnly', referenceTypes: ['uri'] }),
    stringAttribute('version', 'The version of the resource being returned (its ETag, RFC 7644 §3.14).', { caseExact: true, mutability: 'readOnly' }),
  ]),
];
