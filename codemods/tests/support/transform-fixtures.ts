import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Project, ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCodemod, type CodemodReport } from '../../src/index.js';
import { caseOf, readCases, repoRelative, writeProject, type Environment, type FixtureCase } from './fixture-cases.js';

// `UPDATE_FIXTURES=1 npx vitest run --project codemods` rewrites the expected outputs from what the
// codemod produces; review the diff before committing it.
const update = process.env.UPDATE_FIXTURES === '1';

interface EnvironmentRun {
  readonly dir: string;
  readonly first: CodemodReport;
  readonly second: CodemodReport;
  readonly errors: readonly string[];
  /** Per case, whether TypeScript's own "Convert to async function" fix was offered on its input. */
  readonly offered: ReadonlyMap<string, boolean>;
}

/** TypeScript's suggestion "This may be converted to an async function", which its code fix acts on. */
const convertToAsyncSuggestion = 80006;

/**
 * The fixture suite of a transform: each case's files rewritten to their expected output exactly,
 * the expected sites left for a person, nothing changed by a second run, the written project
 * type-checking, and (where a case says so) whether TypeScript's own code fix would have taken it.
 */
export function describeTransformFixtures(transform: string, options: { readonly support: Readonly<Record<string, string>>; readonly minimum: number; readonly typescriptFix?: boolean }): void {
  const cases = readCases(transform);
  const runs = new Map<Environment, EnvironmentRun>();
  const environmentOf = (fixture: FixtureCase): Environment => fixture.expectations.env ?? 'default';

  beforeAll(async () => {
    for (const environment of ['default', 'express4'] as const) {
      const members = cases.filter((fixture) => environmentOf(fixture) === environment);
      if (members.length === 0) continue;
      const dir = await writeProject(environment, members);
      for (const [name, text] of Object.entries(options.support)) await writeFile(join(dir, name), text);
      const before = new Project({ tsConfigFilePath: join(dir, 'tsconfig.json') });
      const service = before.getLanguageService().compilerObject;
      const offered = new Map(members.map((fixture) => [fixture.name, [...fixture.files.keys()].some((file) => service.getSuggestionDiagnostics(join(dir, fixture.name, file)).some((diagnostic) => diagnostic.code === convertToAsyncSuggestion))]));
      const first = await runCodemod({ transform, cwd: dir, write: true, force: true });
      const second = await runCodemod({ transform, cwd: dir, write: true, force: true });
      // An independent check of the written code, outside the codemod's own verification.
      const project = new Project({ tsConfigFilePath: join(dir, 'tsconfig.json') });
      const errors = project.getPreEmitDiagnostics().map((diagnostic) => `${diagnostic.getSourceFile()?.getFilePath() ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, '\n')}`);
      runs.set(environment, { dir, first, second, errors, offered });
    }
  }, 300_000);

  afterAll(async () => {
    for (const run of runs.values()) await rm(run.dir, { recursive: true, force: true });
  });

  const runOf = (fixture: FixtureCase): EnvironmentRun => {
    const run = runs.get(environmentOf(fixture));
    if (run === undefined) throw new Error(`no run for ${fixture.name}`);
    return run;
  };

  describe(`${transform} fixtures`, () => {
    it(`has at least ${String(options.minimum)} cases, with no-op cases and cases left for a person${options.typescriptFix === true ? ", and cases TypeScript's code fix refuses" : ''}`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(options.minimum);
      expect(cases.filter((fixture) => [...fixture.files.values()].every(({ input, output }) => input === output)).length).toBeGreaterThanOrEqual(3);
      expect(cases.some((fixture) => (fixture.expectations.manual ?? []).length > 0)).toBe(true);
      if (options.typescriptFix === true) expect(cases.filter((fixture) => fixture.expectations.typescriptFix === 'refused' && [...fixture.files.values()].some(({ input, output }) => input !== output)).length).toBeGreaterThanOrEqual(5);
    });

    it('leaves every project type-checking after the rewrite, and rejects nothing', () => {
      for (const run of runs.values()) {
        expect(run.errors).toEqual([]);
        expect(run.first.rejected).toEqual([]);
      }
    });

    describe.each(cases.map((fixture) => [fixture.name, fixture] as const))('%s', (name, fixture) => {
      it('rewrites every file to its expected output, exactly', async () => {
        for (const [file, { output, outputPath }] of fixture.files) {
          const actual = await readFile(join(runOf(fixture).dir, name, file), 'utf8');
          if (update && actual !== output) await writeFile(outputPath, actual);
          else expect(actual, repoRelative(outputPath)).toBe(output);
        }
      });

      it('reports exactly the expected sites left for a person and boundaries', () => {
        const mine = <T extends { file: string }>(entries: readonly T[]): T[] => entries.filter((entry) => caseOf(entry.file).name === name);
        expect(mine(runOf(fixture).first.manual).map((site) => site.api)).toEqual(fixture.expectations.manual ?? []);
        expect(mine(runOf(fixture).first.boundaries).map((boundary) => `${boundary.reason} ${boundary.function}`)).toEqual(fixture.expectations.boundaries ?? []);
      });

      it('changes nothing on a second run (idempotent)', () => {
        expect(runOf(fixture).second.files.filter((file) => caseOf(file.file).name === name).map((file) => file.diff)).toEqual([]);
      });

      if (fixture.expectations.typescriptFix !== undefined) {
        it(`is a case TypeScript's "Convert to async function" ${fixture.expectations.typescriptFix === 'refused' ? 'refuses' : 'offers'}`, () => {
          expect(runOf(fixture).offered.get(name)).toBe(fixture.expectations.typescriptFix === 'offered');
        });
      }
    });
  });
}
