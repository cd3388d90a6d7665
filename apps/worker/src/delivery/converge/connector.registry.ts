import { Injectable } from '@nestjs/common';
import { AppConnector, AppConnectorFactory, ConnectorError, ConnectorSettings } from '@delta/connectors';

/**
 * The app connectors by connection type. A type without a factory (a connector not in this build)
 * fails its deliveries permanently with a message that says so, instead of retrying forever.
 */
@Injectable()
export class ConnectorRegistry {
  private readonly factories = new Map<string, AppConnectorFactory>();

  register(type: string, factory: AppConnectorFactory): void {
    this.factories.set(type, factory);
  }

  create(type: string, settings: ConnectorSettings): AppConnector {
    const factory = this.factories.get(type);
    if (!factory) throw new ConnectorError('permanent', `The ${type} connector is not available in this version of Delta.`);
    return factory(settings);
  }
}
