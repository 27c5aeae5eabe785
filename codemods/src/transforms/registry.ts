import { callbacksToAsync } from './callbacks-to-async.js';
import { concurrentAwaits } from './concurrent-awaits.js';
import { syncToAsync } from './sync-to-async.js';
import { thenToAwait } from './then-to-await.js';
import type { Transform } from './types.js';

/** Every transform `loopguard codemod` can run, in the order the help lists them. */
export const transforms: readonly Transform[] = [syncToAsync, thenToAwait, callbacksToAsync, concurrentAwaits];

/**
 * The transform with this slug, or undefined.
 *
 * @example
 * findTransform('sync-to-async')?.description;
 */
export function findTransform(slug: string): Transform | undefined {
  return transforms.find((transform) => transform.slug === slug);
}
