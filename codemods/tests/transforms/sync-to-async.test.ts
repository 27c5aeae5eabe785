import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Project, ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCodemod, type CodemodReport } from '../../src/index.js';
import { caseOf, readCases, repoRelative, writeProject, type Environment, type FixtureCase } from '../support/fixture-cases.js';

// `UPDATE_FIXTURES=1 npx vitest run --project codemods` rewrites the expected outputs from what the
// codemod produces; review the diff before committing it.
const update = process.env.UPDATE_FIXTURES === '1';

const cases = readCases('sync-to-async');
const environments: Environment[] = ['default', 'express4', 'library'];

interface EnvironmentRun {
  readonly dir: string;
  readonly first: CodemodReport;
  readonly second: CodemodReport;
  readonly errors: readonly string[];
}

const runs = new Map<Environment, EnvironmentRun>();

function environmentOf(fixture: FixtureCase): Environment {
  return fixture.expectations.env ?? 'default';
}

beforeAll(async () => {
  for (const environment of environments) {
    const members = cases.filter((fixture) => environmentOf(fixture) === environment);
    if (members.length === 0) continue;
    const dir = await writeProject(environment, members);
    const first = await runCodemod({ transform: 'sync-to-async', cwd: dir, write: true });
    const second = await runCodemod({ transform: 'sync-to-async', cwd: dir, write: true });
    // An independent check of the written code, outside the codemod's own verification.
    const project = new Project({ tsConfigFilePath: join(dir, 'tsconfig.json') });
    const errors = project.getPreEmitDiagnostics().map((diagnostic) => `${diagnostic.getSourceFile()?.getFilePath() ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, '\n')}`);
    runs.set(environment, { dir, first, second, errors });
  }
}, 300_000);

afterAll(async () => {
  for (const run of runs.values()) await rm(run.dir, { recursive: true, force: true });
});

describe('sync-to-async fixtures', () => {
  it('has at least 40 cases, with a no-op case and one per boundary kind', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.some((fixture) => [...fixture.files.values()].every(({ input, output }) => input === output) && (fixture.expectations.boundaries ?? []).length === 0)).toBe(true);
    const reasons = new Set(cases.flatMap((fixture) => (fixture.expectations.boundaries ?? []).map((entry) => entry.split(' ')[0])));
    for (const reason of ['constructor', 'accessor', 'overloads', 'callback', 'implements-member', 'overridden', 'public-api', 'start-up-code', 'value-use', 'unhandled-rejection']) {
      expect(reasons, reason).toContain(reason);
    }
  });

  it('leaves every project type-checking after the rewrite', () => {
    for (const run of runs.values()) expect(run.errors).toEqual([]);
  });

  describe.each(cases.map((fixture) => [fixture.name, fixture] as const))('%s', (name, fixture) => {
    it('rewrites every file to its expected output, exactly', async () => {
      const run = runs.get(environmentOf(fixture));
      if (run === undefined) throw new Error(`no run for ${name}`);
      for (const [file, { output, outputPath }] of fixture.files) {
        const actual = await readFile(join(run.dir, name, file), 'utf8');
        if (update && actual !== output) await writeFile(outputPath, actual);
        else expect(actual, repoRelative(outputPath)).toBe(output);
      }
    });

    it('reports exactly the expected boundaries, manual sites and rejected files', () => {
      const run = runs.get(environmentOf(fixture));
      if (run === undefined) throw new Error(`no run for ${name}`);
      const mine = <T extends { file: string }>(entries: readonly T[]): T[] => entries.filter((entry) => caseOf(entry.file).name === name);
      expect(mine(run.first.boundaries).map((boundary) => `${boundary.reason} ${boundary.function}`)).toEqual(fixture.expectations.boundaries ?? []);
      expect(mine(run.first.manual).map((site) => site.api)).toEqual(fixture.expectations.manual ?? []);
      expect(mine(run.first.rejected).map((entry) => `${caseOf(entry.file).file} ${entry.reason}`)).toEqual(fixture.expectations.rejected ?? []);
    });

    it('changes nothing on a second run (idempotent)', () => {
      const run = runs.get(environmentOf(fixture));
      if (run === undefined) throw new Error(`no run for ${name}`);
      expect(run.second.files.filter((file) => file.status !== 'rejected' && caseOf(file.file).name === name).map((file) => file.diff)).toEqual([]);
    });
  });
});
