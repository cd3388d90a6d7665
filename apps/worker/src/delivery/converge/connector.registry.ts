import { Injectable } from '@nestjs/common';
import { AppConnector, ConnectorSettings, createAppConnector } from '@delta/connectors';
import { LruCache } from '@delta/core';

/**
 * The app connector of each connection, kept between deliveries while the connection is unchanged
 * (`version`: its updated_at), so OAuth tokens (Google: an hour), Octokit's limiter state and
 * caches (GitHub teams) are reused instead of rebuilt per delivery.
 */
@Injectable()
export class ConnectorRegistry {
  private readonly connectors = new LruCache<string, AppConnector>(1_000, 30 * 60_000);

  create(type: string, settings: ConnectorSettings, version?: string): AppConnector {
    if (version === undefined) return createAppConnector(type, settings);
    const key = `${settings.connectionId}:${version}`;
    let connector = this.connectors.get(key);
    if (!connector) {
      connector = createAppConnector(type, settings);
      this.connectors.set(key, connector);
    }
    return connector;
  }
}
