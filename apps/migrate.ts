import { loadConfig } from '@delta/config/app-config';
import { ConfigError } from '@delta/config/config-error';
import { runMigrations } from '@delta/persistence';

/** `npm run migrate`: applies pending migrations as the DATABASE_URL user (the schema owner). */
runMigrations(loadConfig())
  .then((applied) => {
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to migrate.\n');
    process.exit(0);
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Migration failed: ${String(error)}`}\n`);
    process.exit(1);
  });
