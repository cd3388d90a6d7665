import type { EmulatorRequest, EmulatorResponse } from './emulator-http';

export type RouteHandler = (req: EmulatorRequest, params: Record<string, string>) => EmulatorResponse | Promise<EmulatorResponse>;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string>; pattern: string }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * Exact-case path patterns with `:param` segments. Case matters on purpose: vendors answer 404 to
 * `/users` when the resource is `/Users` (downstream-apis.md §1.1 and §4 "Fidelity checks").
 */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly prefix = '') {}

  on(method: string, pattern: string, handler: RouteHandler): this {
    const full = this.prefix + pattern;
    const keys: string[] = [];
    const source = full
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: full, regex: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  get(pattern: string, handler: RouteHandler): this {
    return this.on('GET', pattern, handler);
  }
  post(pattern: string, handler: RouteHandler): this {
    return this.on('POST', pattern, handler);
  }
  put(pattern: string, handler: RouteHandler): this {
    return this.on('PUT', pattern, handler);
  }
  patch(pattern: string, handler: RouteHandler): this {
    return this.on('PATCH', pattern, handler);
  }
  delete(pattern: string, handler: RouteHandler): this {
    return this.on('DELETE', pattern, handler);
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method.toUpperCase()) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1])));
      return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}
