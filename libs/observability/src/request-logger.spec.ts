import pino from 'pino';
import { LazyChildLogger, lazyChildLoggerFactory } from './request-logger';

function capture(level: string): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const logger = pino({ level, base: undefined, timestamp: false }, { write: (line: string) => void written.push(line) });
  return { logger, lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('LazyChildLogger', () => {
  it('writes the lines a pino child writes, bindings included', () => {
    const lazy = capture('info');
    const eager = capture('info');
    const request = lazyChildLoggerFactory(lazy.logger, { reqId: 'r-1' }, {});
    const child = eager.logger.child({ reqId: 'r-1' });
    for (const target of [request, child]) {
      target.info({ status: 200 }, 'request completed');
      target.warn('slow');
      target.debug('not written');
      target.child({ extra: 1 }).error('nested');
    }
    expect(lazy.lines()).toEqual(eager.lines());
    expect(lazy.lines()[0]).toMatchObject({ reqId: 'r-1', status: 200, msg: 'request completed' });
  });

  it('builds no child while nothing is written, and answers level questions from the parent', () => {
    const { logger, lines } = capture('warn');
    const childSpy = jest.spyOn(logger, 'child');
    const request = new LazyChildLogger(logger, { reqId: 'r-2' }, {});
    request.info('dropped');
    request.debug('dropped');
    expect(request.isLevelEnabled('info')).toBe(false);
    expect(request.level).toBe('warn');
    expect(childSpy).not.toHaveBeenCalled();
    request.error('kept');
    expect(childSpy).toHaveBeenCalledTimes(1);
    expect(lines()).toEqual([expect.objectContaining({ reqId: 'r-2', msg: 'kept' })]);
  });

  it('gives a route with its own level a real child at once', () => {
    const { logger } = capture('warn');
    const request = lazyChildLoggerFactory(logger, { reqId: 'r-3' }, { level: 'debug' });
    expect(request).not.toBeInstanceOf(LazyChildLogger);
    expect(request.isLevelEnabled('debug')).toBe(true);
  });
});
