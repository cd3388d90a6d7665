import { Client } from 'pg';

/**
 * Preloaded (`node -r statement-timer.js …`) into the worker for the profiled remap only: per SQL
 * statement shape (its first words), how many round trips and how long each took from call to
 * result (PostgreSQL execution + loopback + result parsing in pg). SIGWINCH prints
 * `STATEMENTS {"<shape>": {"n": …, "ms": …}, …}` and resets.
 */
const stats = new Map<string, { n: number; ms: number }>();

function shape(sql: unknown): string {
  const text = typeof sql === 'string' ? sql : typeof (sql as { text?: unknown })?.text === 'string' ? (sql as { text: string }).text : '?';
  return text.replace(/\s+/g, ' ').trim().slice(0, 90);
}

const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function timed(this: Client, ...args: unknown[]) {
  const key = shape(args[0]);
  const started = process.hrtime.bigint();
  const record = (): void => {
    const entry = stats.get(key) ?? { n: 0, ms: 0 };
    entry.n += 1;
    entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
    stats.set(key, entry);
  };
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    args[args.length - 1] = (...results: unknown[]) => {
      record();
      return (last as (...a: unknown[]) => unknown)(...results);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(record, record);
  return result;
};

process.on('SIGWINCH', () => {
  process.stdout.write(`STATEMENTS ${JSON.stringify(Object.fromEntries(stats))}\n`);
  stats.clear();
});
