import type { AsyncReplacement, BlockingApi, BlockingKind, CatalogModule } from '../types.js';

/** The call template for "same arguments, same result". */
export const sameResult = 'await $fn($args)';

interface ApiOptions {
  readonly invocation?: 'call' | 'construct';
  readonly since?: string;
  readonly replacement?: AsyncReplacement;
  readonly advice?: string;
}

/** Builds the catalog entry for an export (or member) of `module`; its id is `<module name>:<exportPath>`. */
export function moduleApi(
  module: CatalogModule,
  exportPath: string,
  kind: BlockingKind,
  reason: string,
  options: ApiOptions = {},
): BlockingApi {
  return {
    id: `${module.name}:${exportPath}`,
    source: { kind: 'module', module },
    exportPath,
    invocation: options.invocation ?? 'call',
    kind,
    reason,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.replacement === undefined ? {} : { replacement: options.replacement }),
    ...(options.advice === undefined ? {} : { advice: options.advice }),
  };
}

/** Builds the catalog entry for a global path such as `Atomics.wait`; its id is `global:<path>`. */
export function globalApi(path: string, kind: BlockingKind, reason: string, options: ApiOptions = {}): BlockingApi {
  return {
    id: `global:${path}`,
    source: { kind: 'global' },
    exportPath: path,
    invocation: options.invocation ?? 'call',
    kind,
    reason,
    ...(options.replacement === undefined ? {} : { replacement: options.replacement }),
    ...(options.advice === undefined ? {} : { advice: options.advice }),
  };
}

/** An async replacement that keeps arguments and result (`await readFile(p, 'utf8')`). */
export function replaceWith(module: string, exportPath: string, extra: Partial<AsyncReplacement> = {}): AsyncReplacement {
  return { module, export: exportPath, viaDefault: false, promisify: false, call: sameResult, automatic: true, ...extra };
}

/** An async replacement built by `util.promisify` of a Node-style callback API. */
export function promisified(module: string, exportPath: string, extra: Partial<AsyncReplacement> = {}): AsyncReplacement {
  return replaceWith(module, exportPath, { promisify: true, ...extra });
}
