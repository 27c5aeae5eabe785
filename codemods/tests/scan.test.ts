import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', 'fixtures');
const bin = join(here, '..', 'bin', 'loopguard.js');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
  });
  return { code, stdout, stderr };
}

interface JsonReport {
  filesScanned: number;
  typedFiles: number;
  summary: { problems: number; files: number; direct: number; transitive: number; parseErrors: number; byRule: Record<string, number> };
  findings: { file: string; line: number; rule: string; message: string; chain: string[] | null }[];
}

describe('loopguard scan', () => {
  it('reports express-legacy grouped by file with chains, and exits 1', async () => {
    const { code, stdout } = await cli(['scan', join(fixtures, 'express-legacy')]);
    expect(code).toBe(1);
    const pages = stdout.slice(stdout.indexOf('src/routes/pages.ts\n'), stdout.indexOf('src/routes/posts.ts\n'));
    expect(pages).toContain('  14:18   `renderPage()`');
    expect(stdout).toContain('`renderPage()` blocks the event loop: renderPage → loadTemplate → fs.readFileSync.');
    expect(stdout).toMatch(
      /✖ 32 problems in 11 files \(25 blocking calls, 23 of them through helper functions; 1 dropped rejection; 2 floating promises; 1 missing await; 3 sequences of independent awaits\)\. 32 files scanned \(30 with type information\)/,
    );
  });

  it('writes a JSON report for machines', async () => {
    const { code, stdout } = await cli(['scan', join(fixtures, 'express-legacy'), '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.summary).toEqual({
      problems: 32,
      files: 11,
      direct: 9,
      transitive: 23,
      parseErrors: 0,
      byRule: {
        'loopguard/no-blocking-calls': 25,
        'loopguard/no-dropped-rejections': 1,
        'loopguard/no-floating-promises': 2,
        'loopguard/no-missing-await': 1,
        'loopguard/prefer-concurrent-awaits': 3,
      },
    });
    expect(report.findings.find((finding) => finding.file === 'src/routes/pages.ts' && finding.line === 14)?.chain).toEqual([
      'renderPage',
      'loadTemplate',
      'fs.readFileSync',
    ]);
    expect(new Set(report.findings.map((finding) => finding.rule))).toEqual(
      new Set(['loopguard/no-blocking-calls', 'loopguard/no-dropped-rejections', 'loopguard/no-floating-promises', 'loopguard/no-missing-await', 'loopguard/prefer-concurrent-awaits']),
    );
    // Planted bugs 7, 8 and 9: the dashboard's three awaits, the batch loop, the product cache's warm-up loop.
    expect(
      report.findings
        .filter((finding) => finding.rule === 'loopguard/prefer-concurrent-awaits')
        .map((finding) => `${finding.file}:${String(finding.line)}`)
        .sort(),
    ).toEqual(['src/lib/product-cache.ts:31', 'src/routes/users.ts:23', 'src/routes/users.ts:61']);
  });

  it('exits 0 on express-modern, where everything is async', async () => {
    const { code, stdout } = await cli(['scan', join(fixtures, 'express-modern')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ No problems found\. 31 files scanned/m);
  });

  it('skips test files unless asked', async () => {
    const withTests = JSON.parse((await cli(['scan', join(fixtures, 'express-legacy'), '--format', 'json', '--include-tests'])).stdout) as JsonReport;
    expect(withTests.filesScanned).toBeGreaterThan(31);
    expect(withTests.findings.some((finding) => finding.file.startsWith('tests/'))).toBe(true);
  });

  it.each([
    ['fastify-app', 5, 3, 4],
    ['koa-app', 7, 3, 4],
    ['hono-app', 6, 2, 4],
    ['nest-app', 6, 2, 4],
    ['next-routes', 6, 3, 5],
  ])('works on %s', async (app, blockingCalls, floatingPromises, missingAwaits) => {
    const report = JSON.parse((await cli(['scan', join(fixtures, app), '--format', 'json'])).stdout) as JsonReport;
    expect(report.summary.byRule).toEqual({
      'loopguard/no-blocking-calls': blockingCalls,
      'loopguard/no-floating-promises': floatingPromises,
      'loopguard/no-missing-await': missingAwaits,
      // Each app's planted sequential awaits: a three-call sequence and a loop.
      'loopguard/prefer-concurrent-awaits': 2,
    });
    expect(report.summary.parseErrors).toBe(0);
    expect(report.typedFiles).toBeGreaterThan(0);
  });

  describe('projects without a tsconfig and files outside it', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'loopguard-scan-'));
      await mkdir(join(dir, 'lib'));
      await writeFile(
        join(dir, 'server.js'),
        "const express = require('express');\nconst fs = require('fs');\nconst app = express();\napp.get('/', (req, res) => {\n  res.send(fs.readFileSync('index.html'));\n});\n",
      );
      await writeFile(join(dir, 'lib', 'build.js'), "const fs = require('fs');\nfs.writeFileSync('out.txt', 'x');\n");
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('lints without type information', async () => {
      const report = JSON.parse((await cli(['scan', dir, '--format', 'json'])).stdout) as JsonReport;
      expect(report).toMatchObject({ filesScanned: 2, typedFiles: 0 });
      expect(report.findings.map((finding) => `${finding.file}:${String(finding.line)}`)).toEqual(['server.js:5']);
    });

    it('falls back to untyped linting for a TypeScript file no tsconfig includes', async () => {
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, allowJs: false }, include: ['src'] }));
      await mkdir(join(dir, 'src'), { recursive: true });
      await writeFile(join(dir, 'src', 'job.ts'), "import { execSync } from 'node:child_process';\nexport async function job() {\n  return execSync('ls');\n}\n");
      await writeFile(join(dir, 'outside.ts'), "import { gzipSync } from 'node:zlib';\nexport async function pack() {\n  return gzipSync('x');\n}\n");
      const report = JSON.parse((await cli(['scan', dir, '--format', 'json'])).stdout) as JsonReport;
      expect(report.summary.parseErrors).toBe(0);
      expect(report.typedFiles).toBe(1);
      expect(report.findings.map((finding) => `${finding.file}:${String(finding.line)}`)).toEqual(['outside.ts:3', 'server.js:5', 'src/job.ts:3']);
    });
  });

  it('explains a missing directory and exits 2', async () => {
    const { code, stderr } = await cli(['scan', join(fixtures, 'no-such-app')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^\[loopguard\] Failed to scan '.*no-such-app': the directory does not exist\. Pass the directory of a Node\.js project/);
  });

  it('rejects an unknown format and an unknown command with usage help', async () => {
    const format = await cli(['scan', '.', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid. Allowed choices are pretty, json.");
    const unknown = await cli(['lint']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'lint'");
  });

  it('runs as the loopguard bin with the documented exit code', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [bin, 'scan', join(fixtures, 'hono-app'), '--format', 'json']).catch((error: unknown) => error as { code: number; stdout: string });
    expect('code' in failure ? failure.code : 0).toBe(1);
    expect((JSON.parse(failure.stdout) as JsonReport).summary.problems).toBe(14);
    const help = await run(process.execPath, [bin, '--help']);
    expect(help.stdout).toContain('scan [options] [dir]');
  });
});
