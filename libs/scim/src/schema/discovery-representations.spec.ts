import { ScimError } from '../errors/scim-error';
import { renderResourceTypeByName, renderResourceTypes } from './resource-type-representation.renderer';
import { renderSchemaById, renderSchemas } from './schema-representation.renderer';
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_SCHEMA } from './schema-definition';
import { buildServiceProviderConfig } from './service-provider-config.builder';

const BASE = 'https://delta.example.com/scim/v2/org-1';

describe('/Schemas (RFC 7643 §7, RFC 7644 §4)', () => {
  it('lists the three schemas in a ListResponse', () => {
    const list = renderSchemas(BASE) as { schemas: string[]; totalResults: number; Resources: Record<string, unknown>[] };
    expect(list.schemas).toEqual([LIST_RESPONSE_SCHEMA]);
    expect(list.totalResults).toBe(3);
    expect(list.Resources.map((r) => r.id)).toEqual([CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CORE_GROUP_SCHEMA]);
  });

  it('renders a schema with meta and full attribute characteristics', () => {
    const schema = renderSchemaById(CORE_USER_SCHEMA.toLowerCase(), `${BASE}/`) as Record<string, any>;
    expect(schema.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
    expect(schema.meta).toEqual({ resourceType: 'Schema', location: `${BASE}/Schemas/${CORE_USER_SCHEMA}` });
    expect(schema.name).toBe('User');
    const userName = schema.attributes.find((a: any) => a.name === 'userName');
    expect(userName).toEqual(expect.objectContaining({ type: 'string', multiValued: false, required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' }));
    const emails = schema.attributes.find((a: any) => a.name === 'emails');
    expect(emails.caseExact).toBeUndefined();
    expect(emails.subAttributes.map((s: any) => s.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect(emails.subAttributes[2].canonicalValues).toEqual(['work', 'home', 'other']);
    // Common attributes are not part of the schema representation (§3.1, §8.7.1).
    expect(schema.attributes.find((a: any) => a.name === 'id')).toBeUndefined();
  });

  it('404s an unknown schema', () => {
    expect(() => renderSchemaById('urn:nope', BASE)).toThrow(ScimError);
    try {
      renderSchemaById('urn:nope', BASE);
    } catch (error) {
      expect((error as ScimError).status).toBe(404);
    }
  });
});

describe('/ResourceTypes (RFC 7643 §6)', () => {
  it('lists User and Group', () => {
    const list = renderResourceTypes(BASE) as { totalResults: number; Resources: Record<string, unknown>[] };
    expect(list.totalResults).toBe(2);
    expect(list.Resources[0]).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: CORE_USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    });
  });

  it('finds one case-insensitively and 404s the rest', () => {
    expect(renderResourceTypeByName('group', BASE)).toMatchObject({ id: 'Group', endpoint: '/Groups', schemaExtensions: [] });
    expect(() => renderResourceTypeByName('Device', BASE)).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('buildServiceProviderConfig (RFC 7643 §5)', () => {
  it('says what the server supports', () => {
    const config = buildServiceProviderConfig({ baseUrl: BASE, maxResults: 200, bulk: { maxOperations: 1000, maxPayloadSize: 1048576 }, documentationUri: 'https://delta.example.com/docs' });
    expect(config).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: 'https://delta.example.com/docs',
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });

  it('honours overrides', () => {
    const config = buildServiceProviderConfig({ baseUrl: BASE, maxResults: 50, bulk: { maxOperations: 0, maxPayloadSize: 0, supported: false }, sortSupported: false, etagSupported: false });
    expect(config).toMatchObject({ bulk: { supported: false }, sort: { supported: false }, etag: { supported: false } });
    expect(config.documentationUri).toBeUndefined();
  });
});
