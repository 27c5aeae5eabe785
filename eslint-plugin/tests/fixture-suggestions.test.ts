import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

import loopguard from '../src/index.js';

// `loopguard/prefer-concurrent-awaits` suggests rewrites, never applies them. This applies every one
// it offers on a copy of fixtures/express-legacy (planted bugs 7, 8, 9) and checks what a user would:
// the code still type-checks, the app's own suite passes (its sequential-await tests now assert the
// calls overlap), and the rule has nothing left to say.

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const fixture = join(repoRoot, 'fixtures', 'express-legacy');
const resolveFrom = createRequire(import.meta.url);
const tscBin = join(dirname(resolveFrom.resolve('typescript/package.json')), 'bin', 'tsc');
const vitestBin = join(dirname(resolveFrom.resolve('vitest/package.json')), 'vitest.mjs');

async function node(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string }> {
  // Vitest marks its own workers with VITEST* variables; a nested run must not inherit them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  try {
    const { stdout } = await run(process.execPath, [...args], { cwd, env: { ...inherited, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '' };
  }
}

function lintWith(cwd: string): ESLint {
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: cwd } },
        plugins: { loopguard: loopguard as unknown as ESLint.Plugin },
        rules: { 'loopguard/prefer-concurrent-awaits': 'error' },
      },
    ],
  });
}

let workspace: string;
let app: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'loopguard-suggestions-'));
  app = join(workspace, 'fixtures', 'express-legacy');
  await cp(fixture, app, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
  await Promise.all(['tsconfig.base.json', 'vitest.shared.ts'].map((file) => cp(join(repoRoot, file), join(workspace, file))));
  await writeFile(join(workspace, 'package.json'), '{ "private": true, "type": "module" }\n');
  await symlink(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  await symlink(join(fixture, 'node_modules'), join(app, 'node_modules'), 'dir');
}, 60_000);

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe("prefer-concurrent-awaits' suggestions on fixtures/express-legacy", () => {
  it('are offered for the dashboard, the batch endpoint and the product cache, and applied leave code that type-checks', async () => {
    const results = await lintWith(app).lintFiles(['src']);
    const offered: string[] = [];
    for (const result of results) {
      const edits = result.messages.flatMap((message) => {
        const fix = message.suggestions?.[0]?.fix;
        if (fix === undefined) return [];
        offered.push(`${relative(app, result.filePath)}:${String(message.line)}`);
        return [fix];
      });
      if (edits.length === 0) continue;
      let text = await readFile(result.filePath, 'utf8');
      for (const edit of edits.sort((a, b) => b.range[0] - a.range[0])) text = text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
      await writeFile(result.filePath, text);
    }
    expect(offered.sort()).toEqual(['src/lib/product-cache.ts:31', 'src/routes/users.ts:23', 'src/routes/users.ts:61']);
    const users = await readFile(join(app, 'src', 'routes', 'users.ts'), 'utf8');
    expect(users).toContain('profiles.push(...(await Promise.all(Array.from(ids, (id) => upstream.getProfile(id)))));');
    expect(users).toMatch(/const \[profile, posts, followers\] = await Promise\.all\(\[/);
    const tsc = await node([tscBin, '--noEmit', '-p', 'tsconfig.json'], app);
    expect(tsc.stdout).toBe('');
    expect(tsc.code).toBe(0);
  }, 120_000);

  it("pass the app's own suite, whose sequential-await tests now see the calls overlap", async () => {
    const vitest = await node([vitestBin, 'run', '--reporter=json'], app, { LOOPGUARD_CONCURRENT_AWAITS: 'applied' });
    const report = JSON.parse(vitest.stdout.slice(vitest.stdout.indexOf('{'))) as {
      numFailedTests: number;
      numTotalTests: number;
      testResults: { assertionResults: { title: string; status: string }[] }[];
    };
    const titles = report.testResults.flatMap((file) => file.assertionResults.map((test) => `${test.status} ${test.title}`));
    expect(report.numFailedTests, titles.filter((title) => !title.startsWith('passed')).join('\n')).toBe(0);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(70);
    expect(titles).toContain('passed fetches the three parts concurrently, now that the prefer-concurrent-awaits suggestion ran');
    expect(titles).toContain('passed fetches the profiles concurrently, in request order, now that the prefer-concurrent-awaits suggestion ran');
    expect(titles).toContain('passed warms the cache for every category at once, now that the prefer-concurrent-awaits suggestion ran');
  }, 180_000);

  it('leave nothing for the rule to report', async () => {
    const results = await lintWith(app).lintFiles(['src']);
    expect(results.flatMap((result) => result.messages.map((message) => `${relative(app, result.filePath)}:${String(message.line)} ${message.message}`))).toEqual([]);
  }, 120_000);
});
