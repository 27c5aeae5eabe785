// Runs typescript-eslint's own `no-floating-promises` test cases through `loopguard/no-floating-promises`
// and reports how often the two agree. The cases are read from a local checkout of
// https://github.com/typescript-eslint/typescript-eslint given as the argument (never copied into
// this repository), with typescript-eslint's own fixture project for types.
//
// Usage: node bench/promise-rules/agreement.js <typescript-eslint checkout> [--show N]
// Agreement: a valid case gets no report; an invalid case gets a report on every line theirs expects.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

import loopguard from '@loopguard/eslint-plugin';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';

const [checkout, ...rest] = process.argv.slice(2);
if (checkout === undefined) {
  console.error('[loopguard bench] Failed to start: no checkout given. Pass the path of a typescript-eslint checkout: node bench/promise-rules/agreement.js ../typescript-eslint');
  process.exit(2);
}
const showIndex = rest.indexOf('--show');
const show = showIndex === -1 ? 10 : Number(rest[showIndex + 1]);
const testsDir = path.join(checkout, 'packages', 'eslint-plugin', 'tests');
const testFile = path.join(testsDir, 'rules', 'no-floating-promises.test.ts');
const fixturesDir = path.join(testsDir, 'fixtures');

/** Evaluates their test file with a stand-in RuleTester that only collects the cases. */
function readCases() {
  const source = readFileSync(testFile, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  let collected;
  const tester = { run: (_name, _rule, cases) => (collected = cases) };
  const stubs = {
    '../../src/rules/no-floating-promises': { default: {} },
    '../RuleTester': { createRuleTesterWithTypes: () => tester, getFixturesRootDir: () => fixturesDir },
    '@typescript-eslint/rule-tester': { noFormat: (strings, ...values) => String.raw({ raw: strings }, ...values), RuleTester: class { run = tester.run } },
  };
  const realRequire = createRequire(import.meta.url);
  const module = { exports: {} };
  const context = vm.createContext({ module, exports: module.exports, __dirname: path.dirname(testFile), require: (id) => stubs[id] ?? realRequire(id), console, process });
  vm.runInContext(outputText, context, { filename: testFile });
  if (collected === undefined) throw new Error(`[loopguard bench] Failed to read ${testFile}: it never called RuleTester.run. Check the checkout's version.`);
  return collected;
}

const linter = new Linter({ cwd: fixturesDir });
function run(testCase) {
  const item = typeof testCase === 'string' ? { code: testCase } : testCase;
  const filename = path.join(fixturesDir, item.filename ?? 'file.ts');
  const parserOptions = { projectService: true, tsconfigRootDir: fixturesDir, ...(item.languageOptions?.parserOptions ?? {}) };
  if (parserOptions.project !== undefined) delete parserOptions.projectService;
  const config = [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tseslint.parser, parserOptions },
      plugins: { loopguard },
      rules: { 'loopguard/no-floating-promises': ['error', ...(item.options ?? [])] },
    },
  ];
  const messages = linter.verify(item.code, config, { filename });
  const fatal = messages.find((message) => message.fatal === true);
  return { item, lines: messages.filter((message) => message.ruleId === 'loopguard/no-floating-promises').map((message) => message.line), fatal };
}

const cases = readCases();
const differences = [];
let validAgree = 0;
let invalidAgree = 0;
let skipped = 0;
for (const testCase of cases.valid) {
  const { item, lines, fatal } = run(testCase);
  if (fatal !== undefined) {
    skipped += 1;
    continue;
  }
  if (lines.length === 0) validAgree += 1;
  else differences.push({ kind: 'valid case reported', lines, code: item.code, options: item.options });
}
for (const testCase of cases.invalid) {
  const { item, lines, fatal } = run(testCase);
  if (fatal !== undefined) {
    skipped += 1;
    continue;
  }
  const expected = item.errors.map((error) => error.line);
  if (expected.every((line) => line === undefined || lines.includes(line)) && lines.length > 0) invalidAgree += 1;
  else differences.push({ kind: 'invalid case missed', expected, lines, code: item.code, options: item.options });
}
const validTotal = cases.valid.length;
const invalidTotal = cases.invalid.length;
console.log(`typescript-eslint no-floating-promises cases from ${path.relative(process.cwd(), testFile)}`);
console.log(`valid:   ${String(validAgree)}/${String(validTotal)} agree (${((validAgree / validTotal) * 100).toFixed(1)}%)`);
console.log(`invalid: ${String(invalidAgree)}/${String(invalidTotal)} agree (${((invalidAgree / invalidTotal) * 100).toFixed(1)}%)`);
if (skipped > 0) console.log(`(${String(skipped)} cases could not be parsed with this setup and count as disagreements)`);
for (const difference of differences.slice(0, show)) {
  console.log(`\n--- ${difference.kind}${difference.options === undefined ? '' : ` ${JSON.stringify(difference.options)}`}: expected ${JSON.stringify(difference.expected ?? [])}, got ${JSON.stringify(difference.lines)}`);
  console.log(difference.code.trim().split('\n').slice(0, 12).join('\n'));
}
