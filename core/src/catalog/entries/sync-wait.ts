import { deasync, syncRequest } from '../modules.js';
import type { BlockingApi } from '../types.js';
import { globalApi, moduleApi } from './build.js';

/** APIs that wait synchronously: `Atomics.wait`, `deasync`, and HTTP made synchronous by `sync-request`. */
export const syncWaitApis: readonly BlockingApi[] = [
  globalApi('Atomics.wait', 'sync-wait', '`Atomics.wait` parks the main thread until another thread notifies it or the timeout passes.', {
    advice: 'Use `Atomics.waitAsync`, which resolves a promise instead of parking the thread.',
  }),
  moduleApi(
    deasync,
    'default',
    'sync-wait',
    '`deasync` turns an async function into one that spins the event loop in place, re-entering other requests mid-call.',
    { advice: 'Call the async function and `await` it.' },
  ),
  ...['loopWhile', 'sleep', 'runLoopOnce'].map((name) =>
    moduleApi(deasync, name, 'sync-wait', `\`deasync.${name}\` spins the event loop from inside a call, so it never returns to it cleanly.`, {
      advice: 'Use `await` (and `setTimeout` from `node:timers/promises` for sleeping).',
    }),
  ),
  moduleApi(syncRequest, 'default', 'http', '`sync-request` blocks the main thread until the remote server answers.', {
    advice: 'Use `await fetch(url, { signal: AbortSignal.timeout(ms) })`.',
  }),
];
