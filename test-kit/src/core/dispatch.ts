import type { Server } from 'node:http';

/**
 * What a framework adapter turns an app into: a Node HTTP server to hand in-memory connections to
 * (every `(req, res)` framework), or a fetch handler that takes a Web `Request` (Hono, Next.js route
 * modules, plain fetch handlers). Each adapter is one small module producing one of these.
 */
export type Target =
  | { readonly kind: 'node'; readonly server: () => Promise<Server> | Server }
  | { readonly kind: 'fetch'; readonly handle: (request: Request, lifecycle: RequestLifecycle | undefined) => Promise<Response> };

/**
 * What a fetch-style platform offers a request beyond the `Request`: `waitUntil` keeps work alive
 * after the response (Cloudflare's and Vercel's execution context, Hono's `c.executionCtx`).
 */
export interface RequestLifecycle {
  waitUntil(promise: unknown): void;
  passThroughOnException(): void;
}

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

/** A request as the client sends it, before any transport. */
export interface WireRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer | undefined;
}

/** Lets a transport stop work when the client gives up (timeout). */
export interface Cancellation {
  onCancel(listener: (reason: Error) => void): void;
}
