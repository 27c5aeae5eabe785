import { isBuiltin } from 'node:module';

import { coreError } from '../errors.js';
import { busyWaitPatterns } from './busy-wait.js';
import { childProcessApis } from './entries/child-process.js';
import { cryptoApis } from './entries/crypto.js';
import { fsApis } from './entries/fs.js';
import { globApis } from './entries/glob.js';
import { passwordHashApis } from './entries/password-hash.js';
import { sqliteApis } from './entries/sqlite.js';
import { syncWaitApis } from './entries/sync-wait.js';
import { zlibApis } from './entries/zlib.js';
import { catalogModules } from './modules.js';
import { nonBlockingExports } from './non-blocking.js';
import {
  blockingKinds,
  type AsyncReplacement,
  type BlockingApi,
  type BlockingApiDefinition,
  type BlockingKind,
  type BusyWaitPattern,
  type CatalogModule,
  type NonBlockingExport,
} from './types.js';

/** Every blocking API loopguard knows out of the box. */
export const builtinBlockingApis: readonly BlockingApi[] = [
  ...fsApis,
  ...childProcessApis,
  ...cryptoApis,
  ...zlibApis,
  ...sqliteApis,
  ...passwordHashApis,
  ...globApis,
  ...syncWaitApis,
];

/** How a project adjusts the catalog from its configuration. */
export interface CatalogOptions {
  /** Project-specific blocking APIs (an in-house `querySync`, a vendored sync client). */
  readonly add?: readonly BlockingApiDefinition[];
  /** Ids to drop (`node:fs:existsSync`), or whole kinds as `kind:<kind>` (`kind:sqlite`). */
  readonly ignore?: readonly string[];
}

/**
 * The blocking-API catalog with its lookups. Every lookup takes what the caller sees in source code:
 * a module specifier as written (`fs`, `node:fs`) and an access path from the import binding.
 */
export interface Catalog {
  readonly apis: readonly BlockingApi[];
  readonly modules: readonly CatalogModule[];
  readonly busyWaitPatterns: readonly BusyWaitPattern[];
  readonly nonBlocking: readonly NonBlockingExport[];
  /** The entry with this id. */
  get(id: string): BlockingApi | undefined;
  /** The module a specifier reaches, if the catalog knows it. */
  findModule(specifier: string): CatalogModule | undefined;
  /**
   * The entry reached by `path` from the module's import: `readFileSync`, `default.readFileSync`
   * (a default import of a module whose default is its namespace), `realpathSync.native`.
   */
  findExport(specifier: string, path: string): BlockingApi | undefined;
  /** The entry for a method of instances of `typeName` declared by the module (`Statement`, `all`). */
  findMember(specifier: string, typeName: string, member: string): BlockingApi | undefined;
  /** The entry for a global path (`Atomics.wait`). */
  findGlobal(path: string): BlockingApi | undefined;
  /** Entries of one kind. */
  byKind(kind: BlockingKind): readonly BlockingApi[];
  /** Entries a specifier's module provides. */
  forModule(specifier: string): readonly BlockingApi[];
}

/**
 * Builds a catalog from the built-in entries plus a project's additions and minus its ignores.
 *
 * @example
 * const catalog = createCatalog({ add: [{ module: 'legacy-db', export: 'querySync', kind: 'sqlite', reason: '`querySync` blocks.' }] });
 * catalog.findExport('node:fs', 'readFileSync')?.replacement?.export; // 'readFile'
 */
export function createCatalog(options: CatalogOptions = {}): Catalog {
  const modules = [...catalogModules];
  const added = (options.add ?? []).map((definition, index) => fromDefinition(definition, index, modules));
  const ignored = new Set(options.ignore ?? []);
  for (const entry of ignored) validateIgnore(entry);
  const apis = [...builtinBlockingApis, ...added].filter((api) => !ignored.has(api.id) && !ignored.has(`kind:${api.kind}`));
  return indexCatalog(apis, modules);
}

/**
 * The catalog as shipped, without project additions.
 *
 * @example
 * defaultCatalog.findExport('fs', 'default.readFileSync')?.id; // 'node:fs:readFileSync'
 */
export const defaultCatalog: Catalog = createCatalog();

function indexCatalog(apis: readonly BlockingApi[], modules: readonly CatalogModule[]): Catalog {
  const bySpecifier = new Map<string, CatalogModule>();
  for (const module of modules) for (const specifier of module.specifiers) bySpecifier.set(specifier, module);
  const byId = new Map<string, BlockingApi>();
  const byModulePath = new Map<string, BlockingApi>();
  const byModule = new Map<string, BlockingApi[]>();
  const globals = new Map<string, BlockingApi>();
  for (const api of apis) {
    byId.set(api.id, api);
    if (api.source.kind === 'global') {
      globals.set(api.exportPath, api);
      continue;
    }
    byModulePath.set(key(api.source.module.name, api.exportPath), api);
    const list = byModule.get(api.source.module.name) ?? [];
    list.push(api);
    byModule.set(api.source.module.name, list);
  }
  const findModule = (specifier: string): CatalogModule | undefined => bySpecifier.get(specifier);
  return {
    apis,
    modules,
    busyWaitPatterns,
    nonBlocking: nonBlockingExports,
    get: (id) => byId.get(id),
    findModule,
    findExport(specifier, path) {
      const module = findModule(specifier);
      if (module === undefined) return undefined;
      const direct = byModulePath.get(key(module.name, path));
      if (direct !== undefined) return direct;
      if (module.defaultIsNamespace && path.startsWith('default.')) {
        return byModulePath.get(key(module.name, path.slice('default.'.length)));
      }
      return undefined;
    },
    findMember(specifier, typeName, member) {
      const module = findModule(specifier);
      return module === undefined ? undefined : byModulePath.get(key(module.name, `${typeName}#${member}`));
    },
    findGlobal: (path) => globals.get(path.startsWith('globalThis.') ? path.slice('globalThis.'.length) : path),
    byKind: (kind) => apis.filter((api) => api.kind === kind),
    forModule(specifier) {
      const module = findModule(specifier);
      return module === undefined ? [] : (byModule.get(module.name) ?? []);
    },
  };
}

function key(moduleName: string, path: string): string {
  return `${moduleName}\u0000${path}`;
}

function validateIgnore(entry: string): void {
  if (entry.startsWith('kind:') && !blockingKinds.includes(entry.slice('kind:'.length) as BlockingKind)) {
    throw coreError(
      `ignore '${entry}'`,
      `'${entry.slice('kind:'.length)}' is not a blocking kind`,
      `Use one of ${blockingKinds.map((kind) => `'kind:${kind}'`).join(', ')}`,
    );
  }
}

function fromDefinition(definition: BlockingApiDefinition, index: number, modules: CatalogModule[]): BlockingApi {
  const label = `blocking API #${String(index + 1)}${definition.module === undefined ? '' : ` ('${definition.module}')`}`;
  const fail = (reason: string, remedy: string): never => {
    throw coreError(`add ${label}`, reason, remedy);
  };
  if (!blockingKinds.includes(definition.kind)) {
    fail(`its kind '${definition.kind}' is unknown`, `Use one of ${blockingKinds.join(', ')}`);
  }
  if (typeof definition.reason !== 'string' || definition.reason.trim() === '') {
    fail('it has no `reason`', 'Give a one-line reason that users will see, e.g. "`querySync` waits for the database on the main thread."');
  }
  if ((definition.module === undefined) === (definition.global === undefined)) {
    fail('it must set exactly one of `module` and `global`', 'Set `module` and `export` for an import, or `global` for a global path');
  }
  const replacement = definition.replacement === undefined ? undefined : toReplacement(definition.replacement);
  const common = {
    invocation: definition.invocation ?? 'call',
    kind: definition.kind,
    reason: definition.reason,
    ...(replacement === undefined ? {} : { replacement }),
    ...(definition.advice === undefined ? {} : { advice: definition.advice }),
  } as const;
  if (definition.global !== undefined) {
    return { id: `global:${definition.global}`, source: { kind: 'global' }, exportPath: definition.global, ...common };
  }
  const specifier = definition.module ?? '';
  const exportPath = definition.export;
  if (exportPath === undefined || exportPath === '') {
    return fail('it sets `module` without `export`', "Name the export, e.g. `export: 'querySync'` or `export: 'Client#querySync'`");
  }
  const module = modules.find((candidate) => candidate.specifiers.includes(specifier)) ?? userModule(specifier);
  if (!modules.includes(module)) modules.push(module);
  return { id: `${module.name}:${exportPath}`, source: { kind: 'module', module }, exportPath, ...common };
}

function userModule(specifier: string): CatalogModule {
  if (isBuiltin(specifier)) {
    const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
    return { name: `node:${bare}`, specifiers: [`node:${bare}`, bare], builtin: true, namedExports: true, defaultIsNamespace: true };
  }
  return { name: specifier, specifiers: [specifier], builtin: false, namedExports: true, defaultIsNamespace: true };
}

function toReplacement(definition: NonNullable<BlockingApiDefinition['replacement']>): AsyncReplacement {
  return {
    module: definition.module,
    export: definition.export,
    viaDefault: definition.viaDefault ?? false,
    promisify: definition.promisify ?? false,
    call: definition.call ?? 'await $fn($args)',
    automatic: definition.automatic ?? true,
    ...(definition.caveat === undefined ? {} : { caveat: definition.caveat }),
  };
}
