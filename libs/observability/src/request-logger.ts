import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString, LogFn, Logger } from 'pino';

/**
 * A request's logger that becomes a pino child (with the request id binding) only when it
 * writes a line. pino builds a child's bindings eagerly (serialized, and through the redaction
 * paths), ~2–7 µs on every request; at the levels most deployments run, most requests never log.
 * Lines that are written are exactly those of `parent.child(bindings, options)`.
 */
export class LazyChildLogger {
  private real?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly bindingsOf: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  readonly fatal: LogFn = (...args: Parameters<LogFn>) => this.write('fatal', args);
  readonly error: LogFn = (...args: Parameters<LogFn>) => this.write('error', args);
  readonly warn: LogFn = (...args: Parameters<LogFn>) => this.write('warn', args);
  readonly info: LogFn = (...args: Parameters<LogFn>) => this.write('info', args);
  readonly debug: LogFn = (...args: Parameters<LogFn>) => this.write('debug', args);
  readonly trace: LogFn = (...args: Parameters<LogFn>) => this.write('trace', args);
  readonly silent: LogFn = () => undefined;

  get level(): LevelWithSilentOrString {
    return (this.real ?? this.parent).level;
  }

  set level(level: LevelWithSilentOrString) {
    this.materialize().level = level;
  }

  isLevelEnabled(level: LevelWithSilentOrString): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.materialize().bindings();
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.materialize().child(bindings, options);
  }

  private write(level: Level, args: Parameters<LogFn>): void {
    if (this.real === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.materialize()[level] as (...a: Parameters<LogFn>) => void)(...args);
  }

  private materialize(): Logger {
    this.real ??= this.parent.child(this.bindingsOf, this.options);
    return this.real;
  }
}

/**
 * Fastify's `childLoggerFactory`: a LazyChildLogger per request. A route with its own log
 * level gets a real child at once, since its level differs from the parent's.
 */
export function lazyChildLoggerFactory(parent: Logger, bindings: Bindings, options: ChildLoggerOptions): Logger {
  if (options.level !== undefined) return parent.child(bindings, options);
  return new LazyChildLogger(parent, bindings, options) as unknown as Logger;
}
