import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { resolveCall } from '../../src/analysis/index.js';
import { defaultCatalog } from '../../src/index.js';
import { createProgram, findNode, parseFile } from '../support/program.js';

function resolvedId(code: string, callPrefix: string, typed: boolean): string | undefined {
  const program = typed ? createProgram({ 'main.ts': code, 'helpers.ts': helpers }) : undefined;
  const file = program?.file('main.ts') ?? parseFile('main.ts', code);
  const call = findNode(file, (node): node is ts.CallExpression | ts.NewExpression => ts.isCallExpression(node) || ts.isNewExpression(node), callPrefix);
  const target = resolveCall(call, { catalog: defaultCatalog, checker: program?.program.getTypeChecker() });
  if (target === undefined) return undefined;
  return target.kind === 'blocking' ? target.api.id : `function:${target.declaration.getText().slice(0, 30)}`;
}

const helpers = "export { readFileSync as readText } from 'node:fs';\nexport function localSync(): string { return 'x'; }\n";

const importForms: readonly (readonly [string, string, string, string])[] = [
  ['named import', "import { readFileSync } from 'node:fs';\nreadFileSync('a');", 'readFileSync(', 'node:fs:readFileSync'],
  ['bare specifier', "import { readFileSync } from 'fs';\nreadFileSync('a');", 'readFileSync(', 'node:fs:readFileSync'],
  ['aliased import', "import { readFileSync as read } from 'fs';\nread('a');", 'read(', 'node:fs:readFileSync'],
  ['namespace import', "import * as fs from 'node:fs';\nfs.writeFileSync('a', 'b');", 'fs.writeFileSync(', 'node:fs:writeFileSync'],
  ['default import', "import fs from 'fs';\nfs.existsSync('a');", 'fs.existsSync(', 'node:fs:existsSync'],
  ['fs.default', "import * as fs from 'node:fs';\nfs.default.statSync('a');", 'fs.default.statSync(', 'node:fs:statSync'],
  ['require', "const fs = require('fs');\nfs.readdirSync('.');", 'fs.readdirSync(', 'node:fs:readdirSync'],
  ['require destructuring with rename', "const { execSync: run } = require('node:child_process');\nrun('ls');", 'run(', 'node:child_process:execSync'],
  ['inline require', "require('zlib').gzipSync('x');", "require('zlib').gzipSync(", 'node:zlib:gzipSync'],
  ['const alias of a member', "import crypto from 'node:crypto';\nconst derive = crypto.pbkdf2Sync;\nderive('p', 's', 1, 32, 'sha256');", 'derive(', 'node:crypto:pbkdf2Sync'],
  ['nested member', "import fs from 'node:fs';\nfs.realpathSync.native('.');", 'fs.realpathSync.native(', 'node:fs:realpathSync.native'],
  ['package default member', "import fg from 'fast-glob';\nfg.sync('*');", 'fg.sync(', 'fast-glob:sync'],
  ['package named', "import { hashSync } from 'bcryptjs';\nhashSync('p', 4);", 'hashSync(', 'bcryptjs:hashSync'],
  ['Atomics.wait', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);', 'Atomics.wait(', 'global:Atomics.wait'],
  ['globalThis.Atomics.wait', 'globalThis.Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);', 'globalThis.Atomics.wait(', 'global:Atomics.wait'],
];

describe('resolving a call to the catalog, typed and untyped', () => {
  it.each(importForms)('%s (typed)', (_name, code, prefix, id) => {
    expect(resolvedId(code, prefix, true)).toBe(id);
  });
  it.each(importForms)('%s (untyped)', (_name, code, prefix, id) => {
    expect(resolvedId(code, prefix, false)).toBe(id);
  });
});

describe('only the checker sees through', () => {
  it('a re-export in a local module', () => {
    const code = "import { readText } from './helpers.js';\nreadText('a');";
    expect(resolvedId(code, 'readText(', true)).toBe('node:fs:readFileSync');
    expect(resolvedId(code, 'readText(', false)).toBeUndefined();
  });

  it('methods of declared types (better-sqlite3 statements)', () => {
    const code = "import Database from 'better-sqlite3';\nconst db = new Database(':memory:');\nexport const rows = db.prepare('select 1').all();";
    expect(resolvedId(code, "db.prepare('select 1').all(", true)).toBe('better-sqlite3:Statement#all');
    expect(resolvedId(code, "db.prepare(", true)).toBe('better-sqlite3:Database#prepare');
    expect(resolvedId(code, "new Database(", true)).toBe('better-sqlite3:default');
  });

  it('a parameter typed as the module', () => {
    const code = "export function read(fsModule: typeof import('node:fs')) { return fsModule.readFileSync('a'); }";
    expect(resolvedId(code, 'fsModule.readFileSync(', true)).toBe('node:fs:readFileSync');
  });
});

describe('not blocking', () => {
  it.each([
    ['promises API', "import { readFile } from 'node:fs/promises';\nawait readFile('a');", 'readFile('],
    ['fs.promises member', "import fs from 'node:fs';\nawait fs.promises.readFile('a');", 'fs.promises.readFile('],
    ['callback API', "import fs from 'node:fs';\nfs.readFile('a', () => {});", 'fs.readFile('],
    ['a local function named like one', 'function readFileSync(p: string) { return p; }\nreadFileSync("a");', 'readFileSync('],
    ['a shadowing parameter', "import * as fs from 'node:fs';\nexport function f(fs: { readFileSync(p: string): string }) { return fs.readFileSync('a'); }", "fs.readFileSync('a')"],
    ['a local Atomics', 'const Atomics = { wait: (a: number) => a };\nAtomics.wait(1);', 'Atomics.wait('],
  ])('%s', (_name, code, prefix) => {
    const typed = resolvedId(code, prefix, true);
    expect(typed === undefined || typed.startsWith('function:')).toBe(true);
    const untyped = resolvedId(code, prefix, false);
    expect(untyped === undefined || untyped.startsWith('function:')).toBe(true);
  });

  it('a project function resolves as a function to follow', () => {
    expect(resolvedId("import { localSync } from './helpers.js';\nlocalSync();", 'localSync(', true)).toMatch(/^function:export function localSync/);
    expect(resolvedId('function helper() { return 1; }\nhelper();', 'helper(', false)).toMatch(/^function:function helper/);
  });
});
