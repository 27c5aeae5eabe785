import type { Dispatch } from '../core/dispatch.js';

/** A fetch handler `(request) => Response`, or a Hono app's `fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * A fetch handler. An exception becomes a 500 response carrying the error, as a platform would
 * answer; the error itself is kept for the test (`response.error`).
 */
export function fromFetch(handler: FetchHandler): Dispatch {
  return async (request) => handler(request);
}

/** A Hono app (or anything with `fetch(request)`). */
export function fromHono(app: { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> }): Dispatch {
  return async (request) => app.fetch(request);
}
