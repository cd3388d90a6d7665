import type { AppConnector, AppConnectorFactory, ConnectorSettings } from './app-connector';
import { ConnectorError } from './connector-error';
import type { ConnectionType } from './connector-types';
import { createGitHubConnector } from './github/github.connector';
import { createGoogleConnector } from './google/google-workspace.connector';
import { createScimConnector } from './scim/scim.connector';
import { createSlackConnector } from './slack/slack.connector';

/** The app connectors of this build, by connection type (webhooks stream events instead). */
export const APP_CONNECTOR_FACTORIES: Readonly<Partial<Record<ConnectionType, AppConnectorFactory>>> = {
  scim: createScimConnector,
  google: createGoogleConnector,
  slack: createSlackConnector,
  github: (settings) => createGitHubConnector(settings),
};

/** A connector for a connection; a type this build has no connector for is a permanent failure that says so. */
export function createAppConnector(type: string, settings: ConnectorSettings): AppConnector {
  const factory = APP_CONNECTOR_FACTORIES[type as ConnectionType];
  if (!factory) throw new ConnectorError('permanent', `The ${type} connector is not available in this version of Delta.`);
  return factory(settings);
}
