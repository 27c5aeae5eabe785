import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

/** The project a case runs in: the default (Express 5, an application), Express 4, or a published library. */
export type Environment = 'default' | 'express4' | 'library';

/** What a case expects besides its output text (`<case>.json` or `case.json`). */
export interface CaseExpectations {
  readonly env?: Environment;
  /** `reason function` pairs, in report order. */
  readonly boundaries?: readonly string[];
  /** APIs reported for a person, in report order. */
  readonly manual?: readonly string[];
  /** Files (relative to the case) whose rewrite is rejected, with the reason. */
  readonly rejected?: readonly string[];
  /** Whether TypeScript's own "Convert to async function" code fix is offered on the input. */
  readonly typescriptFix?: 'offered' | 'refused';
}

/** One fixture case: files by name (`routes/users.ts`) with their input and expected output. */
export interface FixtureCase {
  readonly name: string;
  readonly files: ReadonlyMap<string, { readonly input: string; readonly output: string; readonly outputPath: string }>;
  readonly expectations: CaseExpectations;
}

function pairsIn(directory: string, prefix: string): Map<string, { input: string; output: string; outputPath: string }> {
  const files = new Map<string, { input: string; output: string; outputPath: string }>();
  for (const entry of readdirSync(directory)) {
    const full = join(directory, entry);
    if (statSync(full).isDirectory()) {
      for (const [name, pair] of pairsIn(full, `${prefix}${entry}/`)) files.set(name, pair);
      continue;
    }
    const match = /^(.*)\.input\.(tsx?|mts|cts)$/.exec(entry);
    if (match === null) continue;
    const outputPath = join(directory, `${match[1] ?? ''}.output.${match[2] ?? 'ts'}`);
    const input = readFileSync(full, 'utf8');
    files.set(`${prefix}${match[1] ?? ''}.${match[2] ?? 'ts'}`, { input, output: readOutput(outputPath), outputPath });
  }
  return files;
}

/** Every input has its output file, also when the case expects no change; a missing one reads as empty and fails. */
function readOutput(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/**
 * Reads the cases of a transform: `<case>.input.ts` / `<case>.output.ts` pairs, and directories
 * holding several pairs (cases that span files).
 */
export function readCases(transform: string): FixtureCase[] {
  const root = join(here, '..', 'fixtures', transform);
  const cases: FixtureCase[] = [];
  for (const entry of readdirSync(root).sort()) {
    const full = join(root, entry);
    if (statSync(full).isDirectory()) {
      const config = join(full, 'case.json');
      cases.push({
        name: entry,
        files: pairsIn(full, ''),
        expectations: existsSync(config) ? (JSON.parse(readFileSync(config, 'utf8')) as CaseExpectations) : {},
      });
      continue;
    }
    const match = /^(.*)\.input\.ts$/.exec(entry);
    if (match === null) continue;
    const name = match[1] ?? entry;
    const outputPath = join(root, `${name}.output.ts`);
    const input = readFileSync(full, 'utf8');
    const config = join(root, `${name}.json`);
    cases.push({
      name,
      files: new Map([['index.ts', { input, output: readOutput(outputPath), outputPath }]]),
      expectations: existsSync(config) ? (JSON.parse(readFileSync(config, 'utf8')) as CaseExpectations) : {},
    });
  }
  return cases;
}

const compilerOptions = {
  target: 'es2023',
  lib: ['es2023'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  experimentalDecorators: true,
  verbatimModuleSyntax: true,
};

/**
 * Writes the cases of one environment into a fresh project under `tests/.work` (inside the
 * repository, so `node_modules` resolves), each case in its own folder.
 */
export async function writeProject(environment: Environment, cases: readonly FixtureCase[]): Promise<string> {
  const dir = join(here, '..', '.work', `${environment}-${String(process.pid)}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const manifest: Record<string, unknown> = { name: `loopguard-fixture-${environment}`, version: '0.0.0', type: 'module' };
  if (environment === 'library') {
    manifest.exports = Object.fromEntries(cases.map((fixture) => [`./${fixture.name}`, `./dist/${fixture.name}/index.js`]));
  } else {
    manifest.private = true;
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const options = environment === 'library' ? { ...compilerOptions, noEmit: false, outDir: 'dist', rootDir: '.' } : compilerOptions;
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: options, include: ['**/*.ts'], exclude: ['dist', 'node_modules'] }, null, 2)}\n`);
  if (environment === 'express4') {
    // Express 4 as the express-legacy fixture installs it: what tells the codemod that handlers' promises are ignored.
    await mkdir(join(dir, 'node_modules'), { recursive: true });
    await symlink(join(repoRoot, 'fixtures', 'express-legacy', 'node_modules', 'express'), join(dir, 'node_modules', 'express'), 'dir');
  }
  await Promise.all(
    cases.flatMap((fixture) =>
      [...fixture.files].map(async ([name, { input }]) => {
        const file = join(dir, fixture.name, name);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, input);
      }),
    ),
  );
  return dir;
}

/** The case a project-relative file belongs to, and its name inside the case. */
export function caseOf(file: string): { readonly name: string; readonly file: string } {
  const [name = '', ...rest] = file.split('/');
  return { name, file: rest.join('/') };
}

/** A file's path relative to the repository, for messages. */
export function repoRelative(file: string): string {
  return relative(repoRoot, file);
}
