import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-9';

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, '..', '..', 'fixtures');
const configFile = join(here, 'configs', 'typed.config.js');
const strictConfigFile = join(here, 'configs', 'strict.config.js');

interface Finding {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

async function lint(app: string, options: { eslint9?: boolean; concurrency?: number; strict?: boolean } = {}): Promise<Finding[]> {
  const cwd = join(fixturesDir, app);
  const settings = { cwd, overrideConfigFile: options.strict === true ? strictConfigFile : configFile, ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }) };
  const eslint = options.eslint9 === true ? new ESLint9(settings) : new ESLint(settings);
  const results = await eslint.lintFiles(['src']);
  return results
    .flatMap((result) =>
      result.messages.map((message) => {
        if (message.ruleId?.startsWith('loopguard/') !== true) throw new Error(`${result.filePath}: ${message.message}`);
        return { rule: message.ruleId.slice('loopguard/'.length), file: relative(cwd, result.filePath), line: message.line, message: message.message };
      }),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.rule === 'no-blocking-calls');
}

/** `file:line` of each finding of a rule. */
function of(rule: string, findings: readonly Finding[]): string[] {
  return findings.filter((finding) => finding.rule === rule).map((finding) => `${finding.file}:${String(finding.line)}`);
}

function floating(findings: readonly Finding[]): string[] {
  return of('no-floating-promises', findings);
}

function summary(findings: readonly Finding[]): string[] {
  return blocking(findings).map((finding) => `${finding.file}:${String(finding.line)} ${finding.message.slice(0, finding.message.indexOf(' blocks the event loop'))}${chainOf(finding.message)}`);
}

function chainOf(message: string): string {
  const match = /blocks the event loop: (\w[^`]*? → [^`]*?)\. `/.exec(message);
  return match?.[1] === undefined ? '' : ` (${match[1]})`;
}

describe('the recommended config on the fixture apps', () => {
  it('reports every planted blocking call in express-legacy, direct and through helpers', async () => {
    const findings = summary(await lint('express-legacy'));
    // Direct calls in handlers.
    expect(findings).toContain('src/routes/reports.ts:23 `child_process.execSync`');
    expect(findings).toContain('src/routes/exports.ts:13 `zlib.gzipSync`');
    // Through helpers in other files, named with their chain.
    expect(findings).toContain('src/routes/pages.ts:14 `renderPage()` (renderPage → loadTemplate → fs.readFileSync)');
    expect(findings).toContain('src/routes/auth.ts:31 `hashPassword()` (hashPassword → crypto.pbkdf2Sync)');
    expect(findings).toContain('src/routes/auth.ts:41 `verifyPassword()` (verifyPassword → crypto.pbkdf2Sync)');
    expect(findings).toContain('src/routes/posts.ts:24 `JsonStore.insert()` (JsonStore.insert → JsonStore.read → fs.existsSync)');
    expect(findings.filter((line) => line.includes('`JsonStore.read()`')).length).toBeGreaterThanOrEqual(15);
    // Start-up reads (app-info.ts at top level, site-settings.ts from createApp) are not reported.
    expect(findings.filter((line) => line.startsWith('src/lib/app-info.ts') || line.startsWith('src/lib/site-settings.ts') || line.startsWith('src/app.ts'))).toEqual([]);
    expect(findings).toHaveLength(25);
  });

  it('reports the planted promise bugs in express-legacy and no others (bugs 10, 11, 12, 15)', async () => {
    const findings = await lint('express-legacy');
    expect(floating(findings)).toEqual(['src/routes/legal.ts:29', 'src/routes/webhooks.ts:31']);
    expect(of('no-missing-await', findings)).toEqual(['src/routes/users.ts:42']);
    expect(of('no-dropped-rejections', findings)).toEqual(['src/routes/posts.ts:31']);
  });

  it('reports the planted sequential awaits in express-legacy (bugs 7, 8, 9)', async () => {
    // The dashboard's three awaits (reported on the second), the batch loop, the product cache's warm-up loop.
    expect(of('prefer-concurrent-awaits', await lint('express-legacy'))).toEqual(['src/lib/product-cache.ts:31', 'src/routes/users.ts:23', 'src/routes/users.ts:61']);
  });

  it('reports the upstream call without a timeout in express-legacy with the strict config (bug 13), and nothing else new', async () => {
    const strict = await lint('express-legacy', { strict: true });
    expect(of('require-upstream-timeout', strict)).toEqual(['src/lib/upstream.ts:67']);
    expect(strict.filter((finding) => finding.rule !== 'require-upstream-timeout')).toEqual(await lint('express-legacy'));
  });

  it('reports nothing in express-modern, the same features done right, with the strict config too', async () => {
    expect(await lint('express-modern')).toEqual([]);
    expect(await lint('express-modern', { strict: true })).toEqual([]);
  });

  // Each app plants a three-call sequence and a loop of independent awaits; its upstream client sets a timeout.
  it.each([
    ['fastify-app', ['src/routes/profiles.ts:10', 'src/routes/profiles.ts:30']],
    ['koa-app', ['src/routes/notes.ts:135', 'src/routes/notes.ts:158']],
    ['hono-app', ['src/routes/orders.ts:33', 'src/routes/products.ts:39']],
    ['nest-app', ['src/dashboard/dashboard.service.ts:46', 'src/orders/orders.service.ts:56']],
    ['next-routes', ['src/app/api/dashboard/route.ts:11', 'src/app/api/orders/[id]/items/route.ts:21']],
  ])('reports the planted sequential awaits in %s, and no untimed upstream call', async (app, expected) => {
    const findings = await lint(app, { strict: true });
    expect(of('prefer-concurrent-awaits', findings)).toEqual(expected);
    expect(of('require-upstream-timeout', findings)).toEqual([]);
  });

  it.each([
    ['fastify-app', 5],
    ['koa-app', 7],
    ['hono-app', 6],
    ['nest-app', 6],
    ['next-routes', 6],
  ])('reports the planted blocking calls in %s', async (app, count) => {
    const findings = blocking(await lint(app));
    expect(findings).toHaveLength(count);
    // None in start-up modules.
    expect(findings.filter((finding) => /app-(info|version)\.ts$/.test(finding.file))).toEqual([]);
  });

  // Each is a planted floating promise or `.then()` without a rejection handler in the app's README.
  it.each([
    ['fastify-app', ['src/routes/admin.ts:14', 'src/routes/users.ts:68', 'src/routes/users.ts:99']],
    ['koa-app', ['src/middleware/audit-writes.ts:13', 'src/routes/notes.ts:65', 'src/routes/notes.ts:104']],
    ['hono-app', ['src/routes/orders.ts:48', 'src/routes/orders.ts:78']],
    ['nest-app', ['src/rates/rates.service.ts:31', 'src/users/users.controller.ts:38']],
    ['next-routes', ['src/app/api/orders/route.ts:17', 'src/app/api/rates/route.ts:15', 'src/pages/api/signup.ts:19']],
  ])('reports the planted floating promises in %s', async (app, expected) => {
    expect(floating(await lint(app))).toEqual(expected);
  });

  // Each is a planted missing await in the app's README: a promise sent, put in a string, tested,
  // or returned from inside `try`.
  it.each([
    ['fastify-app', ['src/routes/profiles.ts:38', 'src/routes/users.ts:34', 'src/routes/users.ts:38', 'src/routes/users.ts:87']],
    ['koa-app', ['src/routes/notes.ts:38', 'src/routes/notes.ts:44', 'src/routes/notes.ts:74', 'src/routes/tags.ts:26']],
    ['hono-app', ['src/lib/rates.ts:13', 'src/routes/orders.ts:57', 'src/routes/products.ts:28', 'src/routes/products.ts:33']],
    ['nest-app', ['src/catalog/catalog.controller.ts:44', 'src/orders/orders.service.ts:37', 'src/users/users.controller.ts:24', 'src/users/users.controller.ts:30']],
    [
      'next-routes',
      [
        'src/app/api/orders/route.ts:11',
        'src/app/api/users/[id]/greeting/route.ts:7',
        'src/app/api/users/[id]/profile/route.ts:7',
        'src/app/api/webhook/route.ts:20',
        'src/pages/api/accounts/[id].ts:7',
      ],
    ],
  ])('reports the planted missing awaits in %s', async (app, expected) => {
    const findings = await lint(app);
    expect(of('no-missing-await', findings)).toEqual(expected);
    // Express 4 is only in express-legacy: every other framework here awaits its handlers.
    expect(of('no-dropped-rejections', findings)).toEqual([]);
  });

  it('gives the same findings on ESLint 9', async () => {
    expect(await lint('express-legacy', { eslint9: true })).toEqual(await lint('express-legacy'));
  });

  it('gives the same findings with two worker threads (no state shared across files)', async () => {
    expect(await lint('express-legacy', { concurrency: 2 })).toEqual(await lint('express-legacy'));
    expect(await lint('hono-app', { concurrency: 2 })).toEqual(await lint('hono-app'));
  });
});
