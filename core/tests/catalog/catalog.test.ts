import { describe, expect, it } from 'vitest';

import { LoopguardCoreError, createCatalog, defaultCatalog, renderReplacementCall } from '../../src/index.js';

describe('lookups', () => {
  it('finds node:fs by either specifier and through the default import', () => {
    const direct = defaultCatalog.findExport('node:fs', 'readFileSync');
    expect(direct?.id).toBe('node:fs:readFileSync');
    expect(defaultCatalog.findExport('fs', 'readFileSync')).toBe(direct);
    expect(defaultCatalog.findExport('fs', 'default.readFileSync')).toBe(direct);
    expect(direct?.replacement).toMatchObject({ module: 'node:fs/promises', export: 'readFile', promisify: false });
  });

  it('does not treat async APIs or unknown modules as blocking', () => {
    expect(defaultCatalog.findExport('node:fs', 'readFile')).toBeUndefined();
    expect(defaultCatalog.findExport('node:fs/promises', 'readFile')).toBeUndefined();
    expect(defaultCatalog.findExport('node:fs', 'promises.readFile')).toBeUndefined();
    expect(defaultCatalog.findExport('./my-sync-helpers', 'readConfigSync')).toBeUndefined();
  });

  it('finds a default-export member only where the default is the namespace', () => {
    expect(defaultCatalog.findExport('cross-spawn', 'default.sync')?.id).toBe('cross-spawn:sync');
    expect(defaultCatalog.findExport('fast-glob', 'default.sync')?.id).toBe('fast-glob:sync');
    expect(defaultCatalog.findExport('glob', 'default.sync')).toBeUndefined();
  });

  it('finds class members and constructors', () => {
    expect(defaultCatalog.findMember('better-sqlite3', 'Statement', 'all')?.kind).toBe('sqlite');
    expect(defaultCatalog.findMember('better-sqlite3', 'Database', 'backup')).toBeUndefined();
    expect(defaultCatalog.findExport('better-sqlite3', 'default')?.invocation).toBe('construct');
    expect(defaultCatalog.findExport('node:sqlite', 'DatabaseSync')?.invocation).toBe('construct');
    expect(defaultCatalog.findMember('node:sqlite', 'StatementSync', 'iterate')?.id).toBe('node:sqlite:StatementSync#iterate');
  });

  it('finds globals with or without globalThis', () => {
    expect(defaultCatalog.findGlobal('Atomics.wait')?.kind).toBe('sync-wait');
    expect(defaultCatalog.findGlobal('globalThis.Atomics.wait')?.id).toBe('global:Atomics.wait');
    expect(defaultCatalog.findGlobal('Atomics.waitAsync')).toBeUndefined();
  });
});

describe('coverage of what the catalog promises', () => {
  const required: Record<string, readonly string[]> = {
    'node:child_process': ['execSync', 'execFileSync', 'spawnSync'],
    'node:crypto': ['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generateKeySync', 'generatePrimeSync', 'hkdfSync'],
    'node:zlib': ['gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'deflateRawSync', 'inflateRawSync', 'unzipSync', 'brotliCompressSync', 'brotliDecompressSync'],
    'node:sqlite': ['DatabaseSync', 'DatabaseSync#exec', 'DatabaseSync#prepare', 'StatementSync#all', 'StatementSync#get', 'StatementSync#run', 'StatementSync#iterate'],
    'better-sqlite3': ['default', 'Database#prepare', 'Database#exec', 'Database#pragma', 'Database#transaction', 'Statement#get', 'Statement#all', 'Statement#run', 'Statement#iterate'],
    bcrypt: ['hashSync', 'compareSync', 'genSaltSync'],
    bcryptjs: ['hashSync', 'compareSync', 'genSaltSync'],
    glob: ['sync', 'globSync'],
    'fast-glob': ['sync', 'globSync'],
    execa: ['execaSync', 'execaCommandSync'],
    'cross-spawn': ['sync'],
    'sync-request': ['default'],
    deasync: ['default'],
    'fs-extra': ['readJsonSync', 'outputFileSync', 'readFileSync'],
    'graceful-fs': ['readFileSync', 'writeFileSync'],
  };

  it.each(Object.entries(required))('%s', (module, exports) => {
    for (const exportPath of exports) expect(defaultCatalog.get(`${module}:${exportPath}`), `${module}:${exportPath}`).toBeDefined();
  });

  it('covers Atomics.wait and describes busy-wait loops as a pattern', () => {
    expect(defaultCatalog.get('global:Atomics.wait')).toBeDefined();
    expect(defaultCatalog.busyWaitPatterns[0]?.clocks).toEqual(expect.arrayContaining(['Date.now', 'performance.now']));
  });

  it('gives every entry a unique id, a one-line reason, and either a replacement or advice', () => {
    const ids = defaultCatalog.apis.map((api) => api.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const api of defaultCatalog.apis) {
      expect(api.reason, api.id).toMatch(/^[^\n]+\.$/);
      expect(api.replacement !== undefined || api.advice !== undefined, `${api.id} tells users what to do`).toBe(true);
    }
  });

  it('has no automatic replacement for APIs without an async twin', () => {
    for (const id of ['better-sqlite3:Statement#all', 'global:Atomics.wait', 'node:child_process:spawnSync', 'sync-request:default']) {
      expect(defaultCatalog.get(id)?.replacement, id).toBeUndefined();
      expect(defaultCatalog.get(id)?.advice, id).toBeTruthy();
    }
  });
});

describe('renderReplacementCall', () => {
  const execSync = defaultCatalog.get('node:child_process:execSync')?.replacement;
  const exists = defaultCatalog.get('node:fs:existsSync')?.replacement;
  if (execSync === undefined || exists === undefined) throw new Error('catalog entries missing');

  it('keeps arguments for same-shape replacements', () => {
    const readFile = defaultCatalog.get('node:fs:readFileSync')?.replacement;
    if (readFile === undefined) throw new Error('missing');
    expect(renderReplacementCall(readFile, 'readFile', ['path', "'utf8'"])).toBe("await readFile(path, 'utf8')");
  });

  it('turns existsSync into an access check that yields a boolean', () => {
    expect(renderReplacementCall(exists, 'access', ['file'])).toBe('await access(file).then(() => true, () => false)');
  });

  it('asks for a Buffer when execSync had no options, and lets explicit options win', () => {
    expect(renderReplacementCall(execSync, 'execAsync', ['cmd'])).toBe("(await execAsync(cmd, { encoding: 'buffer' })).stdout");
    expect(renderReplacementCall(execSync, 'execAsync', ['cmd', "{ encoding: 'utf8' }"])).toBe(
      "(await execAsync(cmd, { encoding: 'buffer', ...{ encoding: 'utf8' } })).stdout",
    );
  });

  it('never substitutes inside the argument text', () => {
    expect(renderReplacementCall(exists, 'access', ["'$fn'"])).toBe("await access('$fn').then(() => true, () => false)");
  });
});

describe('createCatalog', () => {
  it('adds project APIs found like built-in ones', () => {
    const catalog = createCatalog({
      add: [
        { module: 'legacy-db', export: 'querySync', kind: 'sqlite', reason: '`querySync` waits for the database on the main thread.' },
        { module: 'legacy-db', export: 'Client#fetchSync', kind: 'http', reason: '`fetchSync` blocks.', replacement: { module: 'legacy-db', export: 'Client#fetch' } },
        { global: 'Bun.sleepSync', kind: 'sync-wait', reason: '`sleepSync` parks the thread.' },
        { module: 'fs', export: 'customSync', kind: 'fs', reason: 'A patched export.' },
      ],
    });
    expect(catalog.findExport('legacy-db', 'querySync')?.kind).toBe('sqlite');
    expect(catalog.findExport('legacy-db', 'default.querySync')?.id).toBe('legacy-db:querySync');
    expect(catalog.findMember('legacy-db', 'Client', 'fetchSync')?.replacement?.call).toBe('await $fn($args)');
    expect(catalog.findGlobal('Bun.sleepSync')).toBeDefined();
    expect(catalog.findExport('node:fs', 'customSync')?.id).toBe('node:fs:customSync');
    expect(defaultCatalog.findExport('legacy-db', 'querySync')).toBeUndefined();
  });

  it('drops ignored ids and kinds', () => {
    const catalog = createCatalog({ ignore: ['node:fs:existsSync', 'kind:sqlite'] });
    expect(catalog.findExport('fs', 'existsSync')).toBeUndefined();
    expect(catalog.findExport('fs', 'readFileSync')).toBeDefined();
    expect(catalog.byKind('sqlite')).toEqual([]);
  });

  it('rejects bad definitions with a message that says what to do', () => {
    expect(() => createCatalog({ add: [{ kind: 'fs', reason: 'x.' }] })).toThrow(
      /^\[loopguard core\] Failed to add blocking API #1: it must set exactly one of `module` and `global`\. Set `module` and `export`/,
    );
    expect(() => createCatalog({ add: [{ module: 'm', kind: 'fs', reason: 'x.' }] })).toThrow(/sets `module` without `export`/);
    expect(() => createCatalog({ add: [{ module: 'm', export: 'a', kind: 'disk' as 'fs', reason: 'x.' }] })).toThrow(
      /#1 \('m'\): its kind 'disk' is unknown\. Use one of fs, process/,
    );
    expect(() => createCatalog({ ignore: ['kind:disk'] })).toThrow(LoopguardCoreError);
  });
});
