import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import type { AppConfig } from '@delta/config';

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry Node SDK. Must run before Nest, pg and ioredis are loaded, so the
 * instrumentations can patch them. Exporters come from the standard OTEL_* variables; a signal
 * with no exporter configured gets none (the SDK would otherwise default to OTLP on localhost).
 * With no exporter at all nothing is started: the instrumentations would still wrap every HTTP
 * request, pg query and Redis command to build spans nobody reads (measured on the SCIM
 * benchmark, bench/README.md).
 */
export function startTelemetry(config: AppConfig): void {
  const { sdkDisabled, tracesExporter, metricsExporter, logsExporter } = config.otel;
  if (sdk || sdkDisabled || !(tracesExporter || metricsExporter || logsExporter)) return;
  sdk = new NodeSDK({
    serviceName: config.otel.serviceName,
    instrumentations: [
      new HttpInstrumentation({
        // Probes would drown the traces.
        ignoreIncomingRequestHook: (req) => req.url === '/healthz' || req.url === '/readyz',
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    ],
    ...(config.otel.tracesExporter ? {} : { spanProcessors: [] }),
    ...(config.otel.metricsExporter ? {} : { metricReaders: [] }),
    ...(config.otel.logsExporter ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
