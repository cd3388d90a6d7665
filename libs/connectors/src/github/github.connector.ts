import type { AppConnector, ConnectorSettings } from '../app-connector';
import { readGitHubSettings } from './github-config.util';
import { GitHubEmuConnector } from './github-emu.connector';
import { type GitHubClientTuning, createGitHubClient } from './github-octokit.factory';
import { GitHubOrgConnector } from './github-org.connector';

/**
 * The GitHub connector (issue 6), in one of two modes chosen by `config.mode`:
 * - `organization` (default): org membership and teams through the REST API with Octokit
 *   (reference §2.4, §2.6). Config `{org, base_url?, role_attribute?, attribute_mapping?
 *   {email, login, role}, team_privacy?}`; credentials `{token}` (classic PAT with admin:org of
 *   an org owner, or a fine-grained PAT with Members read and write) or a GitHub App
 *   `{app_id, private_key, installation_id}`.
 * - `enterprise`: Enterprise Managed Users through the EMU SCIM API (§2.2). Config
 *   `{enterprise, base_url?, attribute_mapping? {userName, externalId, displayName, email,
 *   givenName, familyName, role}}`; credentials `{token}`: a classic PAT of the setup user with
 *   scim:enterprise.
 * `base_url` (default https://api.github.com) points at GitHub Enterprise Server (`https://host/api/v3`)
 * or an emulator. Settings errors are permanent ConnectorErrors naming the field.
 */
export function createGitHubConnector(settings: ConnectorSettings, tuning?: GitHubClientTuning): AppConnector {
  const github = readGitHubSettings(settings.config, settings.credentials);
  if (github.mode === 'enterprise') {
    const token = github.credentials.kind === 'token' ? github.credentials.token : '';
    return new GitHubEmuConnector({ ...github, enterprise: github.enterprise! }, token, settings.fetch, tuning?.timeoutMs);
  }
  const octokit = createGitHubClient({ baseUrl: github.baseUrl, credentials: github.credentials, connectionId: settings.connectionId, fetch: settings.fetch, tuning });
  return new GitHubOrgConnector(octokit, { ...github, org: github.org! });
}
