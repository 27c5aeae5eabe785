import { describe, expect, it } from 'vitest';

import { defaultCatalog } from '../../src/index.js';
import { isNewerThanRunningNode } from '../support/real-modules.js';
import { typeErrors } from '../support/type-check.js';

/**
 * APIs this runtime cannot import (newer Node, native modules that need an install script) are
 * checked against their published declarations instead, so they cannot drift either.
 */
describe('catalog entries that cannot be imported here match their declarations', () => {
  it('node APIs newer than this Node exist in @types/node@24, and so do their replacements', () => {
    const newer = defaultCatalog.apis.filter(
      (api) => api.source.kind === 'module' && api.source.module.builtin && api.since !== undefined && isNewerThanRunningNode(api.since),
    );
    expect(newer.map((api) => api.id)).toEqual(expect.arrayContaining(['node:fs:globSync', 'node:sqlite:DatabaseSync', 'node:zlib:zstdCompressSync']));
    const lines: string[] = [];
    newer.forEach((api, index) => {
      if (api.source.kind !== 'module') return;
      const [owner, member] = api.exportPath.split('#');
      lines.push(`import * as m${String(index)} from '${api.source.module.name}';`);
      if (member === undefined) {
        lines.push(`void m${String(index)}.${api.exportPath};`);
      } else {
        lines.push(`declare const v${String(index)}: m${String(index)}.${owner ?? ''};`, `void v${String(index)}.${member};`);
      }
      if (api.replacement !== undefined) {
        lines.push(`import * as r${String(index)} from '${api.replacement.module}';`, `void r${String(index)}.${api.replacement.export};`);
      }
    });
    expect(typeErrors(lines.join('\n'), { nodeTypes: 'node-24' })).toEqual([]);
  });

  it('a misspelt member is caught by the same check (the check can fail)', () => {
    expect(typeErrors("import * as m from 'node:sqlite';\ndeclare const v: m.StatementSync;\nvoid v.allRows;", { nodeTypes: 'node-24' })).not.toEqual([]);
  });

  it('better-sqlite3 members exist in @types/better-sqlite3', () => {
    const members = defaultCatalog.forModule('better-sqlite3');
    expect(members.length).toBeGreaterThanOrEqual(9);
    const lines = ["import Database from 'better-sqlite3';", "const db = new Database(':memory:');", "const statement = db.prepare('select 1');"];
    for (const api of members) {
      const [owner, member] = api.exportPath.split('#');
      if (member === undefined) {
        expect(api.invocation).toBe('construct');
        continue;
      }
      lines.push(`void ${owner === 'Database' ? 'db' : 'statement'}.${member};`);
    }
    expect(typeErrors(lines.join('\n'))).toEqual([]);
  });
});
