import type { Server } from 'node:http';

import type { Target } from '../core/dispatch.js';

/** The parts of a Fastify instance the adapter uses. */
export interface FastifyLike {
  readonly server: Server;
  ready(): PromiseLike<unknown>;
}

/** A Fastify instance: requests go through its own `server`, after `ready()` (plugins loaded). */
export function fromFastify(app: FastifyLike): Target {
  let ready: Promise<Server> | undefined;
  return { kind: 'node', server: () => (ready ??= Promise.resolve(app.ready()).then(() => app.server)) };
}
