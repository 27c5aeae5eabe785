import { createServer, type RequestListener, type Server } from 'node:http';

import type { Target } from '../core/dispatch.js';

/** A `node:http` `Server` (listening or not): connections are handed to it in memory. */
export function fromServer(server: Server): Target {
  return { kind: 'node', server: () => server };
}

/** A `(req, res)` request listener, such as an Express app or Koa's `app.callback()`. */
export function fromListener(listener: RequestListener): Target {
  const server = createServer(listener);
  return { kind: 'node', server: () => server };
}
