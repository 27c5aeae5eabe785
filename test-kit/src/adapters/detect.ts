import { Server } from 'node:http';

import { appKinds, type AppKind, type Target } from '../core/dispatch.js';
import { TestKitError } from '../core/errors.js';
import { fromExpress } from './express.js';
import { fromFastify, type FastifyLike } from './fastify.js';
import { fromFetch, fromHono, type FetchHandler } from './fetch-handler.js';
import { fromKoa, type KoaLike } from './koa.js';
import { fromNest, type NestAppLike } from './nest.js';
import { fromPagesApi, type PagesApiHandler } from './next-pages.js';
import { fromRouteModule, matchRoute, routeMethods, type RouteModule } from './next-route.js';
import { fromListener, fromServer } from './node-server.js';

type Bag = Record<string, unknown>;

function isObject(value: unknown): value is Bag {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function hasFunctions(value: unknown, ...names: string[]): boolean {
  return isObject(value) && names.every((name) => typeof value[name] === 'function');
}

/**
 * Tells what kind of app a value is, by the shape each framework's public object has.
 *
 * @example
 * detectKind(express()); // 'express'
 */
export function detectKind(app: unknown): AppKind | undefined {
  if (app instanceof Server) return 'node-server';
  if (hasFunctions(app, 'getHttpServer', 'init')) return 'nest';
  if (isObject(app) && app.server instanceof Server && hasFunctions(app, 'ready', 'inject')) return 'fastify';
  if (hasFunctions(app, 'callback', 'use') && isObject(app) && 'context' in app) return 'koa';
  if (typeof app === 'function') {
    if (hasFunctions(app, 'handle', 'use')) return 'express';
    return app.length === 1 ? 'fetch' : 'node-listener';
  }
  if (hasFunctions(app, 'fetch')) return 'hono';
  if (isObject(app) && typeof app.default === 'function' && routeMethods.every((method) => app[method] === undefined)) return 'next-pages';
  if (isObject(app) && routeMethods.some((method) => typeof app[method] === 'function')) return 'next-route';
  return undefined;
}

function describeValue(app: unknown): string {
  if (app === null) return 'null';
  if (typeof app === 'function') return `a function of ${String(app.length)} parameter(s)`;
  if (typeof app === 'object') return `an object with keys ${JSON.stringify(Object.keys(app).slice(0, 8))}`;
  return `${typeof app} ${JSON.stringify(app)}`;
}

/** Builds the dispatch for an app of a known kind. */
export function adapterFor(app: unknown, kind: AppKind | undefined, route: string | undefined): { kind: AppKind; target: Target } {
  const resolved = kind ?? detectKind(app);
  if (resolved === undefined) {
    throw new TestKitError(
      'create a client',
      `${describeValue(app)} is not an app the test kit recognises`,
      `Pass an Express app or Router, a Fastify instance, a Koa app, a Hono app, a NestJS application, a Next.js route module ({ GET, POST, … }) or pages API module, a node:http request listener or Server, or a fetch handler; or set options.kind to one of ${appKinds.join(', ')}`,
    );
  }
  if (!appKinds.includes(resolved)) {
    throw new TestKitError('create a client', `options.kind '${resolved as string}' is unknown`, `Use one of ${appKinds.join(', ')}`);
  }
  switch (resolved) {
    case 'express':
      return { kind: resolved, target: fromExpress(app as Parameters<typeof fromExpress>[0]) };
    case 'fastify':
      return { kind: resolved, target: fromFastify(app as FastifyLike) };
    case 'koa':
      return { kind: resolved, target: fromKoa(app as KoaLike) };
    case 'hono':
      return { kind: resolved, target: fromHono(app as { fetch: (request: Request) => Response | Promise<Response> }) };
    case 'nest':
      return { kind: resolved, target: fromNest(app as NestAppLike) };
    case 'next-route':
      return { kind: resolved, target: fromRouteModule(app as RouteModule, route) };
    case 'next-pages': {
      const handler = typeof app === 'function' ? app : (app as Bag).default;
      return { kind: resolved, target: fromPagesApi(handler as PagesApiHandler, route, matchRoute) };
    }
    case 'node-listener':
      return { kind: resolved, target: fromListener(app as Parameters<typeof fromListener>[0]) };
    case 'node-server':
      return { kind: resolved, target: fromServer(app as Server) };
    case 'fetch':
      return { kind: resolved, target: fromFetch(app as FetchHandler) };
  }
}
