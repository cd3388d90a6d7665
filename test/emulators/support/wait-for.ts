import { EventEmitter } from 'node:events';

/**
 * Resolves with the first value `check` returns (not undefined), re-checking on every `event`
 * from `emitter` instead of sleeping; rejects after `timeoutMs` with `description` in the message.
 */
export function waitForEvent<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  timeoutMs: number,
  description = 'condition',
): Promise<T> {
  const first = check();
  if (first !== undefined) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    const onEvent = () => {
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        cleanup();
        reject(error);
        return;
      }
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}
