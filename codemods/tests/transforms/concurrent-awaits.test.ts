import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Project, ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCodemod, type CodemodReport } from '../../src/index.js';
import { caseOf, readCases, repoRelative, writeProject } from '../support/fixture-cases.js';

// `UPDATE_FIXTURES=1 npx vitest run --project codemods` rewrites the expected outputs from what the
// codemod produces; review the diff before committing it.
const update = process.env.UPDATE_FIXTURES === '1';

const cases = readCases('concurrent-awaits');

/** What every case imports: upstream calls, an audit log and a database with a transaction. */
const upstream = `export interface Profile {
  readonly name: string;
  readonly handle: string;
}

export async function getProfile(id: string): Promise<Profile> {
  return { name: id, handle: \`@\${id}\` };
}

export async function getPosts(key: string): Promise<string[]> {
  return [key];
}

export async function getFollowers(id: string): Promise<number> {
  return id.length;
}

export async function audit(entry: string): Promise<void> {
  console.log(entry);
}

interface Tx {
  debit(account: string): Promise<number>;
  credit(account: string): Promise<number>;
}

const tx: Tx = { debit: async (account) => account.length, credit: async (account) => account.length };

export const db = {
  users: {
    insert: async (name: string): Promise<number> => name.length,
    find: async (name: string): Promise<string[]> => [name],
    remove: async (name: string): Promise<number> => name.length,
  },
  transaction: async <T>(run: (tx: Tx) => Promise<T>): Promise<T> => run(tx),
};
`;

let dir = '';
let first: CodemodReport;
let second: CodemodReport;
let errors: string[] = [];

beforeAll(async () => {
  dir = await writeProject('default', cases);
  await writeFile(join(dir, 'upstream.ts'), upstream);
  first = await runCodemod({ transform: 'concurrent-awaits', cwd: dir, write: true, force: true });
  second = await runCodemod({ transform: 'concurrent-awaits', cwd: dir, write: true, force: true });
  // An independent check of the written code, outside the codemod's own verification.
  const project = new Project({ tsConfigFilePath: join(dir, 'tsconfig.json') });
  errors = project.getPreEmitDiagnostics().map((diagnostic) => `${diagnostic.getSourceFile()?.getFilePath() ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, '\n')}`);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('concurrent-awaits fixtures', () => {
  it('has at least 30 cases, with no-op cases and cases left for a person', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((fixture) => [...fixture.files.values()].every(({ input, output }) => input === output)).length).toBeGreaterThanOrEqual(10);
    expect(cases.some((fixture) => (fixture.expectations.manual ?? []).length > 0)).toBe(true);
  });

  it('leaves the project type-checking after the rewrite, and rejects or leaves out nothing', () => {
    expect(errors).toEqual([]);
    expect(first.rejected).toEqual([]);
    expect(first.dropped).toEqual([]);
  });

  describe.each(cases.map((fixture) => [fixture.name, fixture] as const))('%s', (name, fixture) => {
    it('rewrites the file to its expected output, exactly', async () => {
      for (const [file, { output, outputPath }] of fixture.files) {
        const actual = await readFile(join(dir, name, file), 'utf8');
        if (update && actual !== output) await writeFile(outputPath, actual);
        else expect(actual, repoRelative(outputPath)).toBe(output);
      }
    });

    it('reports exactly the expected sites left for a person', () => {
      expect(first.manual.filter((site) => caseOf(site.file).name === name).map((site) => site.api)).toEqual(fixture.expectations.manual ?? []);
    });

    it('changes nothing on a second run (idempotent)', () => {
      expect(second.files.filter((file) => caseOf(file.file).name === name).map((file) => file.diff)).toEqual([]);
    });
  });
});
