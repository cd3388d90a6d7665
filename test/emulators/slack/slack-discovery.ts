import { GROUP_SCHEMA, USER_SCHEMA } from '../scim/scim-directory';

/**
 * Discovery documents of the Slack SCIM v2 API (ref §1.1, §1.3): `ServiceProviderConfig`,
 * `ResourceTypes` (v2 only) and `Schemas/Users|Groups`. The capability flags follow what the
 * emulator implements and ref §1.5 (filter yes, max 1000 results); Slack's exact documents were
 * not captured, so connectors must not depend on the wording.
 */

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SLACK_GUEST_SCHEMA = 'urn:ietf:params:scim:schemas:extension:slack:guest:2.0:User';

export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://docs.slack.dev/reference/scim-api/scim-api-2',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 1000 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Slack user token (xoxp-) with the admin scope', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string): Record<string, unknown> {
  const types = [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: SLACK_GUEST_SCHEMA, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: types.length, itemsPerPage: types.length, startIndex: 1, Resources: types };
}

/** Attribute lists from ref §1.4 (the Java SDK's `scim2.model.User`), without full sub-attribute detail. */
export function schema(kind: 'Users' | 'Groups'): Record<string, unknown> {
  const attr = (name: string, required = false, multiValued = false) => ({ name, type: 'string', multiValued, required, mutability: 'readWrite' });
  const attributes =
    kind === 'Users'
      ? [
          attr('userName', true),
          attr('name'),
          attr('displayName'),
          attr('nickName'),
          attr('title'),
          attr('externalId'),
          { ...attr('active'), type: 'boolean' },
          attr('emails', true, true),
          attr('phoneNumbers', false, true),
          attr('addresses', false, true),
          attr('photos', false, true),
          attr('roles', false, true),
          attr('userType'),
          attr('preferredLanguage'),
          attr('locale'),
          attr('timezone'),
          attr('profileUrl'),
          { ...attr('password'), mutability: 'writeOnly' },
          { ...attr('groups', false, true), mutability: 'readOnly' },
        ]
      : [attr('displayName', true), attr('members', false, true)];
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id: kind === 'Users' ? USER_SCHEMA : GROUP_SCHEMA, name: kind.slice(0, -1), attributes };
}
