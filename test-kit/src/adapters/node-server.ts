import { createServer, type RequestListener, type Server } from 'node:http';

import type { Dispatch } from '../core/dispatch.js';
import { dispatchToServer } from '../core/http-wire.js';

/** A `node:http` `Server` (listening or not): connections are handed to it in memory. */
export function fromServer(server: Server): Dispatch {
  return (request, signal) => dispatchToServer(server, request, signal);
}

/** A `(req, res)` request listener, such as an Express app or Koa's `app.callback()`. */
export function fromListener(listener: RequestListener): Dispatch {
  return fromServer(createServer(listener));
}
