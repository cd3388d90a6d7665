import type { ConnectorSettings } from '../app-connector';
import { parseGoogleSettings } from './google-settings.util';

const SA = { type: 'service_account', client_email: 'sa@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' };
const settings = (config: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}): ConnectorSettings => ({
  organizationId: 'o',
  connectionId: 'c',
  config,
  credentials: { service_account_json: JSON.stringify(SA), subject: 'admin@example.com', ...credentials },
});

describe('Google connection settings', () => {
  it('has defaults', () => {
    expect(parseGoogleSettings(settings())).toMatchObject({
      clientEmail: SA.client_email,
      subject: 'admin@example.com',
      customer: 'my_customer',
      domain: 'example.com',
      groupEmailTemplate: '{slug}@{domain}',
      orgUnits: {},
      leaverLeavesAllGroups: true,
      iamRules: [],
    });
  });

  it('reads config.iam bindings, normalizing bare project ids', () => {
    const parsed = parseGoogleSettings(settings({ base_url: 'http://127.0.0.1:9/', iam: { bindings: [{ group: 'Eng', project: 'delta-prod', role: 'roles/viewer' }, { group: 'Ops', project: 'folders/12', role: 'roles/browser' }] } }));
    expect(parsed.baseUrl).toBe('http://127.0.0.1:9');
    expect(parsed.iamRules).toEqual([
      { group: 'Eng', resource: 'projects/delta-prod', role: 'roles/viewer' },
      { group: 'Ops', resource: 'folders/12', role: 'roles/browser' },
    ]);
  });

  it.each([
    [{ iam: { bindings: [{ group: 'Eng', project: 'p', role: 'viewer' }] } }, /role must be a role name/],
    [{ iam: [] }, /config.iam must be/],
    [{ org_unit_map: { Eng: 3 } }, /org_unit_map/],
    [{ org_unit_template: '/Staff' }, /\{value\}/],
    [{ group_email_template: '{slug}' }, /must contain "@"/],
    [{ attribute_mapping: { phone: 'scim:phoneNumbers[type eq "work"].value' } }, /not a Google user attribute/],
    [{ attribute_mapping: { 'organizations.title': 'scim:nope' } }, /organizations.title/],
    [{ base_url: 'ftp://x' }, /base_url/],
    [{ deprovision: { remove_from_all_groups: 'yes' } }, /remove_from_all_groups/],
  ])('refuses bad config %j', (config, message) => {
    expect(() => parseGoogleSettings(settings(config))).toThrow(expect.objectContaining({ kind: 'permanent', message: expect.stringMatching(message) }));
  });

  it('refuses unusable credentials as unauthorized', () => {
    for (const credentials of [{ service_account_json: 'not json' }, { service_account_json: { client_email: 'x' } }, { subject: 'admin' }, { subject: undefined }]) {
      expect(() => parseGoogleSettings(settings({}, credentials))).toThrow(expect.objectContaining({ kind: 'unauthorized' }));
    }
  });
});
