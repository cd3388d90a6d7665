import { EventEmitter } from 'node:events';
import { waitForEvent } from './wait-for';

/** One vendor request as the emulator saw it; `status`/`fault` are filled in when it is answered. */
export interface LoggedRequest {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** Epoch ms of arrival. */
  time: number;
  status?: number;
  /** Which fault was applied, e.g. `status:429`, `hang`, `reset`, `delay:200`, `header`. */
  fault?: string;
}

export interface RequestFilter {
  method?: string;
  path?: string | RegExp;
}

/**
 * Every vendor request, in arrival order, for assertions such as "the connector retried twice"
 * or "it sent the bearer token". Emits `entry` on arrival and `answered` once `status` is set.
 */
export class RequestLog extends EventEmitter {
  private items: LoggedRequest[] = [];
  private seq = 0;

  record(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged = { ...entry, seq: ++this.seq };
    this.items.push(logged);
    this.emit('entry', logged);
    return logged;
  }

  answered(entry: LoggedRequest, status: number | undefined, fault?: string): void {
    entry.status = status;
    if (fault) entry.fault = fault;
    this.emit('answered', entry);
  }

  entries(filter?: RequestFilter): LoggedRequest[] {
    return filter ? this.items.filter((e) => matches(e, filter)) : [...this.items];
  }

  count(filter?: RequestFilter): number {
    return this.entries(filter).length;
  }

  last(filter?: RequestFilter): LoggedRequest | undefined {
    const all = this.entries(filter);
    return all[all.length - 1];
  }

  clear(): void {
    this.items = [];
  }

  /** Waits until `count` requests matching `filter` have arrived; returns them. */
  waitForCount(count: number, filter?: RequestFilter, timeoutMs = 5000): Promise<LoggedRequest[]> {
    return waitForEvent(
      this,
      'entry',
      () => {
        const found = this.entries(filter);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      `${count} request(s) matching ${JSON.stringify(filter ?? {})}`,
    );
  }
}

function matches(entry: LoggedRequest, filter: RequestFilter): boolean {
  if (filter.method && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.path === undefined) return true;
  return typeof filter.path === 'string' ? entry.path === filter.path : filter.path.test(entry.path);
}
