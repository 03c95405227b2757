// Matches `METHOD /path` against route patterns such as `/products/:id`.

export type Method = 'GET' | 'POST';

/**
 * What a request costs the service: `free` routes bypass the capacity limiter and the error
 * draw (liveness and stats); the others hold a slot for the base service time, the checkout
 * time, or 4 × the base (generation).
 */
export type Cost = 'free' | 'read' | 'checkout' | 'generate';

export interface Reply {
  status: number;
  body: unknown;
}

export interface RouteContext {
  params: Record<string, string>;
  /** The parsed JSON body, or undefined when the request had none. */
  body: unknown;
}

export interface Route {
  method: Method;
  pattern: string;
  cost: Cost;
  handle(ctx: RouteContext): Reply;
}

export type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  /** The path exists under other methods. */
  | { kind: 'method'; allow: Method[] }
  | { kind: 'none' };

export class Router {
  readonly #routes: { route: Route; segments: string[] }[];

  constructor(routes: Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: split(route.pattern) }));
  }

  match(method: string, pathname: string): Match {
    const path = split(pathname);
    const allow: Method[] = [];
    for (const { route, segments } of this.#routes) {
      const params = matchSegments(segments, path);
      if (params === undefined) continue;
      if (route.method === method) return { kind: 'route', route, params };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = path[i]!;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return undefined; // malformed %-escape: no route has such a path
      }
    } else if (want !== got) {
      return undefined;
    }
  }
  return params;
}
