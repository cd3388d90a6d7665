import pino, { DestinationStream, Logger } from 'pino';
import { trace } from '@opentelemetry/api';
import type { AppConfig } from '@delta/config';

/**
 * Paths pino blanks out wherever they appear. The bearer header carries SCIM tokens and admin
 * keys; bodies may carry passwords, tokens, webhook secrets and connection credentials.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'secret',
  'password',
  'credentials',
  'admin_api_key',
  'signing_secret',
  '*.token',
  '*.secret',
  '*.password',
  '*.credentials',
  '*.signing_secret',
  '*.private_key',
  '*.service_account_json',
  '*.*.token',
  '*.*.secret',
  '*.*.password',
  '*.*.credentials',
];

export function createLogger(config: AppConfig, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.log.level,
      base: { service: config.otel.serviceName },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Joins log lines to traces when a span is active.
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    destination,
  );
}
