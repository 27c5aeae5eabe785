import { join } from 'node:path';

import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

import loopguard, { rules } from '../src/index.js';
import { fixtureDir } from './rules/rule-tester.js';

interface Report {
  readonly rule: string;
  readonly line: number;
}

async function lint(loopguardConfig: Linter.Config): Promise<Report[]> {
  const eslint = new ESLint({
    cwd: fixtureDir,
    overrideConfigFile: true,
    overrideConfig: [
      ...(tseslint.configs.recommendedTypeChecked as Linter.Config[]),
      { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixtureDir } } },
      loopguardConfig,
    ],
  });
  const [result] = await eslint.lintFiles([join(fixtureDir, 'interplay.ts')]);
  return (result?.messages ?? []).map((message) => ({ rule: message.ruleId ?? '', line: message.line }));
}

/** Lines reported by a typescript-eslint promise rule and a loopguard rule alike. */
function doubles(reports: readonly Report[]): number[] {
  const promiseRules = /^@typescript-eslint\/(no-floating-promises|no-misused-promises|return-await)$/;
  const theirs = new Set(reports.filter((report) => promiseRules.test(report.rule)).map((report) => report.line));
  return [...new Set(reports.filter((report) => report.rule.startsWith('loopguard/') && theirs.has(report.line)).map((report) => report.line))];
}

describe('loopguard.configs.recommended after tseslint.configs.recommendedTypeChecked', () => {
  it('reports each promise bug once', async () => {
    const reports = await lint(loopguard.configs.recommended as Linter.Config);
    expect(doubles(reports)).toEqual([]);
    const loopguardLines = reports.filter((report) => report.rule.startsWith('loopguard/')).map((report) => `${report.rule}:${String(report.line)}`);
    expect(loopguardLines).toEqual([
      'loopguard/no-floating-promises:10',
      'loopguard/no-floating-promises:11',
      'loopguard/no-missing-await:12',
      'loopguard/no-floating-promises:13',
      'loopguard/no-dropped-rejections:16',
      'loopguard/no-missing-await:20',
      'loopguard/no-floating-promises:28',
      'loopguard/no-missing-await:29',
    ]);
  });

  it('would report them twice without turning the superseded rules off (the check can fail)', async () => {
    const onlyLoopguardRules: Linter.Config = {
      plugins: { loopguard: loopguard as unknown as NonNullable<Linter.Config['plugins']>[string] },
      rules: Object.fromEntries(Object.keys(rules).map((name) => [`loopguard/${name}`, 'error'])),
    };
    expect((await lint(onlyLoopguardRules)).length).toBeGreaterThan(0);
    expect(doubles(await lint(onlyLoopguardRules)).length).toBeGreaterThanOrEqual(4);
  });
});
