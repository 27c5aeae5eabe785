/**
 * The one contract every framework adapter implements: take a Web `Request`, give back the app's
 * Web `Response`. `signal` aborts when the request times out, so adapters can free what they hold.
 */
export type Dispatch = (request: Request, signal: AbortSignal) => Promise<Response>;

/** Every kind of app `createClient` accepts. */
export type AppKind =
  | 'express'
  | 'fastify'
  | 'koa'
  | 'hono'
  | 'nest'
  | 'next-route'
  | 'next-pages'
  | 'node-listener'
  | 'node-server'
  | 'fetch';

/** Every `AppKind`, for messages and validation. */
export const appKinds: readonly AppKind[] = ['express', 'fastify', 'koa', 'hono', 'nest', 'next-route', 'next-pages', 'node-listener', 'node-server', 'fetch'];
