import { Client } from 'pg';
import { Redis } from 'ioredis';

/**
 * Preloaded (`node -r round-trip-counter.js …`) into a server for the profiling phase only: counts
 * the round trips it makes to PostgreSQL (every pg `Client#query` call is one, a multi-statement
 * text included) and to Redis. SIGWINCH (ignored by default, and not one of the signals Nest's enableShutdownHooks closes the app on, unlike SIGUSR2) prints `ROUNDTRIPS {"pg":n,"redis":m}` and resets.
 */
const counts = { pg: 0, redis: 0 };

const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function counted(this: Client, ...args: unknown[]) {
  counts.pg += 1;
  return query.apply(this, args);
};

const sendCommand = Redis.prototype.sendCommand as (...args: unknown[]) => unknown;
(Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = function counted(this: Redis, ...args: unknown[]) {
  counts.redis += 1;
  return sendCommand.apply(this, args);
};

process.on('SIGWINCH', () => {
  process.stdout.write(`ROUNDTRIPS ${JSON.stringify(counts)}\n`);
  counts.pg = 0;
  counts.redis = 0;
});
