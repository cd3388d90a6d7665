import type { EmulatorResponse } from './emulator-http';
import type { FaultInjector, FaultRule } from './fault-injector';
import type { RequestLog } from './request-log';
import type { Router } from './router';

/** Reserved prefix, never reachable through vendor paths (downstream-apis.md §4 "Control plane"). */
export const CONTROL_PREFIX = '/__emulator';

export interface ControlHooks {
  /** Drop all emulator state (the server also clears the request log and faults). */
  reset?(): void;
  /** Load users, groups, tokens… in the emulator's own seed shape; the result is returned as JSON. */
  seed?(body: unknown): unknown;
  /** A snapshot of what the app now holds, for people poking at it by hand. */
  state?(): unknown;
  /** More control routes, registered on the router with the `/__emulator` prefix. */
  routes?(router: Router): void;
}

interface ControlContext {
  faults: FaultInjector;
  log: RequestLog;
  hooks: ControlHooks;
}

interface WireFaultRule extends Omit<FaultRule, 'match'> {
  match?: { method?: string; path?: string; pathRegex?: string; nth?: number };
}

/**
 * `GET|DELETE /requests`, `GET|POST|DELETE /faults`, `DELETE /faults/:id`, `POST /reset`,
 * `POST /seed`, `GET /state`: the same controls a test has in-process, over HTTP.
 */
export function registerControlPlane(router: Router, ctx: ControlContext): void {
  const ok = (body: unknown = { ok: true }): EmulatorResponse => ({ status: 200, body });
  router
    .get('/requests', () => ok(ctx.log.entries()))
    .delete('/requests', () => {
      ctx.log.clear();
      return ok();
    })
    .get('/faults', () => ok(ctx.faults.list()))
    .post('/faults', (req) => {
      const rule = req.body as WireFaultRule | undefined;
      if (!rule || typeof rule !== 'object' || !rule.action) return { status: 400, body: { error: 'expected {match?, times?, action}' } };
      const { pathRegex, path, ...match } = rule.match ?? {};
      const id = ctx.faults.add({ ...rule, match: { ...match, path: pathRegex ? new RegExp(pathRegex) : path } });
      return { status: 201, body: { id } };
    })
    .delete('/faults', () => {
      ctx.faults.clear();
      return ok();
    })
    .delete('/faults/:id', (_req, params) => {
      ctx.faults.remove(Number(params.id));
      return ok();
    })
    .post('/reset', () => {
      ctx.hooks.reset?.();
      ctx.log.clear();
      ctx.faults.clear();
      return ok();
    })
    .post('/seed', (req) => (ctx.hooks.seed ? { status: 201, body: ctx.hooks.seed(req.body) ?? { ok: true } } : { status: 404, body: { error: 'no seed' } }))
    .get('/state', () => (ctx.hooks.state ? ok(ctx.hooks.state()) : { status: 404, body: { error: 'no state' } }));
  ctx.hooks.routes?.(router);
}
