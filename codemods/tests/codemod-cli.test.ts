import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

import { runCli, runCodemod } from '../src/index.js';

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '.work', `cli-${String(process.pid)}`);
let counter = 0;

const blockingHelper = `import { readFileSync } from 'node:fs';

export function loadGreeting(): string {
  return readFileSync('greeting.txt', 'utf8');
}
`;
const handler = `import { loadGreeting } from './greeting.js';

export async function greet(name: string): Promise<string> {
  return \`\${loadGreeting()}, \${name}\`;
}
`;

/** A small TypeScript project inside the repository (so `@types/node` resolves). */
async function project(files: Record<string, string>): Promise<string> {
  counter += 1;
  const dir = join(work, String(counter));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2023', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }),
  );
  await Promise.all(
    Object.entries(files).map(async ([name, text]) => {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
    }),
  );
  return dir;
}

async function cli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  if (cwd !== undefined) process.chdir(cwd);
  try {
    const code = await runCli(args, {
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
    });
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('loopguard codemod', () => {
  it('lists the valid transforms and exits 2 for an unknown one', async () => {
    const { code, stderr } = await cli(['codemod', 'sync-to-asnyc']);
    expect(code).toBe(2);
    expect(stderr).toBe("[loopguard] Failed to run the codemod: there is no transform 'sync-to-asnyc'. Use one of 'sync-to-async', 'then-to-await', 'callbacks-to-async', 'concurrent-awaits' (`loopguard codemod --help` describes them).\n");
  });

  it('describes every transform in its help', async () => {
    const { code, stdout } = await cli(['codemod', '--help']);
    expect(code).toBe(0);
    // One column of names, each description starting at the same place, past the longest name.
    const rows = stdout.slice(stdout.indexOf('Transforms:\n') + 'Transforms:\n'.length).trimEnd().split('\n');
    expect(rows.map((row) => /^ {2}(\S+) {2,}\S/.exec(row)?.[1])).toEqual(['sync-to-async', 'then-to-await', 'callbacks-to-async', 'concurrent-awaits']);
    expect(new Set(rows.map((row) => row.search(/(?<=\S {2,})\S/))).size).toBe(1);
    expect(stdout).toMatch(/ {2}concurrent-awaits {2,}Run independent awaits together/);
  });

  it('bounds loops with --max-concurrency, and explains a bad value', async () => {
    const dir = await project({
      'src/batch.ts':
        "declare function load(id: string): Promise<string>;\n\nexport async function batch(ids: string[]) {\n  for (const id of ids) {\n    console.log(await load(id));\n  }\n}\n",
    });
    const bad = await cli(['codemod', 'concurrent-awaits', '--max-concurrency', '0'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Failed to read --max-concurrency: '0' is not a whole number of at least 1. Pass how many iterations may run at once, e.g. --max-concurrency 8.");
    const { code, stdout } = await cli(['codemod', 'concurrent-awaits', '--max-concurrency', '4', '--force', '--write'], dir);
    expect(code).toBe(0);
    expect(await readFile(join(dir, 'src', 'batch.ts'), 'utf8')).toBe(
      "declare function load(id: string): Promise<string>;\n\nexport async function batch(ids: string[]) {\n  {\n    const items = ids;\n    for (let offset = 0; offset < items.length; offset += 4) {\n      await Promise.all(items.slice(offset, offset + 4).map(async (id) => {\n        console.log(await load(id));\n      }));\n    }\n  }\n}\n",
    );
    expect(stdout).toContain('wrote src/batch.ts (1 rewrite)');
  });

  it('keeps a collecting loop in order under --max-concurrency, its slice names apart from the collection', async () => {
    const dir = await project({
      'src/batch.ts':
        "declare function load(id: string): Promise<string>;\n\nexport async function batch(ids: string[]) {\n  const items: string[] = [];\n  for (const id of ids) {\n    const text = await load(id);\n    items.push(text.trim());\n  }\n  return items;\n}\n",
      'src/texts.ts': "declare function load(id: string): Promise<string>;\n\nexport async function texts(ids: string[]) {\n  const texts: string[] = [];\n  for (const id of ids) texts.push(await load(id));\n  return texts;\n}\n",
    });
    const { code, stdout } = await cli(['codemod', 'concurrent-awaits', '--max-concurrency', '4', '--force', '--write'], dir);
    expect(code).toBe(0);
    // Each slice's results are pushed in the order of its items, never as each one finishes; the
    // slices are named `items2`, since `items` is what the loop fills.
    expect(await readFile(join(dir, 'src', 'batch.ts'), 'utf8')).toBe(
      "declare function load(id: string): Promise<string>;\n\nexport async function batch(ids: string[]) {\n  const items: string[] = [];\n  {\n    const items2 = ids;\n    for (let offset = 0; offset < items2.length; offset += 4) {\n      for (const { text } of await Promise.all(items2.slice(offset, offset + 4).map(async (id) => {\n        const text = await load(id);\n        return { text } as const;\n      }))) {\n        items.push(text.trim());\n      }\n    }\n  }\n  return items;\n}\n",
    );
    expect(await readFile(join(dir, 'src', 'texts.ts'), 'utf8')).toBe(
      "declare function load(id: string): Promise<string>;\n\nexport async function texts(ids: string[]) {\n  const texts: string[] = [];\n  {\n    const items = ids;\n    for (let offset = 0; offset < items.length; offset += 4) {\n      texts.push(...(await Promise.all(items.slice(offset, offset + 4).map((id) => load(id)))));\n    }\n  }\n  return texts;\n}\n",
    );
    expect(stdout).toContain('wrote src/batch.ts (1 rewrite)');
  });

  it("names what is left for a person in the transform's own terms", async () => {
    const dir = await project({
      'src/pages.ts':
        "declare function load(page: number): Promise<string>;\n\nexport async function pages(count: number) {\n  for (let page = 0; page < count; page += 1) {\n    console.log(await load(page));\n  }\n}\n",
    });
    const { code, stdout } = await cli(['codemod', 'concurrent-awaits', '--no-color'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain('1 loop or sequence with no mechanical rewrite (convert by hand):\n  src/pages.ts:4:3 `for loop`');
    expect(stdout).not.toContain('blocking call');
  });

  it('says what to do when there is no tsconfig.json', async () => {
    const { code, stderr } = await cli(['codemod', 'sync-to-async', '--project', join(work, 'missing', 'tsconfig.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain("Failed to run the codemod: '");
    expect(stderr).toContain("does not exist. Pass --project the path of a tsconfig.json.");
  });

  it('says so when a path matches no file of the project', async () => {
    const dir = await project({ 'src/greeting.ts': blockingHelper, 'src/handler.ts': handler });
    const { code, stderr } = await cli(['codemod', 'sync-to-async', 'lib/**/*.ts'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain("'lib/**/*.ts' matches no file of the project");
  });

  it('prints a diff and a summary in a dry run, and writes nothing', async () => {
    const dir = await project({ 'src/greeting.ts': blockingHelper, 'src/handler.ts': handler });
    const { code, stdout } = await cli(['codemod', 'sync-to-async', '--no-color'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('--- a/src/greeting.ts\n+++ b/src/greeting.ts\n');
    expect(stdout).toContain("-export function loadGreeting(): string {\n-  return readFileSync('greeting.txt', 'utf8');\n+export async function loadGreeting(): Promise<string> {\n+  return await readFile('greeting.txt', 'utf8');");
    expect(stdout).toContain('-  return `${loadGreeting()}, ${name}`;\n+  return `${await loadGreeting()}, ${name}`;');
    expect(stdout).toMatch(/Dry run: 2 files would change \(3 rewrites\), type-checked\. 2 files analysed in [\d.]+s\. Run again with --write to apply\.\n$/);
    expect(await readFile(join(dir, 'src', 'greeting.ts'), 'utf8')).toBe(blockingHelper);
  });

  it('reports every rewrite, boundary and diff as JSON', async () => {
    const dir = await project({
      'src/greeting.ts': blockingHelper,
      'src/handler.ts': handler,
      'src/banner.ts': `import { loadGreeting } from './greeting.js';\n\nexport const banner = loadGreeting();\n\nexport async function shout(): Promise<string> {\n  return loadGreeting().toUpperCase();\n}\n`,
    });
    const { code, stdout } = await cli(['codemod', 'sync-to-async', '--json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      dryRun: boolean;
      summary: Record<string, number>;
      files: unknown[];
      boundaries: { file: string; line: number; reason: string; function: string; chain: string[] }[];
    };
    expect(report.dryRun).toBe(true);
    expect(report.summary).toEqual({ changedFiles: 0, rewrites: 0, boundaries: 1, manual: 0, rejectedFiles: 0, droppedRewrites: 0 });
    expect(report.boundaries).toEqual([
      expect.objectContaining({ file: 'src/banner.ts', line: 3, reason: 'start-up-code', function: 'loadGreeting', chain: ['loadGreeting', 'fs.readFileSync'] }),
    ]);
  });

  it('writes with --write, keeping file permissions and leaving no temporary files', async () => {
    const dir = await project({ 'src/greeting.ts': blockingHelper, 'src/handler.ts': handler });
    await chmod(join(dir, 'src', 'greeting.ts'), 0o640);
    const { code, stdout } = await cli(['codemod', 'sync-to-async', '--write', '--no-color'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('wrote src/greeting.ts (2 rewrites)\nwrote src/handler.ts (1 rewrite)\n');
    expect(await readFile(join(dir, 'src', 'greeting.ts'), 'utf8')).toBe(
      "import { readFile } from 'node:fs/promises';\n\nexport async function loadGreeting(): Promise<string> {\n  return await readFile('greeting.txt', 'utf8');\n}\n",
    );
    expect((await stat(join(dir, 'src', 'greeting.ts'))).mode & 0o777).toBe(0o640);
    expect(await readdir(join(dir, 'src'))).toEqual(['greeting.ts', 'handler.ts']);
  });

  it('starts only from the paths it is given', async () => {
    const other = `import { readFileSync } from 'node:fs';\n\nexport async function other(): Promise<string> {\n  return readFileSync('other.txt', 'utf8');\n}\n`;
    const dir = await project({ 'src/greeting.ts': blockingHelper, 'src/handler.ts': handler, 'src/other.ts': other });
    const report = await runCodemod({ transform: 'sync-to-async', cwd: dir, paths: ['src/other.ts'] });
    expect(report.files.map((file) => file.file)).toEqual(['src/other.ts']);
  });

  it('refuses to write over uncommitted changes unless --force', async () => {
    const dir = await project({ 'src/greeting.ts': blockingHelper, 'src/handler.ts': handler });
    const git = (...args: string[]) => exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-qm', 'initial');
    await writeFile(join(dir, 'src', 'handler.ts'), `${handler}// edited\n`);

    const refused = await cli(['codemod', 'sync-to-async', '--write'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Failed to run the codemod: git reports uncommitted changes in");
    expect(refused.stderr).toContain("('src/handler.ts'). Commit or stash them first so the rewrite can be reviewed and undone, or pass --force.");
    expect(await readFile(join(dir, 'src', 'greeting.ts'), 'utf8')).toBe(blockingHelper);

    const forced = await cli(['codemod', 'sync-to-async', '--write', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'src', 'greeting.ts'), 'utf8')).toContain('export async function loadGreeting()');
  });

  it('does not write a file whose rewrite would not type-check, nor the files that go with it, and exits 1', async () => {
    const dir = await project({
      'src/source.ts': `import { readFileSync } from 'node:fs';\n\nexport class FileSource {\n  read(): string {\n    return readFileSync('source.txt', 'utf8');\n  }\n}\n`,
      'src/handler.ts': `import { FileSource } from './source.js';\n\nexport async function show(): Promise<string> {\n  return new FileSource().read();\n}\n`,
      // A shape declared in a declaration file, which the call graph does not read: the slot must keep returning a string.
      'src/reader.d.ts': `interface Reader {\n  read(): string;\n}\n`,
      'src/registry.ts': `import { FileSource } from './source.js';\n\nconst made = new FileSource();\nexport const source: Reader = made;\n`,
      'src/standalone.ts': `import { readFileSync } from 'node:fs';\n\nexport async function version(): Promise<string> {\n  return readFileSync('VERSION', 'utf8');\n}\n`,
    });
    const { code, stdout } = await cli(['codemod', 'sync-to-async', '--write', '--no-color'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain('wrote src/standalone.ts (1 rewrite)');
    expect(stdout).toContain('files not rewritten:');
    expect(stdout).toContain("src/registry.ts:4:14 TS2322: Type 'FileSource' is not assignable to type 'Reader'.");
    expect(stdout).toMatch(/src\/handler\.ts Left as it was because its rewrite goes with the one of src\/(registry|source)\.ts, which would not type-check\./);
    expect(await readFile(join(dir, 'src', 'source.ts'), 'utf8')).toContain('  read(): string {');
    expect(await readFile(join(dir, 'src', 'standalone.ts'), 'utf8')).toContain("return await readFile('VERSION', 'utf8');");
  });

  it('leaves a loop whose body would lose a narrowing for a person, saying what to do, and rewrites the rest', async () => {
    // `req.user` is narrowed by the guard; inside a callback TypeScript would not narrow it.
    const handler = [
      'declare function load(id: string): Promise<string>;',
      'declare function ping(id: string, to: string): Promise<void>;',
      '',
      'export async function sync(req: { user?: { id: string } }, id: string, ids: string[]) {',
      '  const user = await load(id);',
      '  const team = await load(`team-${id}`);',
      '  if (!req.user) return [user, team];',
      '  for (const follower of ids) {',
      '    await ping(follower, req.user.id);',
      '  }',
      '  return [user, team];',
      '}',
      '',
    ].join('\n');
    const dir = await project({ 'src/sync.ts': handler });
    const { code, stdout } = await cli(['codemod', 'concurrent-awaits', '--write', '--force', '--no-color'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain('wrote src/sync.ts (1 rewrite)');
    expect(stdout).toContain(
      '1 loop or sequence with no mechanical rewrite (convert by hand):\n  src/sync.ts:8:3 `for loop` in a function: a loop whose body reads `req.user`, which is narrowed before the loop but would not be inside a callback: copy it to a `const` before the loop, then run the iterations together.',
    );
    expect(await readFile(join(dir, 'src', 'sync.ts'), 'utf8')).toBe(
      handler.replace('  const user = await load(id);\n  const team = await load(`team-${id}`);\n', '  const [user, team] = await Promise.all([load(id), load(`team-${id}`)]);\n'),
    );
  });

  it('with noUncheckedIndexedAccess, leaves a loop reading an index signature narrowed before it for a person', async () => {
    // `params.owner` is `string | undefined` there unless narrowed, and a callback would not be.
    const source = [
      'declare function ping(id: string, owner: string): Promise<void>;',
      '',
      'export async function guarded(params: Record<string, string>, ids: string[]) {',
      '  if (!params.owner) return;',
      '  for (const id of ids) {',
      '    await ping(id, params.owner);',
      '  }',
      '}',
      '',
      'export async function unguarded(params: Record<string, string>, ids: string[]) {',
      '  for (const id of ids) {',
      "    await ping(id, params.owner ?? 'nobody');",
      '  }',
      '}',
      '',
    ].join('\n');
    const dir = await project({ 'src/owners.ts': source });
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'es2023', module: 'nodenext', strict: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }),
    );
    const { code, stdout } = await cli(['codemod', 'concurrent-awaits', '--json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { summary: Record<string, number>; manual: { line: number; message: string }[] };
    expect(report.summary).toEqual({ changedFiles: 1, rewrites: 1, boundaries: 0, manual: 1, rejectedFiles: 0, droppedRewrites: 0 });
    expect(report.manual).toEqual([expect.objectContaining({ line: 5, message: expect.stringContaining('reads `params.owner`, which is narrowed before the loop') as unknown })]);
  });

  it('leaves a file that changed on disk during the run as it is now', async () => {
    const dir = await project({ 'src/greeting.ts': blockingHelper, 'src/handler.ts': handler });
    const edited = `${handler}// edited meanwhile\n`;
    const report = await runCodemod({
      transform: 'sync-to-async',
      cwd: dir,
      write: true,
      progress: {
        phase(name) {
          if (name === 'writing') void writeFile(join(dir, 'src', 'handler.ts'), edited);
        },
        advance: () => undefined,
        stop: () => undefined,
      },
    });
    expect(report.rejected).toEqual([expect.objectContaining({ file: 'src/handler.ts', reason: 'changed-on-disk' })]);
    expect(await readFile(join(dir, 'src', 'handler.ts'), 'utf8')).toBe(edited);
  });
});
