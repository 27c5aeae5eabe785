import { nextRouteMethodExports } from '@loopguard/core/registry';

import type { Target } from '../core/dispatch.js';
import { TestKitError } from '../core/errors.js';

/** The method exports a `route.ts` may have, as core's handler registry lists them. */
export const routeMethods: readonly string[] = nextRouteMethodExports;

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Response | Promise<Response>;

/** A `route.ts` module: `{ GET, POST, … }`. */
export type RouteModule = Partial<Record<string, RouteHandler>>;

/**
 * Matches `/api/users/42` against `/api/users/[id]` (and `[...slug]`, `[[...slug]]`) the way the
 * App Router fills `params`.
 */
export function matchRoute(pattern: string, pathname: string): Record<string, string | string[]> | undefined {
  const patternParts = pattern.split('/').filter((part) => part !== '');
  const pathParts = pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
  const params: Record<string, string | string[]> = {};
  for (let index = 0; index < patternParts.length; index += 1) {
    const part = patternParts[index] ?? '';
    const catchAll = /^\[\[?\.\.\.(\w+)\]\]?$/.exec(part);
    if (catchAll?.[1] !== undefined) {
      const rest = pathParts.slice(index);
      if (rest.length === 0 && !part.startsWith('[[')) return undefined;
      params[catchAll[1]] = rest;
      return params;
    }
    const value = pathParts[index];
    if (value === undefined) return undefined;
    const dynamic = /^\[(\w+)\]$/.exec(part);
    if (dynamic?.[1] !== undefined) params[dynamic[1]] = value;
    else if (part !== value) return undefined;
  }
  return patternParts.length === pathParts.length ? params : undefined;
}

/**
 * A Next.js App Router route module. `route` is its URL pattern (`/api/users/[id]`) so `params` can be
 * filled; without it, params are empty. A method the module does not export answers 405, as Next does.
 */
export function fromRouteModule(module: RouteModule, route: string | undefined): Target {
  const handle = async (request: Request): Promise<Response> => {
    const method = request.method.toUpperCase();
    const handler = module[method] ?? (method === 'HEAD' ? module.GET : undefined);
    const pathname = new URL(request.url).pathname;
    const params = route === undefined ? {} : matchRoute(route, pathname);
    if (params === undefined) {
      throw new TestKitError(`${request.method} ${pathname}`, `the path does not match the route '${route ?? ''}'`, 'Request a path of this route, or pass the route pattern it serves as `route`');
    }
    if (handler === undefined) {
      const allow = routeMethods.filter((name) => module[name] !== undefined).join(', ');
      return new Response(null, { status: 405, headers: { allow } });
    }
    return handler(request, { params: Promise.resolve(params) });
  };
  return { kind: 'fetch', handle };
}
