import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

import { copyFixtureApp, runAppSuite, runNode, tscBin, type FixtureCopy } from '../../test-support/fixture-app.js';
import loopguard from '../src/index.js';

// `loopguard/prefer-concurrent-awaits` suggests rewrites, never applies them. This applies every one
// it offers on a copy of fixtures/express-legacy (planted bugs 7, 8, 9) and checks what a user would:
// the code still type-checks, the app's own suite passes (its sequential-await tests now assert the
// calls overlap), and the rule has nothing left to say.

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

let copy: FixtureCopy;
let app: string;

beforeAll(async () => {
  copy = await copyFixtureApp('express-legacy', 'loopguard-suggestions-');
  app = copy.app;
}, 60_000);

afterAll(async () => {
  await copy.remove();
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
    expect(users).toContain('profiles.push(...(await Promise.all([...ids].map((id) => upstream.getProfile(id)))));');
    expect(users).toMatch(/const \[profile, posts, followers\] = await Promise\.all\(\[/);
    const tsc = await runNode([tscBin, '--noEmit', '-p', 'tsconfig.json'], app);
    expect(tsc.stdout).toBe('');
    expect(tsc.code).toBe(0);
  }, 120_000);

  it("pass the app's own suite, whose sequential-await tests now see the calls overlap", async () => {
    const { titles, failed, total } = await runAppSuite(app, { LOOPGUARD_CONCURRENT_AWAITS: 'applied' });
    expect(failed, titles.filter((title) => !title.startsWith('passed')).join('\n')).toBe(0);
    expect(total).toBeGreaterThanOrEqual(70);
    expect(titles).toContain('passed fetches the three parts concurrently, now that the prefer-concurrent-awaits suggestion ran');
    expect(titles).toContain('passed fetches the profiles concurrently, in request order, now that the prefer-concurrent-awaits suggestion ran');
    expect(titles).toContain('passed warms the cache for every category at once, now that the prefer-concurrent-awaits suggestion ran');
  }, 180_000);

  it('leave nothing for the rule to report', async () => {
    const results = await lintWith(app).lintFiles(['src']);
    expect(results.flatMap((result) => result.messages.map((message) => `${relative(app, result.filePath)}:${String(message.line)} ${message.message}`))).toEqual([]);
  }, 120_000);
});
