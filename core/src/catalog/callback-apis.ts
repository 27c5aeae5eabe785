import { builtinBlockingApis } from './catalog.js';

/**
 * A Node-style callback API of Node's own modules (`fs.readFile(path, (err, data) => …)`) and the
 * promise it becomes: an export of a promise module (`node:fs/promises`), or `util.promisify` of the
 * function itself. `results` names the values of a callback that receives more than one (`exec`'s
 * `stdout`, `stderr`): the promise resolves to an object with those keys.
 */
export interface CallbackApi {
  /** The module, without `node:`. */
  readonly module: string;
  /** The export, as it is called (`readFile`, `realpath.native`). */
  readonly name: string;
  /** The promise module exporting the same name, or undefined for `promisify`. */
  readonly promises?: string;
  readonly results?: readonly string[];
}

/** Callbacks with several values, and the keys their promise resolves to. */
const resultKeys: Readonly<Record<string, readonly string[]>> = {
  'child_process.exec': ['stdout', 'stderr'],
  'child_process.execFile': ['stdout', 'stderr'],
  'crypto.generateKeyPair': ['publicKey', 'privateKey'],
  'dns.lookup': ['address', 'family'],
};

/** Callback APIs without a blocking twin in the catalog: nothing to learn from it. */
const withoutSyncTwin: readonly CallbackApi[] = [
  ...['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveMx', 'resolveTxt', 'resolveSrv', 'resolveCname', 'reverse'].map((name) => ({ module: 'dns', name, promises: 'node:dns/promises' })),
  ...['randomBytes', 'randomFill', 'randomInt'].map((name) => ({ module: 'crypto', name })),
];

/**
 * Every callback API the `callbacks-to-async` codemod rewrites. Most are the async twins the catalog
 * already names as replacements of blocking calls (`readFileSync` → `readFile` of
 * `node:fs/promises`, whose callback form is `fs.readFile`; `pbkdf2Sync` → `promisify(pbkdf2)`), so
 * the list is read from it rather than kept twice.
 */
export const callbackApis: readonly CallbackApi[] = (() => {
  const found = new Map<string, CallbackApi>();
  const add = (api: CallbackApi): void => {
    const key = `${api.module}.${api.name}`;
    const results = resultKeys[key];
    if (!found.has(key)) found.set(key, results === undefined ? api : { ...api, results });
  };
  for (const { replacement } of builtinBlockingApis) {
    if (replacement?.module.startsWith('node:') !== true) continue;
    // `readFileSync` → `readFile` of `node:fs/promises`: the callback form is `fs.readFile`.
    if (replacement.module === 'node:fs/promises') add({ module: 'fs', name: replacement.export, promises: replacement.module });
    else if (replacement.promisify) add({ module: replacement.module.slice('node:'.length), name: replacement.export });
  }
  for (const api of withoutSyncTwin) add(api);
  return [...found.values()];
})();
