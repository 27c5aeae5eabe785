import type { BlockingApi } from './types.js';

/**
 * How users write the API: `fs.readFileSync`, `zlib.gzipSync`, `fs-extra.readJsonSync`,
 * `Statement#all`, `Atomics.wait`, `better-sqlite3` (a default export).
 *
 * @example
 * apiDisplayName(defaultCatalog.get('node:fs:readFileSync')!); // 'fs.readFileSync'
 */
export function apiDisplayName(api: BlockingApi): string {
  if (api.source.kind === 'global' || api.exportPath.includes('#')) return api.exportPath;
  const module = api.source.module;
  const prefix = module.builtin ? module.name.replace(/^node:/, '') : module.name;
  return api.exportPath === 'default' ? prefix : `${prefix}.${api.exportPath}`;
}
