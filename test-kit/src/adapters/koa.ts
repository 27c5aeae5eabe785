import type { RequestListener } from 'node:http';

import type { Target } from '../core/dispatch.js';
import { fromListener } from './node-server.js';

/** The part of a Koa app the adapter uses. */
export interface KoaLike {
  callback(): RequestListener;
}

/** A Koa app, through `app.callback()`. */
export function fromKoa(app: KoaLike): Target {
  return fromListener(app.callback());
}
