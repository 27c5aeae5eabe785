import type { NonBlockingExport } from './types.js';

/**
 * Exports whose names end in `Sync` but that the catalog leaves out on purpose, so a reader (and the
 * drift test) can tell "considered and cleared" from "forgotten".
 */
export const nonBlockingExports: readonly NonBlockingExport[] = [
  {
    module: 'node:crypto',
    exportPath: 'randomFillSync',
    reason: 'Fills a buffer from the CSPRNG pool; request-sized buffers cost microseconds.',
  },
];
