import { effectiveMapping } from './effective-mapping.builder';
import { EMPTY_MAPPING_CONFIG } from './mapping-config';

describe('effectiveMapping', () => {
  it('shows the defaults when nothing is overridden', () => {
    expect(effectiveMapping(EMPTY_MAPPING_CONFIG)).toEqual({
      mapping: [
        { path: 'emails[primary eq true].value', target: 'email_address', source: 'default' },
        { path: 'userName', target: 'email_address', source: 'default' },
        { path: 'name.givenName', target: 'first_name', source: 'default' },
        { path: 'name.familyName', target: 'last_name', source: 'default' },
        { path: 'externalId', target: 'external_id', source: 'default' },
        { path: 'active', target: 'active', source: 'default' },
      ],
      expressions: [],
      group_roles: [],
      default_role: 'member',
    });
  });

  it('merges overrides, drops and additions, in precedence order', () => {
    const result = effectiveMapping({
      mapping: {
        title: 'public_metadata.title',
        USERNAME: 'public_metadata.login',
        externalId: null,
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.department': 'public_metadata.department',
      },
      expressions: { first_name: "user.displayName.split(' ')[0]", 'public_metadata.a': "'x'" },
      group_roles: [{ group: 'Admins', role: 'admin' }],
      default_role: 'viewer',
    });
    expect(result).toEqual({
      mapping: [
        { path: 'externalId', target: null, source: 'custom' },
        { path: 'title', target: 'public_metadata.title', source: 'custom' },
        { path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.department', target: 'public_metadata.department', source: 'custom' },
        { path: 'USERNAME', target: 'public_metadata.login', source: 'custom' },
        { path: 'emails[primary eq true].value', target: 'email_address', source: 'default' },
        { path: 'name.givenName', target: 'first_name', source: 'default' },
        { path: 'name.familyName', target: 'last_name', source: 'default' },
        { path: 'active', target: 'active', source: 'default' },
      ],
      expressions: [
        { target: 'first_name', expression: "user.displayName.split(' ')[0]" },
        { target: 'public_metadata.a', expression: "'x'" },
      ],
      group_roles: [{ group: 'Admins', role: 'admin' }],
      default_role: 'viewer',
    });
  });
});
