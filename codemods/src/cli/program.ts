import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';

import { formatCodemodJson, formatCodemodPretty, needsAttention } from '../engine/report.js';
import { runCodemod, type CodemodProgress } from '../engine/run-codemod.js';
import { LoopguardCliError } from '../errors.js';
import { findTransform, transforms } from '../transforms/registry.js';
import { formatJson, formatPretty, painter } from '../scan/report.js';
import { scanProject, type ScanProgress } from '../scan/scan.js';

/** Where the CLI writes, so tests can capture it. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

// A bar is worth drawing only when a person watches a run that takes a while.
const progressThreshold = 100;

function progressBar(io: CliIo, enabled: boolean): ScanProgress | undefined {
  if (!enabled || io.stderr.isTTY !== true) return undefined;
  let bar: SingleBar | undefined;
  return {
    start(total) {
      if (total < progressThreshold) return;
      bar = new SingleBar({ format: 'scanning {bar} {value}/{total} files', stream: process.stderr, clearOnComplete: true, hideCursor: true });
      bar.start(total, 0);
    },
    advance(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

function codemodProgress(io: CliIo, enabled: boolean): CodemodProgress | undefined {
  if (!enabled || io.stderr.isTTY !== true) return undefined;
  let bar: SingleBar | undefined;
  return {
    phase(name, total) {
      bar?.stop();
      bar = undefined;
      if (total === undefined) {
        io.stderr.write(`loopguard: ${name}…\n`);
      } else if (total >= progressThreshold) {
        bar = new SingleBar({ format: `${name} {bar} {value}/{total} files`, stream: process.stderr, clearOnComplete: true, hideCursor: true });
        bar.start(total, 0);
      }
    },
    advance(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

function parseChunk(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('Use a whole number of files, at least 1.');
  return parsed;
}

/**
 * Builds the `loopguard` command line.
 *
 * @example
 * await createProgram({ stdout: process.stdout, stderr: process.stderr }).parseAsync(process.argv);
 */
export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('loopguard')
    .description('Find code that blocks the Node.js event loop while serving requests, and rewrite it to async.')
    .version('0.1.0')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError();

  program
    .command('scan')
    .description('Lint a project with loopguard.configs.recommended, no configuration needed. Exits 1 when anything is found.')
    .argument('[dir]', 'project directory (its tsconfig.json gives type information)', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--include-tests', 'also scan test files (*.test.ts, tests/), skipped by default')
    .option('--no-progress', 'never draw a progress bar')
    .option('--no-color', 'plain text output')
    .addOption(new Option('--chunk-size <files>', 'files per ESLint run (progress granularity)').argParser(parseChunk).default(50).hideHelp())
    .action(async (dir: string, options: { format: 'pretty' | 'json'; progress: boolean; color: boolean; chunkSize: number; includeTests?: boolean }) => {
      const progress = progressBar(io, options.progress && options.format === 'pretty');
      const result = await scanProject(dir, {
        chunkSize: options.chunkSize,
        includeTests: options.includeTests === true,
        ...(progress === undefined ? {} : { progress }),
      });
      io.stdout.write(options.format === 'json' ? formatJson(result) : formatPretty(result, painter(options.color && io.stdout.isTTY === true)));
      setExitCode(result.findings.length > 0 || result.parseErrors.length > 0 ? 1 : 0);
    });

  // The names in one column, two spaces past the longest.
  const nameWidth = Math.max(...transforms.map((transform) => transform.slug.length)) + 2;
  const transformList = transforms.map((transform) => `  ${transform.slug.padEnd(nameWidth)}${transform.description}`).join('\n');
  program
    .command('codemod')
    .description('Rewrite a TypeScript project. Shows the diff without writing unless --write. Exits 1 when something is left for a person.')
    .argument('<transform>', `the transform to run (${transforms.map((transform) => transform.slug).join(', ')})`)
    .argument('[paths...]', 'files, directories or globs to look for work in (default: the whole project)')
    .option('-p, --project <tsconfig>', 'the tsconfig.json of the project (default: the nearest one)')
    .option('-w, --write', 'write the rewritten files (each atomically); without it nothing on disk changes')
    .option('--json', 'print the report as JSON (rewrites, boundaries, rejected files, diffs)')
    .option('-f, --force', 'write even though git reports uncommitted changes')
    .option('--max-concurrency <n>', 'concurrent-awaits: run at most n loop iterations at once', parsePositiveInteger)
    .option('--no-progress', 'never draw progress')
    .option('--no-color', 'plain text output')
    .addHelpText('after', `\nTransforms:\n${transformList}\n`)
    .action(
      async (
        slug: string,
        paths: string[],
        options: { project?: string; write?: boolean; json?: boolean; force?: boolean; maxConcurrency?: number; progress: boolean; color: boolean },
      ) => {
        if (findTransform(slug) === undefined) {
          throw new LoopguardCliError(
            'run the codemod',
            `there is no transform '${slug}'`,
            `Use one of ${transforms.map((transform) => `'${transform.slug}'`).join(', ')} (\`loopguard codemod --help\` describes them)`,
          );
        }
        const progress = codemodProgress(io, options.progress && options.json !== true);
        const report = await runCodemod({
          transform: slug,
          paths,
          write: options.write === true,
          force: options.force === true,
          ...(options.project === undefined ? {} : { project: options.project }),
          ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
          ...(progress === undefined ? {} : { progress }),
        });
        io.stdout.write(options.json === true ? formatCodemodJson(report) : formatCodemodPretty(report, painter(options.color && io.stdout.isTTY === true)));
        setExitCode(needsAttention(report) ? 1 : 0);
      },
    );

  return program;
}

/**
 * Runs the CLI and returns its exit code: 0 clean, 1 problems found, 2 bad usage or a failure.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof LoopguardCliError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (isCommanderExit(error)) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

function isCommanderExit(error: unknown): error is { exitCode: number; code: string } {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && error.code.startsWith('commander.') && 'exitCode' in error;
}

/** `--max-concurrency 8`: a whole number of at least 1, or a message that says what to pass. */
function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new LoopguardCliError('read --max-concurrency', `'${value}' is not a whole number of at least 1`, 'Pass how many iterations may run at once, e.g. --max-concurrency 8');
  }
  return parsed;
}
