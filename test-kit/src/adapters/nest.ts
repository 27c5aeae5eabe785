import type { Server } from 'node:http';

import type { Dispatch } from '../core/dispatch.js';
import { fromServer } from './node-server.js';

/** The parts of a NestJS `INestApplication` the adapter uses. */
export interface NestAppLike {
  init(): Promise<unknown>;
  getHttpServer(): Server;
}

/** A NestJS application on the Express or Fastify platform: initialised once, then its HTTP server. */
export function fromNest(app: NestAppLike): Dispatch {
  let dispatch: Promise<Dispatch> | undefined;
  return async (request, signal) => {
    dispatch ??= app.init().then(() => fromServer(app.getHttpServer()));
    return (await dispatch)(request, signal);
  };
}
