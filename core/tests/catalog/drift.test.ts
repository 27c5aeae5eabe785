import { describe, expect, it } from 'vitest';

import { defaultCatalog } from '../../src/index.js';
import { importModule, isNewerThanRunningNode } from '../support/real-modules.js';

// Each row: a module as users import it, and how to list its synchronous exports at run time.
const syncSurfaces: readonly { specifier: string; exports: (namespace: Record<string, unknown>) => string[] }[] = [
  { specifier: 'node:fs', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync')) },
  { specifier: 'node:zlib', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync')) },
  { specifier: 'node:crypto', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync')) },
  { specifier: 'node:child_process', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync')) },
  { specifier: 'fs-extra', exports: (ns) => Object.keys(ns.default as object).filter((name) => name.endsWith('Sync')) },
  { specifier: 'graceful-fs', exports: (ns) => Object.keys(ns.default as object).filter((name) => name.endsWith('Sync')) },
  { specifier: 'glob', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync') || name === 'sync') },
  { specifier: 'fast-glob', exports: (ns) => Object.keys(ns.default as object).filter((name) => name.endsWith('Sync') || name === 'sync') },
  { specifier: 'execa', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync')) },
  { specifier: 'cross-spawn', exports: (ns) => Object.keys(ns.default as object).filter((name) => name === 'sync') },
  { specifier: 'bcryptjs', exports: (ns) => Object.keys(ns).filter((name) => name.endsWith('Sync')) },
  { specifier: 'bcrypt', exports: (ns) => Object.keys(ns.default as object).filter((name) => name.endsWith('Sync')) },
];

describe('the catalog matches the installed modules', () => {
  it.each(syncSurfaces)('every synchronous export of $specifier is catalogued or explicitly cleared', async ({ specifier, exports }) => {
    const namespace = await importModule(specifier);
    const names = exports(namespace);
    expect(names.length).toBeGreaterThan(0);
    const cleared = new Set(defaultCatalog.nonBlocking.filter((entry) => entry.module === specifier).map((entry) => entry.exportPath));
    const missing = names.filter((name) => defaultCatalog.findExport(specifier, name) === undefined && !cleared.has(name));
    expect(missing).toEqual([]);
  });

  it.each(syncSurfaces)('every catalogued top-level export of $specifier exists, unless it is newer than this Node', async ({ specifier }) => {
    const namespace = await importModule(specifier);
    const module = defaultCatalog.findModule(specifier);
    expect(module).toBeDefined();
    const surface = module?.namedExports === false || specifier === 'fs-extra' || specifier === 'bcrypt' ? (namespace.default as object) : namespace;
    const stale = defaultCatalog
      .forModule(specifier)
      .filter((api) => !api.exportPath.includes('#') && api.exportPath !== 'default')
      .filter((api) => !(topLevel(api.exportPath) in surface))
      .filter((api) => api.since === undefined || !isNewerThanRunningNode(api.since))
      .map((api) => api.id);
    expect(stale).toEqual([]);
  });

  it('lists the cleared exports with a reason, and they really exist', async () => {
    for (const entry of defaultCatalog.nonBlocking) {
      const namespace = await importModule(entry.module);
      expect(entry.exportPath in namespace, entry.exportPath).toBe(true);
      expect(entry.reason).toMatch(/\.$/);
    }
  });
});

function topLevel(exportPath: string): string {
  return exportPath.split('.')[0] ?? exportPath;
}
