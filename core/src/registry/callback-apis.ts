/**
 * Node-style callback APIs of Node's own modules (`fs.readFile(path, (err, data) => …)`) and the
 * promise each becomes: an export of a promise module (`node:fs/promises`), or `util.promisify` of
 * the function where Node ships none. `results` names the values of a callback that receives more
 * than one (`exec`'s `stdout`, `stderr`): the promise resolves to an object with those keys.
 */
export interface CallbackApi {
  /** The module, without `node:`. */
  readonly module: string;
  readonly name: string;
  /** The promise module exporting the same name, or undefined for `promisify`. */
  readonly promises?: string;
  readonly results?: readonly string[];
}

const fsPromiseFunctions = [
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp', 'open', 'opendir', 'readdir', 'readFile',
  'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink', 'truncate', 'unlink', 'utimes', 'writeFile',
];

export const callbackApis: readonly CallbackApi[] = [
  ...fsPromiseFunctions.map((name) => ({ module: 'fs', name, promises: 'node:fs/promises' })),
  ...['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveMx', 'resolveTxt', 'resolveSrv', 'resolveCname', 'reverse'].map((name) => ({
    module: 'dns',
    name,
    promises: 'node:dns/promises',
    ...(name === 'lookup' ? { results: ['address', 'family'] } : {}),
  })),
  ...['pbkdf2', 'scrypt', 'randomBytes', 'randomFill', 'generateKeyPair', 'hkdf', 'randomInt'].map((name) => ({ module: 'crypto', name, ...(name === 'generateKeyPair' ? { results: ['publicKey', 'privateKey'] } : {}) })),
  ...['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress'].map((name) => ({ module: 'zlib', name })),
  { module: 'child_process', name: 'exec', results: ['stdout', 'stderr'] },
  { module: 'child_process', name: 'execFile', results: ['stdout', 'stderr'] },
];
