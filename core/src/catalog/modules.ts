import type { CatalogModule } from './types.js';

function builtin(name: string): CatalogModule {
  return { name: `node:${name}`, specifiers: [`node:${name}`, name], builtin: true, namedExports: true, defaultIsNamespace: true };
}

/** `node:fs`, also reached as `fs` and through its default export. */
export const nodeFs = builtin('fs');
/** `node:child_process`. */
export const nodeChildProcess = builtin('child_process');
/** `node:crypto`. */
export const nodeCrypto = builtin('crypto');
/** `node:zlib`. */
export const nodeZlib = builtin('zlib');
/** `node:sqlite` (Node 22.5+); only reachable with the `node:` prefix. */
export const nodeSqlite: CatalogModule = {
  name: 'node:sqlite',
  specifiers: ['node:sqlite'],
  builtin: true,
  namedExports: true,
  defaultIsNamespace: true,
};

function pkg(name: string, options: { namedExports: boolean; defaultIsNamespace: boolean; typesPackage?: string }): CatalogModule {
  return { name, specifiers: [name], builtin: false, ...options };
}

/** `fs-extra`: every `fs` export plus its own helpers; CommonJS with detectable named exports. */
export const fsExtra = pkg('fs-extra', { namedExports: true, defaultIsNamespace: true, typesPackage: '@types/fs-extra' });
/** `graceful-fs`: a patched `fs`, default export only under ESM. */
export const gracefulFs = pkg('graceful-fs', { namedExports: false, defaultIsNamespace: true, typesPackage: '@types/graceful-fs' });
/** `better-sqlite3`: the default export is the `Database` class. */
export const betterSqlite3 = pkg('better-sqlite3', { namedExports: false, defaultIsNamespace: false, typesPackage: '@types/better-sqlite3' });
/** `bcrypt` (native). */
export const bcrypt = pkg('bcrypt', { namedExports: false, defaultIsNamespace: true, typesPackage: '@types/bcrypt' });
/** `bcryptjs` (pure JavaScript, ships ESM and types). */
export const bcryptjs = pkg('bcryptjs', { namedExports: true, defaultIsNamespace: true });
/** `glob` (v9+ ships ESM and types). */
export const glob = pkg('glob', { namedExports: true, defaultIsNamespace: false });
/** `fast-glob`: CommonJS, default export only under ESM. */
export const fastGlob = pkg('fast-glob', { namedExports: false, defaultIsNamespace: true });
/** `execa` (ESM). */
export const execa = pkg('execa', { namedExports: true, defaultIsNamespace: false });
/** `cross-spawn`: the default export is `spawn`, with `spawn.sync`. */
export const crossSpawn = pkg('cross-spawn', { namedExports: true, defaultIsNamespace: true, typesPackage: '@types/cross-spawn' });
/** `sync-request`: the default export performs the request. */
export const syncRequest = pkg('sync-request', { namedExports: false, defaultIsNamespace: false });
/** `deasync`: turns async functions into loop-spinning sync ones. */
export const deasync = pkg('deasync', { namedExports: false, defaultIsNamespace: true, typesPackage: '@types/deasync' });

/** Every module the built-in catalog draws on. */
export const catalogModules: readonly CatalogModule[] = [
  nodeFs,
  nodeChildProcess,
  nodeCrypto,
  nodeZlib,
  nodeSqlite,
  fsExtra,
  gracefulFs,
  betterSqlite3,
  bcrypt,
  bcryptjs,
  glob,
  fastGlob,
  execa,
  crossSpawn,
  syncRequest,
  deasync,
];
