import { crossSpawn, execa, nodeChildProcess } from '../modules.js';
import type { BlockingApi } from '../types.js';
import { moduleApi, promisified, replaceWith } from './build.js';

function processReason(name: string): string {
  return `\`${name}\` waits for a child process to exit; the whole server is frozen until it does.`;
}

// The sync APIs return a Buffer unless told an encoding; promisified `exec`/`execFile` default to
// utf8 strings, so the rewrite asks for a Buffer when the original call did not choose.
const bufferUnlessEncoded = { index: 1, values: { encoding: 'buffer' } } as const;

/** Blocking child-process APIs: `node:child_process`, `execa`, `cross-spawn`. */
export const childProcessApis: readonly BlockingApi[] = [
  moduleApi(nodeChildProcess, 'execSync', 'process', processReason('execSync'), {
    replacement: promisified('node:child_process', 'exec', {
      call: '(await $fn($args)).stdout',
      optionDefaults: bufferUnlessEncoded,
      caveat: 'The promise rejects on a non-zero exit code, as `execSync` throws; stderr is no longer inherited.',
    }),
  }),
  moduleApi(nodeChildProcess, 'execFileSync', 'process', processReason('execFileSync'), {
    replacement: promisified('node:child_process', 'execFile', {
      call: '(await $fn($args)).stdout',
      optionDefaults: { index: 2, values: { encoding: 'buffer' } },
      caveat: 'Options move to the third argument when the call passes no argument array.',
      automatic: false,
    }),
  }),
  moduleApi(nodeChildProcess, 'spawnSync', 'process', processReason('spawnSync'), {
    advice:
      'Use `spawn` and wait for its `close` event, or `promisify(execFile)` when only the output matters (it rejects on a non-zero exit instead of returning `status`).',
  }),
  moduleApi(execa, 'execaSync', 'process', processReason('execaSync'), { replacement: replaceWith('execa', 'execa') }),
  moduleApi(execa, 'execaCommandSync', 'process', processReason('execaCommandSync'), {
    replacement: replaceWith('execa', 'execaCommand'),
  }),
  moduleApi(execa, '$.sync', 'process', processReason('$.sync'), { replacement: replaceWith('execa', '$') }),
  moduleApi(execa, '$.s', 'process', processReason('$.s'), { replacement: replaceWith('execa', '$') }),
  moduleApi(crossSpawn, 'sync', 'process', processReason('spawn.sync'), {
    advice: 'Use the default export `spawn(...)` and wait for its `close` event, or `execa`, which is built on cross-spawn.',
  }),
];
