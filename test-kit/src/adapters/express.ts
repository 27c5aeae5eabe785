import type { RequestListener } from 'node:http';

import type { Target } from '../core/dispatch.js';
import { fromListener } from './node-server.js';

/**
 * An Express 4/5 app or `Router`. Both are `(req, res, next)` functions; a Router gets a final
 * handler that answers 404 like an app would, since it has none of its own.
 */
export function fromExpress(app: RequestListener | ((req: unknown, res: unknown, next: (error?: unknown) => void) => void)): Target {
  const handler = app as (req: Parameters<RequestListener>[0], res: Parameters<RequestListener>[1], next?: (error?: unknown) => void) => void;
  return fromListener((req, res) => {
    handler(req, res, (error?: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      res.statusCode = error === undefined ? 404 : 500;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(error === undefined ? `Cannot ${req.method ?? 'GET'} ${req.url ?? '/'}` : error instanceof Error ? error.message : 'Internal Server Error');
    });
  });
}
