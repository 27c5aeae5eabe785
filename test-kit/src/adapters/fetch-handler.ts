import type { RequestLifecycle, Target } from '../core/dispatch.js';

/** A fetch handler `(request) => Response`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A fetch handler; an exception becomes a 500 carrying the error (see the client). */
export function fromFetch(handler: FetchHandler): Target {
  return { kind: 'fetch', handle: async (request) => handler(request) };
}

/** A Hono app (or anything with `fetch(request, env, executionCtx)`): with `executionContext: true`, `c.executionCtx.waitUntil` reaches the probes. */
export function fromHono(app: { fetch: (request: Request, env: undefined, executionCtx: RequestLifecycle | undefined) => Response | Promise<Response> }): Target {
  return { kind: 'fetch', handle: async (request, lifecycle) => app.fetch(request, undefined, lifecycle) };
}
