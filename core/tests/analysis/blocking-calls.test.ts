import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { BlockingAnalysis, applyEdits, functionName, planReplacement, type BlockingAnalysisOptions } from '../../src/analysis/index.js';
import { apiDisplayName, defaultCatalog } from '../../src/index.js';
import { createProgram, findNode, parseFile } from '../support/program.js';

function describeFindings(files: Record<string, string>, fileName: string, options: BlockingAnalysisOptions = {}, typed = true): string[] {
  const program = typed ? createProgram(files) : undefined;
  const source = program?.file(fileName) ?? parseFile(fileName, files[fileName] ?? '');
  const analysis = new BlockingAnalysis(options, program?.program);
  return analysis.findingsFor(source).map((finding) => {
    const line = source.getLineAndCharacterOfPosition(finding.node.getStart(source)).line + 1;
    const what = finding.target.kind === 'api' ? apiDisplayName(finding.target.api) : finding.target.pattern.id;
    const chain = finding.chain.map((fn) => functionName(fn));
    return `${String(line)}:${[...chain, what].join(' → ')}:${finding.context.reason}`;
  });
}

const app = {
  'templates.ts': "import fs from 'node:fs';\nexport function renderFile(name: string) { return fs.readFileSync(name, 'utf8'); }\n",
  'render.ts': "import { renderFile } from './templates.js';\nexport function loadTemplate(name: string) { return renderFile(`t/${name}`); }\n",
  'app.ts': [
    "import express from 'express';",
    "import { readFileSync } from 'node:fs';",
    "import { loadTemplate } from './render.js';",
    "const config = JSON.parse(readFileSync('config.json', 'utf8'));",
    'function bootHelper() { return readFileSync("boot.txt", "utf8"); }',
    'bootHelper();',
    'const app = express();',
    "app.get('/', (req, res) => { res.send(loadTemplate('home')); });",
    "app.get('/direct', (req, res) => { res.send(readFileSync('x')); });",
    'export async function job() { return loadTemplate("job"); }',
    'export function cli() { return readFileSync("cli.txt"); }',
    'export { config };',
  ].join('\n'),
};

describe('blocking calls while serving requests', () => {
  it('reports direct and transitive calls in handlers and async functions, not start-up code or plain sync code', () => {
    expect(describeFindings(app, 'app.ts')).toEqual([
      '8:loadTemplate → renderFile → fs.readFileSync:handler',
      '9:fs.readFileSync:handler',
      '10:loadTemplate → renderFile → fs.readFileSync:async',
    ]);
  });

  it('honours scope, transitive and maxDepth', () => {
    expect(describeFindings(app, 'app.ts', { scope: 'handlers' })).toEqual(['8:loadTemplate → renderFile → fs.readFileSync:handler', '9:fs.readFileSync:handler']);
    expect(describeFindings(app, 'app.ts', { transitive: false })).toEqual(['9:fs.readFileSync:handler']);
    expect(describeFindings(app, 'app.ts', { maxDepth: 1 })).toEqual(['9:fs.readFileSync:handler']);
    expect(describeFindings(app, 'app.ts', { scope: 'all-functions' })).toContain('11:fs.readFileSync:function');
    expect(describeFindings(app, 'app.ts', { allowFunctions: ['renderFile'] })).toEqual(['9:fs.readFileSync:handler']);
  });

  it('without types follows only the same file', () => {
    expect(describeFindings(app, 'app.ts', {}, false)).toEqual(['9:fs.readFileSync:handler']);
    const sameFile = {
      'one.ts': "import { execSync } from 'child_process';\nfunction run() { return execSync('ls'); }\nexport async function handler() { return run(); }",
    };
    expect(describeFindings(sameFile, 'one.ts', {}, false)).toEqual(['3:run → child_process.execSync:async']);
  });

  it('recognises busy-wait loops, directly and through a helper', () => {
    const files = {
      'sleep.ts': [
        'export function sleepSync(ms: number) { const until = Date.now() + ms; while (Date.now() < until) {} }',
        'export async function poll() { const start = performance.now(); while (performance.now() - start < 10) { await Promise.resolve(); } }',
        'export async function handler() { sleepSync(5); for (let t = Date.now(); Date.now() - t < 5;) {} }',
      ].join('\n'),
    };
    expect(describeFindings(files, 'sleep.ts')).toEqual(['3:sleepSync → busy-wait:clock-loop:async', '3:busy-wait:clock-loop:async']);
  });

  it('stops at a nested async function, which is reported on its own', () => {
    const files = {
      'nested.ts': "import { gzipSync } from 'node:zlib';\nexport async function outer() { const inner = async () => gzipSync('x'); return inner(); }",
    };
    expect(describeFindings(files, 'nested.ts')).toEqual(['2:zlib.gzipSync:async']);
  });
});

describe('planReplacement', () => {
  function rewrite(code: string, prefix: string, id: string): string {
    const source = parseFile('file.ts', code);
    const call = findNode(source, (node): node is ts.CallExpression => ts.isCallExpression(node), prefix);
    const replacement = defaultCatalog.get(id)?.replacement;
    if (replacement === undefined) throw new Error(id);
    return applyEdits(code, planReplacement(source, call, replacement).edits);
  }

  it('adds the import after the existing ones', () => {
    expect(rewrite("import { readFileSync } from 'node:fs';\nexport async function f() { return readFileSync('a', 'utf8'); }", 'readFileSync(', 'node:fs:readFileSync')).toBe(
      "import { readFileSync } from 'node:fs';\nimport { readFile } from 'node:fs/promises';\nexport async function f() { return await readFile('a', 'utf8'); }",
    );
  });

  it('merges into an existing import of the module and avoids name clashes', () => {
    expect(rewrite("import { stat } from 'fs/promises';\nimport fs from 'fs';\nconst readFile = 1;\nexport async function f() { return fs.readFileSync('a'); }", 'fs.readFileSync(', 'node:fs:readFileSync')).toBe(
      "import { stat, readFile as readFileAsync } from 'fs/promises';\nimport fs from 'fs';\nconst readFile = 1;\nexport async function f() { return await readFileAsync('a'); }",
    );
  });

  it('promisifies callback APIs and keeps the sync result shape', () => {
    expect(rewrite("import { execSync } from 'node:child_process';\nexport async function f() { return execSync('ls').toString(); }", 'execSync(', 'node:child_process:execSync')).toBe(
      "import { execSync, exec } from 'node:child_process';\nimport { promisify } from 'node:util';\nexport async function f() { return (await promisify(exec)('ls', { encoding: 'buffer' })).stdout.toString(); }",
    );
  });

  it('uses require in CommonJS files and the default import for CommonJS packages', () => {
    expect(rewrite("const fs = require('fs');\nasync function f() { return fs.existsSync('a'); }", 'fs.existsSync(', 'node:fs:existsSync')).toBe(
      "const fs = require('fs');\nconst { access } = require('node:fs/promises');\nasync function f() { return await access('a').then(() => true, () => false); }",
    );
    expect(rewrite("import fg from 'fast-glob';\nexport async function f() { return fg.sync('*.ts'); }", 'fg.sync(', 'fast-glob:sync')).toBe(
      "import fg from 'fast-glob';\nexport async function f() { return await fg.glob('*.ts'); }",
    );
  });
});
