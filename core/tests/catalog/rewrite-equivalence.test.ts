import * as fs from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import bcryptjs from 'bcryptjs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defaultCatalog, renderReplacementCall } from '../../src/index.js';
import { importModule, resolveReplacement, walk } from '../support/real-modules.js';

/**
 * Runs the sync API and the rendered rewrite on the same inputs and compares what the caller gets.
 * This is the executable meaning of each entry's `call` template and `optionDefaults`.
 */
interface Case {
  readonly id: string;
  /** Arguments for one run; `run` is 'sync' or 'async' so state-changing calls use separate paths. */
  readonly args: (dir: string, run: 'sync' | 'async') => unknown[];
  /** Turns a result into something comparable (or checks it), given the run's directory. */
  readonly observe?: (result: unknown, dir: string, run: 'sync' | 'async') => unknown;
  readonly label?: string;
}

// The rewrite is run as real code, exactly as a codemod would splice it in.
const AsyncFunction = (async () => {
  await Promise.resolve();
}).constructor as new (...params: string[]) => (...args: unknown[]) => Promise<unknown>;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopguard-core-'));
  await writeFile(join(dir, 'a.txt'), 'hello world');
  await writeFile(join(dir, 'b.txt'), 'second');
  await writeFile(join(dir, 'data.json'), JSON.stringify({ ok: true }));
  await symlink(join(dir, 'a.txt'), join(dir, 'link'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (value: unknown): unknown => (Buffer.isBuffer(value) ? { buffer: value.toString('hex') } : value);
const nodeScript = (code: string): string => `"${process.execPath}" -e "${code}"`;

const cases: readonly Case[] = [
  { id: 'node:fs:readFileSync', args: (d) => [join(d, 'a.txt'), 'utf8'] },
  { id: 'node:fs:readFileSync', label: 'without encoding (Buffer)', args: (d) => [join(d, 'a.txt')], observe: text },
  { id: 'node:fs:existsSync', args: (d) => [join(d, 'a.txt')] },
  { id: 'node:fs:existsSync', label: 'missing file', args: (d) => [join(d, 'missing.txt')] },
  { id: 'node:fs:statSync', args: (d) => [join(d, 'a.txt')], observe: (s) => [(s as fs.Stats).size, (s as fs.Stats).isFile()] },
  { id: 'node:fs:lstatSync', args: (d) => [join(d, 'link')], observe: (s) => (s as fs.Stats).isSymbolicLink() },
  { id: 'node:fs:readdirSync', args: (d) => [d], observe: (names) => (names as string[]).filter((n) => !n.startsWith('out-')).sort() },
  { id: 'node:fs:readlinkSync', args: (d) => [join(d, 'link')] },
  { id: 'node:fs:realpathSync', args: (d) => [join(d, 'link')] },
  { id: 'node:fs:realpathSync.native', args: (d) => [join(d, 'link')] },
  { id: 'node:fs:writeFileSync', args: (d, run) => [join(d, `out-${run}.txt`), 'written'], observe: (r, d, run) => [r, fs.readFileSync(join(d, `out-${run}.txt`), 'utf8')] },
  { id: 'node:fs:appendFileSync', args: (d, run) => [join(d, `out-append-${run}.txt`), 'x'], observe: (r, d, run) => [r, fs.readFileSync(join(d, `out-append-${run}.txt`), 'utf8')] },
  { id: 'node:fs:mkdirSync', args: (d, run) => [join(d, `out-dir-${run}`, 'nested'), { recursive: true }], observe: (r, d, run) => (r as string).replace(d, '').replace(run, 'RUN') },
  { id: 'node:fs:copyFileSync', args: (d, run) => [join(d, 'a.txt'), join(d, `out-copy-${run}.txt`)], observe: (r, d, run) => [r, fs.readFileSync(join(d, `out-copy-${run}.txt`), 'utf8')] },
  { id: 'node:fs:openSync', args: (d) => [join(d, 'a.txt'), 'r'], observe: (fd) => { fs.closeSync(fd as number); return typeof fd; } },
  { id: 'node:fs:readSync', args: (d) => [fs.openSync(join(d, 'a.txt'), 'r'), Buffer.alloc(5), 0, 5, 0] },
  { id: 'node:fs:writeSync', args: (d, run) => [fs.openSync(join(d, `out-w-${run}.txt`), 'w'), 'abc'] },
  { id: 'node:fs:fstatSync', args: (d) => [fs.openSync(join(d, 'b.txt'), 'r')], observe: (s) => (s as fs.Stats).size },
  { id: 'node:fs:mkdtempSync', args: (d) => [join(d, 'out-tmp-')], observe: (p, d) => (p as string).startsWith(join(d, 'out-tmp-')) },
  { id: 'fs-extra:readJsonSync', args: (d) => [join(d, 'data.json')] },
  { id: 'fs-extra:pathExistsSync', args: (d) => [join(d, 'missing')] },
  { id: 'fs-extra:existsSync', args: (d) => [join(d, 'a.txt')] },
  { id: 'fs-extra:readFileSync', args: (d) => [join(d, 'a.txt'), 'utf8'] },
  { id: 'fs-extra:readSync', args: (d) => [fs.openSync(join(d, 'a.txt'), 'r'), Buffer.alloc(4), 0, 4, 0] },
  { id: 'fs-extra:outputFileSync', args: (d, run) => [join(d, `out-deep-${run}`, 'x', 'f.txt'), 'deep'], observe: (r, d, run) => [r, fs.readFileSync(join(d, `out-deep-${run}`, 'x', 'f.txt'), 'utf8')] },
  { id: 'graceful-fs:readFileSync', args: (d) => [join(d, 'b.txt'), 'utf8'] },
  { id: 'graceful-fs:existsSync', args: (d) => [join(d, 'nope')] },
  { id: 'graceful-fs:readSync', args: (d) => [fs.openSync(join(d, 'a.txt'), 'r'), Buffer.alloc(3), 0, 3, 0] },
  { id: 'node:child_process:execSync', args: () => [nodeScript("process.stdout.write('hi')")], observe: text },
  { id: 'node:child_process:execSync', label: 'with an encoding', args: () => [nodeScript("process.stdout.write('hi')"), { encoding: 'utf8' }] },
  { id: 'node:crypto:pbkdf2Sync', args: () => ['secret', 'salt', 1000, 32, 'sha256'], observe: text },
  { id: 'node:crypto:scryptSync', args: () => ['secret', 'salt', 32], observe: text },
  { id: 'node:crypto:hkdfSync', args: () => ['sha256', 'key', 'salt', 'info', 16], observe: (r) => Buffer.from(r as ArrayBuffer).toString('hex') },
  { id: 'node:crypto:checkPrimeSync', args: () => [7919n] },
  { id: 'node:crypto:generatePrimeSync', args: () => [32, { bigint: true }], observe: (r) => typeof r },
  { id: 'node:crypto:generateKeySync', args: () => ['hmac', { length: 64 }], observe: (k) => [(k as { type: string }).type, (k as { symmetricKeySize: number }).symmetricKeySize] },
  { id: 'node:crypto:generateKeyPairSync', args: () => ['ed25519'], observe: (k) => Object.keys(k as object).sort() },
  ...['deflateSync', 'deflateRawSync', 'brotliCompressSync', 'gzipSync'].map((name) => ({
    id: `node:zlib:${name}`,
    args: () => [Buffer.from('loopguard '.repeat(20))],
    observe: (r: unknown) => (r as Buffer).length > 0 && (r as Buffer).length < 200,
  })),
  { id: 'node:zlib:gunzipSync', args: () => [gzipSync('zipped')], observe: text },
  { id: 'bcryptjs:compareSync', args: () => ['pw', bcryptjs.hashSync('pw', 4)] },
  { id: 'bcryptjs:compareSync', label: 'wrong password', args: () => ['nope', bcryptjs.hashSync('pw', 4)] },
  { id: 'bcrypt:compareSync', args: () => ['pw', bcryptjs.hashSync('pw', 4)] },
  { id: 'bcryptjs:genSaltSync', args: () => [4], observe: (s) => /^\$2[aby]\$04\$/.test(s as string) },
  { id: 'bcryptjs:hashSync', args: () => ['pw', 4], observe: (h) => /^\$2[aby]\$04\$.{53}$/.test(h as string) },
  { id: 'bcrypt:hashSync', args: () => ['pw', 4], observe: (h) => /^\$2[aby]\$04\$.{53}$/.test(h as string) },
  { id: 'bcrypt:genSaltSync', args: () => [4], observe: (s) => /^\$2[aby]\$04\$/.test(s as string) },
  { id: 'glob:globSync', args: (d) => ['*.txt', { cwd: d }], observe: (r) => (r as string[]).filter((n) => !n.startsWith('out-')).sort() },
  { id: 'glob:sync', args: (d) => ['*.json', { cwd: d }] },
  { id: 'fast-glob:sync', args: (d) => ['*.txt', { cwd: d }], observe: (r) => (r as string[]).filter((n) => !n.startsWith('out-')).sort() },
  { id: 'execa:execaSync', args: () => [process.execPath, ['-e', "process.stdout.write('x')"]], observe: (r) => (r as { stdout: string }).stdout },
];

describe('a rewrite gives the caller what the sync call gave', () => {
  it.each(cases.map((testCase) => [`${testCase.id}${testCase.label === undefined ? '' : ` (${testCase.label})`}`, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const api = defaultCatalog.get(testCase.id);
      expect(api, `catalog entry ${testCase.id}`).toBeDefined();
      if (api?.replacement === undefined || api.source.kind !== 'module') throw new Error(`${testCase.id} has no replacement`);
      const namespace = await importModule(api.source.module.specifiers[0] ?? '');
      const syncFn = walk(api.source.module.namedExports && !api.source.module.defaultIsNamespace ? namespace : (namespace.default ?? namespace), api.exportPath);
      expect(typeof syncFn).toBe('function');
      const observe = testCase.observe ?? ((value: unknown) => value);
      const expected = observe((syncFn as (...args: unknown[]) => unknown)(...testCase.args(dir, 'sync')), dir, 'sync');

      const args = testCase.args(dir, 'async');
      const names = args.map((_arg, index) => `a${String(index)}`);
      const expression = renderReplacementCall(api.replacement, '$fn', names);
      const rewritten = new AsyncFunction('$fn', ...names, `return ${expression};`);
      const actual = observe(await rewritten(await resolveReplacement(api.replacement), ...args), dir, 'async');
      expect(actual).toEqual(expected);
    },
  );
});
