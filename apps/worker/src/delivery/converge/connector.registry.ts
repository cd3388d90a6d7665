import { Injectable } from '@nestjs/common';
import { AppConnector, ConnectorSettings, createAppConnector } from '@delta/connectors';

/** Creates the app connector of a connection; the seam where tests or instrumentation could wrap connectors. */
@Injectable()
export class ConnectorRegistry {
  create(type: string, settings: ConnectorSettings): AppConnector {
    return createAppConnector(type, settings);
  }
}
