// bench/lint: lints synthetic projects of 250, 1000 and 4000 files in one ESLint run each, with
// loopguard's rules beside typescript-eslint's promise rules and n/no-sync, and reports per-rule
// time (ESLint's `stats`) as ratios. Usage: node bench/lint/run.js [sizes…]
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import loopguard from '@loopguard/eslint-plugin';
import { ESLint } from 'eslint';
import pluginN from 'eslint-plugin-n';
import tseslint from 'typescript-eslint';

import { generateProject } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((size) => size > 0);
const runSizes = sizes.length > 0 ? sizes : [250, 1000, 4000];

const peerRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  'n/no-sync': 'error',
};

async function lintOnce(size) {
  // Inside the repository, so the generated code resolves express and @types/node.
  const dir = join(here, '..', '.generated', `lint-${String(size)}`);
  await mkdir(dirname(dir), { recursive: true });
  await generateProject(dir, size);
  const eslint = new ESLint({
    cwd: dir,
    stats: true,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        plugins: { '@typescript-eslint': tseslint.plugin, n: pluginN, loopguard },
        rules: { ...peerRules, 'loopguard/no-blocking-calls': 'error' },
      },
    ],
  });
  const started = performance.now();
  const results = await eslint.lintFiles(['src']);
  const wallMs = performance.now() - started;
  const ruleMs = {};
  let parseMs = 0;
  let findings = 0;
  for (const result of results) {
    findings += result.messages.filter((message) => message.ruleId === 'loopguard/no-blocking-calls').length;
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse.total;
      for (const [rule, time] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + time.total;
    }
  }
  return { size, files: results.length, wallMs, parseMs, ruleMs, findings, heapMb: process.memoryUsage().heapUsed / 1024 / 1024 };
}

const rows = [];
for (const size of runSizes) {
  const row = await lintOnce(size);
  rows.push(row);
  const ours = row.ruleMs['loopguard/no-blocking-calls'] ?? 0;
  const floating = row.ruleMs['@typescript-eslint/no-floating-promises'] ?? 0;
  const peers = Object.keys(peerRules).reduce((sum, rule) => sum + (row.ruleMs[rule] ?? 0), 0);
  console.log(`\n${String(row.files)} files: ${row.wallMs.toFixed(0)} ms wall, ${row.parseMs.toFixed(0)} ms parsing (with the type-checked program), heap ${row.heapMb.toFixed(0)} MB, ${String(row.findings)} findings`);
  for (const [rule, ms] of Object.entries(row.ruleMs).sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(42)} ${ms.toFixed(1).padStart(9)} ms`);
  console.log(`  no-blocking-calls / no-floating-promises: ${(ours / floating).toFixed(2)}x`);
  console.log(`  no-blocking-calls / all four peer rules:  ${(ours / peers).toFixed(2)}x`);
  console.log(`  no-blocking-calls / whole run:            ${((ours / row.wallMs) * 100).toFixed(1)}%`);
}
const small = rows.find((row) => row.size === 1000);
const large = rows.find((row) => row.size === 4000);
if (small !== undefined && large !== undefined) {
  const growth = (large.ruleMs['loopguard/no-blocking-calls'] ?? 0) / (small.ruleMs['loopguard/no-blocking-calls'] ?? 1);
  console.log(`\nno-blocking-calls 4000 files / 1000 files: ${growth.toFixed(2)}x (linear is 4x; target within 4.4x)`);
}
