// A copy of one of `fixtures/` to run tools on: the end-to-end tests of the codemods and of the lint
// rule's suggestions rewrite a copy, then run the app's own `tsc` and test suite on it. Shared here
// because those tests live in two packages; nothing in it is part of a published package.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const resolveFrom = createRequire(import.meta.url);

/** The repository's `tsc` and `vitest` entry points, run with this Node. */
export const tscBin = join(dirname(resolveFrom.resolve('typescript/package.json')), 'bin', 'tsc');
export const vitestBin = join(dirname(resolveFrom.resolve('vitest/package.json')), 'vitest.mjs');

/** How a child process ended. */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Node script in `cwd` and returns how it ended, without throwing on a non-zero exit. */
export async function runNode(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  // Vitest marks its own workers with VITEST* variables; a nested run must not inherit them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  try {
    const { stdout, stderr } = await run(process.execPath, [...args], { cwd, env: { ...inherited, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A fixture app copied into a temporary workspace. */
export interface FixtureCopy {
  /** The app's folder in the copy (`<workspace>/fixtures/<name>`). */
  readonly app: string;
  /** Deletes the workspace. */
  remove(): Promise<void>;
}

/**
 * Copies `fixtures/<name>` into a temporary workspace laid out as the repository (the app under
 * `fixtures/`, beside the base tsconfig and Vitest config it extends), its dependencies linked,
 * never touching the original.
 */
export async function copyFixtureApp(name: string, prefix: string): Promise<FixtureCopy> {
  const fixture = join(repoRoot, 'fixtures', name);
  const workspace = await mkdtemp(join(tmpdir(), prefix));
  const app = join(workspace, 'fixtures', name);
  await cp(fixture, app, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
  await Promise.all(['tsconfig.base.json', 'vitest.shared.ts'].map((file) => cp(join(repoRoot, file), join(workspace, file))));
  await writeFile(join(workspace, 'package.json'), '{ "private": true, "type": "module" }\n');
  await symlink(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  await symlink(join(fixture, 'node_modules'), join(app, 'node_modules'), 'dir');
  return { app, remove: () => rm(workspace, { recursive: true, force: true }) };
}

/** What the copy's own suite reported: `<status> <title>` per test. */
export interface SuiteRun {
  readonly total: number;
  readonly failed: number;
  readonly titles: readonly string[];
}

/** Runs the app's own Vitest suite with these environment variables and reads its JSON report. */
export async function runAppSuite(app: string, env: Readonly<Record<string, string>>): Promise<SuiteRun> {
  const vitest = await runNode([vitestBin, 'run', '--reporter=json'], app, env);
  const report = JSON.parse(vitest.stdout.slice(vitest.stdout.indexOf('{'))) as {
    numTotalTests: number;
    numFailedTests: number;
    testResults: { assertionResults: { title: string; status: string }[] }[];
  };
  const titles = report.testResults.flatMap((file) => file.assertionResults.map((test) => `${test.status} ${test.title}`));
  return { total: report.numTotalTests, failed: report.numFailedTests, titles };
}
