/**
 * Fault rules per route, set by a test (or over `POST /__emulator/faults`, see
 * downstream-apis.md §4 "Control plane"). The server asks `take()` once per vendor request; the
 * first matching rule that is due decides what happens to that request.
 */

export interface FaultMatch {
  /** Upper-case HTTP method; any method when absent. */
  method?: string;
  /** Exact path, a route pattern with `:params` (`/scim/v2/Users/:id`), or a RegExp. Any path when absent. */
  path?: string | RegExp;
  /** Fire from the nth matching request on (1-based, counted from when the rule was added). */
  nth?: number;
}

/**
 * What to do with a matched request. `delayMs` runs first and can combine with the others
 * (a slow 500); on its own it delays and then lets the emulator answer normally. Then, in
 * order: `reset` (destroy the socket → ECONNRESET), `hang` (never answer until close), or a
 * canned response when `status` is set. JSON form over the control plane: the same fields, with
 * `match.pathRegex` (a RegExp source) instead of `match.path`.
 */
export interface FaultAction {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  hang?: boolean;
  reset?: boolean;
  /**
   * With `reset` or `hang`: let the emulator handle the request first (state changes), then drop
   * the answer. Models a create that succeeded but whose response was lost.
   */
  afterHandling?: boolean;
}

export interface FaultRule {
  match?: FaultMatch;
  /** How many times the rule fires; `'always'` keeps it until `remove`/`clear`. Default 1. */
  times?: number | 'always';
  action: FaultAction;
}

interface ActiveRule {
  id: number;
  method?: string;
  path?: RegExp;
  nth: number;
  remaining: number;
  seen: number;
  action: FaultAction;
}

export interface FaultRuleView {
  id: number;
  method?: string;
  path?: string;
  nth: number;
  remaining: number | 'always';
  action: FaultAction;
}

/** `/scim/v2/Users/:id` → `^/scim/v2/Users/([^/]+)$`; other strings match exactly. */
export function pathPatternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}$`);
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  /** Adds a rule; returns its id for `remove`. */
  add(rule: FaultRule): number {
    const times = rule.times ?? 1;
    const id = this.nextId++;
    const path = rule.match?.path;
    this.rules.push({
      id,
      method: rule.match?.method?.toUpperCase(),
      path: path === undefined ? undefined : typeof path === 'string' ? pathPatternToRegExp(path) : path,
      nth: rule.match?.nth ?? 1,
      remaining: times === 'always' ? Number.POSITIVE_INFINITY : times,
      seen: 0,
      action: rule.action,
    });
    return id;
  }

  /** The next `count` matching requests get `action`. */
  next(count: number, action: FaultAction, match?: FaultMatch): number {
    return this.add({ match, times: count, action });
  }

  /** Every matching request gets `action` until the rule is removed or the injector cleared. */
  always(action: FaultAction, match?: FaultMatch): number {
    return this.add({ match, times: 'always', action });
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleView[] {
    return this.rules.map((r) => ({
      id: r.id,
      method: r.method,
      path: r.path?.source,
      nth: r.nth,
      remaining: r.remaining === Number.POSITIVE_INFINITY ? 'always' : r.remaining,
      action: r.action,
    }));
  }

  /** Consumes and returns the action for this request, if a rule is due. */
  take(method: string, path: string): FaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method.toUpperCase()) continue;
      if (rule.path && !rule.path.test(path)) continue;
      rule.seen++;
      if (rule.seen < rule.nth) continue;
      rule.remaining--;
      if (rule.remaining <= 0) this.remove(rule.id);
      return rule.action;
    }
    return undefined;
  }
}

/**
 * Parses the per-request header `x-emulator-fault` (downstream-apis.md §4), so one test can target
 * one call without a rule: `429;retry-after=1`, `503`, `500;delay=200`, `hang`, `reset`, `delay=2000`.
 */
export function parseFaultHeader(value: string | undefined): FaultAction | undefined {
  if (!value) return undefined;
  const action: FaultAction = {};
  const headers: Record<string, string> = {};
  for (const part of value.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=', 2).map((s) => s.trim());
    if (/^\d{3}$/.test(key)) action.status = Number(key);
    else if (key === 'hang') action.hang = true;
    else if (key === 'reset') action.reset = true;
    else if (key === 'delay' && raw !== undefined) action.delayMs = Number(raw);
    else if (raw !== undefined) headers[key.toLowerCase()] = raw;
  }
  if (Object.keys(headers).length > 0) action.headers = headers;
  return action;
}
