import { promisify } from 'node:util';

import type { AsyncReplacement } from '../../src/index.js';

type Namespace = Record<string, unknown>;

/** Imports a module the way a user's ESM code would. */
export async function importModule(specifier: string): Promise<Namespace> {
  return (await import(specifier)) as Namespace;
}

/** Follows a dotted path (`promises.readFile`, `realpathSync.native`) from a value. */
export function walk(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split('.')) {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
    value = (value as Namespace)[part];
  }
  return value;
}

/** The function a rewrite binds to `$fn`: the export, reached as the catalog says, promisified if it says so. */
export async function resolveReplacement(replacement: AsyncReplacement): Promise<(...args: unknown[]) => unknown> {
  const namespace = await importModule(replacement.module);
  const value = walk(replacement.viaDefault ? namespace.default : namespace, replacement.export);
  if (!isCallable(value)) {
    throw new Error(`${replacement.module} has no function at '${replacement.export}' (viaDefault: ${String(replacement.viaDefault)})`);
  }
  return replacement.promisify ? promisify(value) : value;
}

/** Compares dotted Node versions: is `version` newer than the running Node? */
export function isNewerThanRunningNode(version: string): boolean {
  const wanted = version.split('.').map(Number);
  const running = process.versions.node.split('.').map(Number);
  for (let index = 0; index < 3; index += 1) {
    const difference = (wanted[index] ?? 0) - (running[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return false;
}

function isCallable(value: unknown): value is (...args: unknown[]) => unknown {
  return typeof value === 'function';
}
