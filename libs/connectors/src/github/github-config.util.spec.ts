import { ConnectorError } from '../connector-error';
import { readGitHubSettings } from './github-config.util';
import { githubInviteRole } from './github-org.connector';

describe('readGitHubSettings', () => {
  it('defaults: organization mode, api.github.com, closed teams, email from email_address', () => {
    const settings = readGitHubSettings({ org: 'acme' }, { token: 'ghp_x' });
    expect(settings).toMatchObject({ mode: 'organization', baseUrl: 'https://api.github.com', org: 'acme', teamPrivacy: 'closed', credentials: { kind: 'token', token: 'ghp_x' } });
    expect([...settings.mapping.entries.keys()]).toEqual(['email']);
  });

  it('role_attribute becomes the role mapping; GitHub App credentials; base_url trimmed', () => {
    const settings = readGitHubSettings({ org: 'acme', base_url: 'https://ghe.example/api/v3/', role_attribute: 'organization_role' }, { app_id: 12, private_key: 'a\\nb', installation_id: '9' });
    expect(settings.baseUrl).toBe('https://ghe.example/api/v3');
    expect(settings.mapping.entries.has('role')).toBe(true);
    expect(settings.credentials).toEqual({ kind: 'app', appId: '12', privateKey: 'a\nb', installationId: '9' });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string, RegExp]>([
    ['no org', {}, { token: 't' }, 'permanent', /config\.org/],
    ['no enterprise', { mode: 'enterprise' }, { token: 't' }, 'permanent', /config\.enterprise/],
    ['bad mode', { mode: 'x', org: 'a' }, { token: 't' }, 'permanent', /config\.mode/],
    ['bad base_url', { org: 'a', base_url: 'ftp://x' }, { token: 't' }, 'permanent', /base_url/],
    ['no credentials', { org: 'a' }, {}, 'unauthorized', /"token"/],
    ['App in EMU mode', { mode: 'enterprise', enterprise: 'e' }, { app_id: 1, private_key: 'k', installation_id: 2 }, 'permanent', /GitHub Apps are not supported/],
    ['bad mapping', { org: 'a', attribute_mapping: { login: 'Not A Field' } }, { token: 't' }, 'permanent', /attribute_mapping\.login/],
    ['bad privacy', { org: 'a', team_privacy: 'open' }, { token: 't' }, 'permanent', /team_privacy/],
  ])('%s', (_label, config, credentials, kind, message) => {
    let error: unknown;
    try {
      readGitHubSettings(config, credentials);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe(kind);
    expect((error as ConnectorError).message).toMatch(message);
  });
});

describe('githubInviteRole', () => {
  it.each<[unknown, string]>([
    ['admin', 'admin'],
    ['Owner', 'admin'],
    ['billing-manager', 'billing_manager'],
    ['member', 'direct_member'],
    [undefined, 'direct_member'],
    [42, 'direct_member'],
  ])('%p → %s', (value, role) => expect(githubInviteRole(value)).toBe(role));
});
