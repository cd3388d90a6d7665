import type { ProcessRole } from './boot';
import { AppConfig, loadConfig } from '@delta/config/app-config';
import { ConfigError } from '@delta/config/config-error';
import { startTelemetry } from '@delta/observability/telemetry';

/**
 * Entry point shared by the three process shapes. Order matters: configuration first (a bad value
 * stops here with one line), then OpenTelemetry, then everything it instruments (pg, ioredis, http).
 */
export function runProcess(role: ProcessRole): void {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  startTelemetry(config);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startDelta } = require('./boot') as typeof import('./boot');
  startDelta(config, role)
    .then((running) => {
      if (running.generatedAdminKey) {
        // Shown once, on the terminal, never through the log pipeline; only its hash is kept.
        process.stdout.write(
          `\n  Delta generated an admin API key (shown once, only its hash is stored):\n\n    ${running.generatedAdminKey}\n\n` +
            `  Use it as: Authorization: Bearer <key>\n\n`,
        );
      }
      const shutdown = (): void => {
        void running.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((error: unknown) => {
      process.stderr.write(`Delta failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
