import type { Server } from 'node:http';

import type { Dispatch } from '../core/dispatch.js';
import { fromServer } from './node-server.js';

/** The parts of a Fastify instance the adapter uses. */
export interface FastifyLike {
  readonly server: Server;
  ready(): PromiseLike<unknown>;
}

/** A Fastify instance: requests go through its own `server`, after `ready()` (plugins loaded). */
export function fromFastify(app: FastifyLike): Dispatch {
  let ready: Promise<unknown> | undefined;
  const dispatch = fromServer(app.server);
  return async (request, signal) => {
    ready ??= Promise.resolve(app.ready());
    await ready;
    return dispatch(request, signal);
  };
}
