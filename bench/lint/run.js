// bench/lint: lints synthetic projects of 250, 1000 and 4000 files in one ESLint run each, with
// loopguard's rules beside typescript-eslint's promise rules, n/no-sync and ESLint's
// no-await-in-loop, and reports per-rule time (ESLint's `stats`) as ratios. Usage: node bench/lint/run.js [sizes…]
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import loopguard from '@loopguard/eslint-plugin';
import { ESLint } from 'eslint';
import pluginN from 'eslint-plugin-n';
import tseslint from 'typescript-eslint';

import { generateProject } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const setIndex = process.argv.indexOf('--set');
const onlySet = setIndex === -1 ? undefined : process.argv[setIndex + 1];
const sizes = process.argv.slice(2).filter((arg, index, all) => all[index - 1] !== '--set').map(Number).filter((size) => size > 0);
const runSizes = sizes.length > 0 ? sizes : [250, 1000, 4000];

const peerRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
  'n/no-sync': 'error',
  'no-await-in-loop': 'error',
};

/** The typescript-eslint promise rules loopguard's promise rules are measured against, together. */
const promisePeers = ['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises', '@typescript-eslint/await-thenable', '@typescript-eslint/return-await'];
const loopguardRules = ['loopguard/no-blocking-calls', 'loopguard/no-floating-promises', 'loopguard/no-missing-await', 'loopguard/no-dropped-rejections'];
/** The latency rules, measured against ESLint's `no-await-in-loop` (and in the same run as the rest). */
const latencyRules = ['loopguard/prefer-concurrent-awaits', 'loopguard/require-upstream-timeout'];

/** The rule sets compared on their own, each in a fresh process (a program's type checks are paid once, by whichever rule asks first). */
const ruleSets = {
  'loopguard-promise': Object.fromEntries(loopguardRules.filter((rule) => rule !== 'loopguard/no-blocking-calls').map((rule) => [rule, 'error'])),
  loopguard: Object.fromEntries(loopguardRules.map((rule) => [rule, 'error'])),
  'typescript-eslint': Object.fromEntries(promisePeers.map((rule) => [rule, peerRules[rule]])),
  'prefer-concurrent-awaits': { 'loopguard/prefer-concurrent-awaits': 'error' },
  'no-await-in-loop': { 'no-await-in-loop': 'error' },
};

async function lintOnce(size, rules = { ...peerRules, ...Object.fromEntries([...loopguardRules, ...latencyRules].map((rule) => [rule, 'error'])) }, generate = true) {
  // Inside the repository, so the generated code resolves express and @types/node.
  const dir = join(here, '..', '.generated', `lint-${String(size)}`);
  await mkdir(dirname(dir), { recursive: true });
  if (generate) await generateProject(dir, size);
  const eslint = new ESLint({
    cwd: dir,
    stats: true,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        plugins: { '@typescript-eslint': tseslint.plugin, n: pluginN, loopguard },
        rules,
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
    findings += result.messages.filter((message) => message.ruleId?.startsWith('loopguard/') === true).length;
    for (const pass of result.stats?.times.passes ?? []) {
      parseMs += pass.parse.total;
      for (const [rule, time] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + time.total;
    }
  }
  return { size, files: results.length, wallMs, parseMs, ruleMs, findings, heapMb: process.memoryUsage().heapUsed / 1024 / 1024 };
}

if (onlySet !== undefined) {
  const [size] = runSizes;
  // `--set rule,rule…` lints with just those rules (typescript-eslint's with their options above), to see what each costs alone.
  const rules = ruleSets[onlySet] ?? Object.fromEntries(onlySet.split(',').map((rule) => [rule, peerRules[rule] ?? 'error']));
  const row = await lintOnce(size, rules, false);
  process.stdout.write(`${JSON.stringify(row)}\n`);
  process.exit(0);
}

/** Lints with one rule set alone in a child process and returns its rule times. */
async function separately(size, set) {
  const [{ execFile }, { promisify }] = await Promise.all([import('node:child_process'), import('node:util')]);
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), '--set', set, String(size)], { maxBuffer: 64 * 1024 * 1024 });
  const row = JSON.parse(stdout.trim().split('\n').at(-1));
  return Object.values(row.ruleMs).reduce((sum, ms) => sum + ms, 0);
}

const rows = [];
for (const size of runSizes) {
  const row = await lintOnce(size);
  rows.push(row);
  const ours = row.ruleMs['loopguard/no-blocking-calls'] ?? 0;
  const floating = row.ruleMs['@typescript-eslint/no-floating-promises'] ?? 0;
  const peers = Object.keys(peerRules).reduce((sum, rule) => sum + (row.ruleMs[rule] ?? 0), 0);
  const allOurs = loopguardRules.reduce((sum, rule) => sum + (row.ruleMs[rule] ?? 0), 0);
  const theirPromiseRules = promisePeers.reduce((sum, rule) => sum + (row.ruleMs[rule] ?? 0), 0);
  console.log(`\n${String(row.files)} files: ${row.wallMs.toFixed(0)} ms wall, ${row.parseMs.toFixed(0)} ms parsing (with the type-checked program), heap ${row.heapMb.toFixed(0)} MB, ${String(row.findings)} findings`);
  for (const [rule, ms] of Object.entries(row.ruleMs).sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(42)} ${ms.toFixed(1).padStart(9)} ms`);
  console.log(`  no-blocking-calls / no-floating-promises: ${(ours / floating).toFixed(2)}x`);
  console.log(`  no-blocking-calls / all four peer rules:  ${(ours / peers).toFixed(2)}x`);
  console.log(`  no-blocking-calls / whole run:            ${((ours / row.wallMs) * 100).toFixed(1)}%`);
  console.log(`  loopguard rules / typescript-eslint's promise rules, same run:     ${(allOurs / theirPromiseRules).toFixed(2)}x (loopguard's run first and pay for the type checks both share)`);
  // Three rounds, interleaved, and the median of each: single runs of a type-checked lint vary by a quarter.
  const samples = { 'loopguard-promise': [], loopguard: [], 'typescript-eslint': [] };
  for (let round = 0; round < 3; round += 1) for (const set of Object.keys(samples)) samples[set].push(await separately(size, set));
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ourPromiseMs = median(samples['loopguard-promise']);
  const allOursMs = median(samples.loopguard);
  const theirPromiseMs = median(samples['typescript-eslint']);
  console.log(`  each set alone (fresh process, median of 3): typescript-eslint's no-floating-promises + no-misused-promises + await-thenable + return-await ${theirPromiseMs.toFixed(0)} ms`);
  console.log(`    loopguard's three promise rules ${ourPromiseMs.toFixed(0)} ms: ${(ourPromiseMs / theirPromiseMs).toFixed(2)}x`);
  console.log(`    all four loopguard rules (with no-blocking-calls) ${allOursMs.toFixed(0)} ms: ${(allOursMs / theirPromiseMs).toFixed(2)}x (target < 1x)`);
  const latency = { 'prefer-concurrent-awaits': [], 'no-await-in-loop': [] };
  for (let round = 0; round < 3; round += 1) for (const set of Object.keys(latency)) latency[set].push(await separately(size, set));
  const concurrentMs = median(latency['prefer-concurrent-awaits']);
  const awaitInLoopMs = median(latency['no-await-in-loop']);
  console.log(`  each alone: ESLint's no-await-in-loop ${awaitInLoopMs.toFixed(0)} ms; loopguard/prefer-concurrent-awaits ${concurrentMs.toFixed(0)} ms: ${(concurrentMs / awaitInLoopMs).toFixed(2)}x (target <= 3x)`);
}
const small = rows.find((row) => row.size === 1000);
const large = rows.find((row) => row.size === 4000);
if (small !== undefined && large !== undefined) {
  const growth = (large.ruleMs['loopguard/no-blocking-calls'] ?? 0) / (small.ruleMs['loopguard/no-blocking-calls'] ?? 1);
  console.log(`\nno-blocking-calls 4000 files / 1000 files: ${growth.toFixed(2)}x (linear is 4x; target within 4.4x)`);
}
