import { fsExtra, gracefulFs, nodeFs } from '../modules.js';
import type { AsyncReplacement, BlockingApi, CatalogModule } from '../types.js';
import { moduleApi, promisified, replaceWith } from './build.js';

/**
 * How each synchronous `fs` API maps onto its async form.
 *
 * - `promises`: the `fs/promises` function of that name, same arguments and result.
 * - `callback`: file-descriptor APIs; `fs/promises` only speaks `FileHandle`, so the callback API is
 *   promisified to keep plain descriptors. `pick` names the field of the promisified result that holds
 *   the sync API's return value (`read` resolves `{ bytesRead, buffer }`).
 */
interface FsMapping {
  readonly sync: string;
  readonly async: string;
  readonly via: 'promises' | 'callback' | 'exists' | 'async-iterable';
  readonly pick?: string;
  readonly since?: string;
  readonly caveat?: string;
  readonly platforms?: readonly string[];
  readonly unsupportedOptions?: { readonly index: number; readonly names: readonly string[] };
}

const fsMappings: readonly FsMapping[] = [
  { sync: 'accessSync', async: 'access', via: 'promises' },
  { sync: 'appendFileSync', async: 'appendFile', via: 'promises' },
  { sync: 'chmodSync', async: 'chmod', via: 'promises' },
  { sync: 'chownSync', async: 'chown', via: 'promises' },
  { sync: 'closeSync', async: 'close', via: 'callback' },
  { sync: 'copyFileSync', async: 'copyFile', via: 'promises' },
  { sync: 'cpSync', async: 'cp', via: 'promises' },
  { sync: 'existsSync', async: 'access', via: 'exists' },
  { sync: 'fchmodSync', async: 'fchmod', via: 'callback' },
  { sync: 'fchownSync', async: 'fchown', via: 'callback' },
  { sync: 'fdatasyncSync', async: 'fdatasync', via: 'callback' },
  { sync: 'fstatSync', async: 'fstat', via: 'callback' },
  { sync: 'fsyncSync', async: 'fsync', via: 'callback' },
  { sync: 'ftruncateSync', async: 'ftruncate', via: 'callback' },
  { sync: 'futimesSync', async: 'futimes', via: 'callback' },
  {
    sync: 'globSync',
    async: 'glob',
    via: 'async-iterable',
    since: '22.0.0',
    caveat: '`fs/promises` `glob` yields an async iterator; `Array.fromAsync` collects it into the array `globSync` returned.',
  },
  {
    sync: 'lchmodSync',
    async: 'lchmod',
    via: 'promises',
    caveat: '`lchmod` exists only on macOS and is deprecated.',
    platforms: ['darwin'],
  },
  { sync: 'lchownSync', async: 'lchown', via: 'promises' },
  { sync: 'linkSync', async: 'link', via: 'promises' },
  // `throwIfNoEntry: false` makes the sync call return undefined; the promise rejects with ENOENT regardless.
  { sync: 'lstatSync', async: 'lstat', via: 'promises', unsupportedOptions: { index: 1, names: ['throwIfNoEntry'] } },
  { sync: 'lutimesSync', async: 'lutimes', via: 'promises' },
  { sync: 'mkdirSync', async: 'mkdir', via: 'promises' },
  {
    sync: 'mkdtempDisposableSync',
    async: 'mkdtempDisposable',
    via: 'promises',
    since: '24.4.0',
    caveat: 'The async result is an `AsyncDisposable`: declare it with `await using` instead of `using`.',
  },
  { sync: 'mkdtempSync', async: 'mkdtemp', via: 'promises' },
  { sync: 'openSync', async: 'open', via: 'callback' },
  { sync: 'opendirSync', async: 'opendir', via: 'promises' },
  { sync: 'readSync', async: 'read', via: 'callback', pick: 'bytesRead' },
  { sync: 'readdirSync', async: 'readdir', via: 'promises' },
  { sync: 'readFileSync', async: 'readFile', via: 'promises' },
  { sync: 'readlinkSync', async: 'readlink', via: 'promises' },
  { sync: 'readvSync', async: 'readv', via: 'callback', pick: 'bytesRead' },
  { sync: 'realpathSync', async: 'realpath', via: 'promises' },
  { sync: 'renameSync', async: 'rename', via: 'promises' },
  { sync: 'rmdirSync', async: 'rmdir', via: 'promises' },
  { sync: 'rmSync', async: 'rm', via: 'promises' },
  { sync: 'statfsSync', async: 'statfs', via: 'promises' },
  { sync: 'statSync', async: 'stat', via: 'promises', unsupportedOptions: { index: 1, names: ['throwIfNoEntry'] } },
  { sync: 'symlinkSync', async: 'symlink', via: 'promises' },
  { sync: 'truncateSync', async: 'truncate', via: 'promises' },
  { sync: 'unlinkSync', async: 'unlink', via: 'promises' },
  { sync: 'utimesSync', async: 'utimes', via: 'promises' },
  { sync: 'writeFileSync', async: 'writeFile', via: 'promises' },
  { sync: 'writeSync', async: 'write', via: 'callback', pick: 'bytesWritten' },
  { sync: 'writevSync', async: 'writev', via: 'callback', pick: 'bytesWritten' },
];

const existsCall = 'await $fn($args).then(() => true, () => false)';
const asyncIterableCall = 'await Array.fromAsync($fn($args))';

function fsReason(name: string): string {
  return `\`${name}\` does file-system work on the main thread; no other request is served until the disk answers.`;
}

function withCaveat(mapping: FsMapping): Partial<AsyncReplacement> {
  return {
    ...(mapping.caveat === undefined ? {} : { caveat: mapping.caveat }),
    ...(mapping.platforms === undefined ? {} : { platforms: mapping.platforms }),
    ...(mapping.unsupportedOptions === undefined ? {} : { unsupportedOptions: mapping.unsupportedOptions }),
  };
}

function nodeFsReplacement(mapping: FsMapping): AsyncReplacement {
  switch (mapping.via) {
    case 'promises':
      return replaceWith('node:fs/promises', mapping.async, withCaveat(mapping));
    case 'exists':
      return replaceWith('node:fs/promises', mapping.async, { call: existsCall });
    case 'async-iterable':
      return replaceWith('node:fs/promises', mapping.async, { call: asyncIterableCall, ...withCaveat(mapping) });
    case 'callback':
      return promisified('node:fs', mapping.async, mapping.pick === undefined ? {} : { call: `(await $fn($args)).${mapping.pick}` });
  }
}

function gracefulFsReplacement(mapping: FsMapping): AsyncReplacement {
  const inModule = { viaDefault: true };
  switch (mapping.via) {
    case 'promises':
      return replaceWith('graceful-fs', `promises.${mapping.async}`, { ...inModule, ...withCaveat(mapping) });
    case 'exists':
      return replaceWith('graceful-fs', `promises.${mapping.async}`, { ...inModule, call: existsCall });
    case 'async-iterable':
      return replaceWith('graceful-fs', `promises.${mapping.async}`, { ...inModule, call: asyncIterableCall, ...withCaveat(mapping) });
    case 'callback':
      return promisified('graceful-fs', mapping.async, {
        ...inModule,
        ...(mapping.pick === undefined ? {} : { call: `(await $fn($args)).${mapping.pick}` }),
      });
  }
}

// fs-extra wraps every fs callback API so it returns a promise when no callback is given, and adds
// `pathExists`, so its replacements stay inside fs-extra.
function fsExtraReplacement(mapping: FsMapping): AsyncReplacement {
  switch (mapping.via) {
    case 'exists':
      return replaceWith('fs-extra', 'pathExists');
    case 'async-iterable':
      return replaceWith('node:fs/promises', mapping.async, { call: asyncIterableCall, ...withCaveat(mapping) });
    case 'callback':
    case 'promises':
      return replaceWith('fs-extra', mapping.async, {
        ...withCaveat(mapping),
        ...(mapping.pick === undefined ? {} : { call: `(await $fn($args)).${mapping.pick}` }),
      });
  }
}

function fsFamily(module: CatalogModule, replacement: (mapping: FsMapping) => AsyncReplacement): BlockingApi[] {
  return fsMappings.map((mapping) =>
    moduleApi(module, mapping.sync, 'fs', fsReason(mapping.sync), {
      ...(mapping.since === undefined ? {} : { since: mapping.since }),
      replacement: replacement(mapping),
    }),
  );
}

/** fs-extra's own synchronous helpers and their promise-returning twins. */
const fsExtraOwn: readonly (readonly [sync: string, async: string])[] = [
  ['copySync', 'copy'],
  ['emptyDirSync', 'emptyDir'],
  ['emptydirSync', 'emptyDir'],
  ['createFileSync', 'ensureFile'],
  ['ensureFileSync', 'ensureFile'],
  ['createLinkSync', 'ensureLink'],
  ['ensureLinkSync', 'ensureLink'],
  ['createSymlinkSync', 'ensureSymlink'],
  ['ensureSymlinkSync', 'ensureSymlink'],
  ['mkdirsSync', 'ensureDir'],
  ['mkdirpSync', 'ensureDir'],
  ['ensureDirSync', 'ensureDir'],
  ['moveSync', 'move'],
  ['outputFileSync', 'outputFile'],
  ['outputJsonSync', 'outputJson'],
  ['outputJSONSync', 'outputJson'],
  ['pathExistsSync', 'pathExists'],
  ['readJsonSync', 'readJson'],
  ['readJSONSync', 'readJson'],
  ['removeSync', 'remove'],
  ['writeJsonSync', 'writeJson'],
  ['writeJSONSync', 'writeJson'],
];

/** Blocking file-system APIs: `node:fs`, `fs-extra`, `graceful-fs`. */
export const fsApis: readonly BlockingApi[] = [
  ...fsFamily(nodeFs, nodeFsReplacement),
  moduleApi(nodeFs, 'realpathSync.native', 'fs', fsReason('realpathSync.native'), {
    replacement: promisified('node:fs', 'realpath.native'),
  }),
  ...fsFamily(fsExtra, fsExtraReplacement),
  ...fsExtraOwn.map(([sync, async]) =>
    moduleApi(fsExtra, sync, 'fs', fsReason(sync), { replacement: replaceWith('fs-extra', async) }),
  ),
  ...fsFamily(gracefulFs, gracefulFsReplacement),
];
