import { fastGlob, glob } from '../modules.js';
import type { BlockingApi } from '../types.js';
import { moduleApi, replaceWith } from './build.js';

function globReason(name: string): string {
  return `\`${name}\` walks the directory tree synchronously; large trees stall the server for the whole walk.`;
}

/** Blocking glob APIs: `glob` and `fast-glob`. */
export const globApis: readonly BlockingApi[] = [
  ...['globSync', 'sync'].map((name) => moduleApi(glob, name, 'glob', globReason(name), { replacement: replaceWith('glob', 'glob') })),
  ...['globIterateSync', 'iterateSync'].map((name) =>
    moduleApi(glob, name, 'glob', globReason(name), {
      replacement: replaceWith('glob', 'globIterate', {
        call: '$fn($args)',
        caveat: 'The async form yields an async iterator: loop over it with `for await`.',
        automatic: false,
      }),
    }),
  ),
  ...['globStreamSync', 'streamSync'].map((name) =>
    moduleApi(glob, name, 'glob', globReason(name), {
      replacement: replaceWith('glob', 'globStream', { call: '$fn($args)', automatic: false }),
    }),
  ),
  ...['sync', 'globSync'].map((name) =>
    moduleApi(fastGlob, name, 'glob', globReason(name), { replacement: replaceWith('fast-glob', 'glob', { viaDefault: true }) }),
  ),
];
