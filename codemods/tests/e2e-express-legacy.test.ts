import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { copyFixtureApp, runAppSuite, runNode, tscBin, type FixtureCopy, type Outcome } from '../../test-support/fixture-app.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'loopguard.js');
const node = runNode;

async function snapshot(dir: string): Promise<Map<string, string>> {
  const paths = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const hashes = await Promise.all(paths.map(async (path) => [relative(dir, path), createHash('sha256').update(await readFile(path)).digest('hex')] as const));
  return new Map(hashes);
}

let copy: FixtureCopy;
let app: string;

/** `tsc --noEmit` on the copy: nothing printed, exit 0. */
async function expectTypeChecks(): Promise<void> {
  const tsc = await node([tscBin, '--noEmit', '-p', 'tsconfig.json'], app);
  expect(tsc.stdout).toBe('');
  expect(tsc.code).toBe(0);
}

/** Runs the copy's own suite with the codemod flags set, expects no failure, and returns `<status> <title>` per test. */
async function expectAppSuitePasses(flags: Record<string, string>): Promise<{ titles: readonly string[]; total: number }> {
  const suite = await runAppSuite(app, flags);
  expect(suite.failed, suite.titles.filter((title) => !title.startsWith('passed')).join('\n')).toBe(0);
  return suite;
}

/** A copy of the fixture (see `copyFixtureApp`), never the original. */
beforeAll(async () => {
  copy = await copyFixtureApp('express-legacy', 'loopguard-e2e-');
  app = copy.app;
}, 60_000);

afterAll(async () => {
  await copy.remove();
});

describe('loopguard codemod sync-to-async on fixtures/express-legacy', () => {
  let before: Map<string, string>;
  let written: Outcome;

  it('shows the diff in a dry run and writes nothing', async () => {
    before = await snapshot(join(app, 'src'));
    const dryRun = await node([bin, 'codemod', 'sync-to-async'], app);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('+++ b/src/lib/store.ts');
    expect(dryRun.stdout).toContain('\n-    const records = this.read(name);\n');
    expect(dryRun.stdout).toContain('\n+    const records = await this.read(name);\n');
    expect(dryRun.stdout).toMatch(/Dry run: 13 files would change \(\d+ rewrites\), type-checked\./);
    expect(await snapshot(join(app, 'src'))).toEqual(before);
  }, 120_000);

  it('rewrites every blocking call that has an async replacement, with --write', async () => {
    written = await node([bin, 'codemod', 'sync-to-async', '--write', '--json'], app);
    expect(written.code).toBe(0);
    const report = JSON.parse(written.stdout) as {
      summary: { changedFiles: number; boundaries: number; manual: number; rejectedFiles: number };
      files: { file: string; status: string }[];
    };
    expect(report.summary).toMatchObject({ changedFiles: 13, boundaries: 0, manual: 0, rejectedFiles: 0 });
    expect(report.files.every((file) => file.status === 'written')).toBe(true);
    const source = await readFile(join(app, 'src', 'lib', 'store.ts'), 'utf8');
    expect(source).not.toMatch(/Sync\(/);
    // Express 4 ignores a handler's promise, so every converted handler forwards its errors to `next`.
    const posts = await readFile(join(app, 'src', 'routes', 'posts.ts'), 'utf8');
    expect(posts).toContain(".post(async (req, res, next) => {\n      try {");
    expect(posts).toContain('    } catch (error) {\n        next(error);\n      }');
  }, 120_000);

  it('leaves code that tsc --noEmit accepts', expectTypeChecks, 120_000);

  it("passes the app's own test suite, which now sees the loop stay responsive", async () => {
    const { titles, total } = await expectAppSuitePasses({ LOOPGUARD_SYNC_TO_ASYNC: 'applied' });
    expect(total).toBeGreaterThanOrEqual(60);
    expect(titles).toContain('passed serves other requests while it hashes, now that sync-to-async made pbkdf2 async');
    expect(titles).toContain('passed serves other requests while the report script runs, now that sync-to-async made it exec');
  }, 180_000);

  it('leaves no blocking call for loopguard scan to report', async () => {
    const scan = await node([bin, 'scan', '.', '--format', 'json'], app);
    const report = JSON.parse(scan.stdout) as { findings: { rule: string; file: string; line: number }[] };
    expect(report.findings.filter((finding) => finding.rule === 'loopguard/no-blocking-calls')).toEqual([]);
    // What is left is other families, which sync-to-async does not touch: bugs 12, 10, 11 and 7-9
    // (the rewrite moved the last two down).
    expect(report.findings.map((finding) => `${finding.rule} ${finding.file}:${String(finding.line)}`).sort()).toEqual([
      'loopguard/no-dropped-rejections src/routes/posts.ts:39',
      'loopguard/no-floating-promises src/routes/legal.ts:29',
      'loopguard/no-floating-promises src/routes/webhooks.ts:31',
      'loopguard/no-missing-await src/routes/users.ts:51',
      'loopguard/prefer-concurrent-awaits src/lib/product-cache.ts:31',
      'loopguard/prefer-concurrent-awaits src/routes/users.ts:27',
      'loopguard/prefer-concurrent-awaits src/routes/users.ts:73',
    ]);
  }, 120_000);

  it('changes nothing when run again', async () => {
    const again = await node([bin, 'codemod', 'sync-to-async', '--write'], app);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/✔ Nothing to change\./);
  }, 120_000);
});

interface TransformReport {
  readonly summary: { changedFiles: number; rewrites: number; boundaries: number; manual: number; rejectedFiles: number };
  readonly files: readonly { file: string; status: string }[];
}

// The same copy, after sync-to-async above: the other three transforms, one after another.
describe('then-to-await, callbacks-to-async and concurrent-awaits on fixtures/express-legacy after sync-to-async', () => {
  const apply = async (transform: string): Promise<TransformReport> => {
    const outcome = await node([bin, 'codemod', transform, '--write', '--json'], app);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    return JSON.parse(outcome.stdout) as TransformReport;
  };

  it('then-to-await awaits the card lookup (bug 15) and forwards its errors to next', async () => {
    const report = await apply('then-to-await');
    expect(report.summary).toMatchObject({ changedFiles: 1, manual: 0, rejectedFiles: 0 });
    const legal = await readFile(join(app, 'src', 'routes', 'legal.ts'), 'utf8');
    expect(legal).toContain("router.get('/users/:id/card', async (req, res, next) => {");
    expect(legal).toContain('const profile = await upstream.getProfile(Number(req.params[\'id\']));');
    expect(legal).not.toContain('.then(');
  }, 120_000);

  it('callbacks-to-async reads the terms (bug 14) through node:fs/promises', async () => {
    const report = await apply('callbacks-to-async');
    expect(report.summary).toMatchObject({ changedFiles: 1, boundaries: 0, manual: 0, rejectedFiles: 0 });
    const legal = await readFile(join(app, 'src', 'routes', 'legal.ts'), 'utf8');
    expect(legal).toContain("from 'node:fs/promises';");
    expect(legal).toMatch(/text = await readFile\w*\(join\(config\.DATA_DIR, 'terms\.md'\), 'utf8'\);/);
    expect(legal).toContain('} catch (err: any) {');
  }, 120_000);

  it('concurrent-awaits runs the dashboard, batch and cache warm-up calls together (bugs 7, 8, 9)', async () => {
    const report = await apply('concurrent-awaits');
    expect(report.summary).toMatchObject({ changedFiles: 2, manual: 0, rejectedFiles: 0 });
    const users = await readFile(join(app, 'src', 'routes', 'users.ts'), 'utf8');
    expect(users).toContain('const [profile, posts, followers] = await Promise.all([\n        upstream.getProfile(id),\n        upstream.getPosts(id),\n        upstream.getFollowers(id),\n      ]);');
    expect(users).toContain('profiles.push(...(await Promise.all([...ids].map((id) => upstream.getProfile(id)))));');
  }, 120_000);

  it('leaves code that tsc --noEmit accepts', expectTypeChecks, 120_000);

  it("passes the app's own tests, whose probes now see the dashboard call its upstreams concurrently", async () => {
    const { titles } = await expectAppSuitePasses({ LOOPGUARD_SYNC_TO_ASYNC: 'applied', LOOPGUARD_CONCURRENT_AWAITS: 'applied', LOOPGUARD_THEN_TO_AWAIT: 'applied' });
    expect(titles).toContain('passed bug 7: the dashboard fetches profile, posts and followers one after another');
    expect(titles).toContain('passed fetches the three parts concurrently, now that the prefer-concurrent-awaits suggestion ran');
    expect(titles).toContain('passed passes a failed lookup to the error handler, now that then-to-await awaits it (bug 15 fixed)');
    expect(titles).toContain('passed answers the published terms as markdown');
  }, 180_000);

  it('leaves nothing for loopguard scan in the families these transforms fix', async () => {
    const scan = await node([bin, 'scan', '.', '--format', 'json'], app);
    const report = JSON.parse(scan.stdout) as { findings: { rule: string; file: string; line: number }[] };
    // Blocking calls, sequential awaits and the floating chain are gone; bugs 10, 11 and 12 are other families.
    expect(report.findings.map((finding) => `${finding.rule} ${finding.file}`).sort()).toEqual([
      'loopguard/no-dropped-rejections src/routes/posts.ts',
      'loopguard/no-floating-promises src/routes/webhooks.ts',
      'loopguard/no-missing-await src/routes/users.ts',
    ]);
  }, 120_000);

  it('changes nothing when each transform runs again', async () => {
    for (const transform of ['sync-to-async', 'then-to-await', 'callbacks-to-async', 'concurrent-awaits']) {
      const again = await node([bin, 'codemod', transform, '--write'], app);
      expect(again.code, transform).toBe(0);
      expect(again.stdout, transform).toMatch(/✔ Nothing to change\./);
    }
  }, 240_000);
});
