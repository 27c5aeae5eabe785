import type { Server } from 'node:http';

import type { Target } from '../core/dispatch.js';

/** The parts of a NestJS `INestApplication` the adapter uses. */
export interface NestAppLike {
  init(): Promise<unknown>;
  getHttpServer(): Server;
}

/** A NestJS application on the Express or Fastify platform: initialised once, then its HTTP server. */
export function fromNest(app: NestAppLike): Target {
  let server: Promise<Server> | undefined;
  return { kind: 'node', server: () => (server ??= app.init().then(() => app.getHttpServer())) };
}
