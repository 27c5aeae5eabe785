import { access, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

import loopguard from '@loopguard/eslint-plugin';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

import { LoopguardCliError } from '../errors.js';
import { projectFiles } from './project-files.js';

/** One problem loopguard found. */
export interface ScanFinding {
  /** Path relative to the scanned directory, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number | undefined;
  readonly endColumn: number | undefined;
  readonly rule: string;
  readonly message: string;
  /** For a call that blocks through helpers: the functions and the blocking API, in call order. */
  readonly chain: readonly string[] | undefined;
}

/** What a scan found, and what it looked at. */
export interface ScanResult {
  readonly root: string;
  readonly filesScanned: number;
  /** Files linted with type information (inside a tsconfig project). */
  readonly typedFiles: number;
  readonly findings: readonly ScanFinding[];
  /** Files ESLint could not parse, with the parser's message. */
  readonly parseErrors: readonly { readonly file: string; readonly message: string }[];
  readonly durationMs: number;
}

/** Progress callbacks, so the CLI can draw a bar on large projects. */
export interface ScanProgress {
  start(total: number): void;
  advance(done: number): void;
  stop(): void;
}

/** Settings of a scan. */
export interface ScanOptions {
  /** Files per ESLint run; progress is reported between runs. */
  readonly chunkSize?: number;
  readonly progress?: ScanProgress;
  /** Also scan test files (`*.test.ts`, `tests/`), which are skipped by default. */
  readonly includeTests?: boolean;
}

const notInProject = /was not found by the project service|not included in the project|none of those TSConfigs include this file/i;

// typescript-eslint's flat-config types and ESLint's own differ only in index signatures.
const recommended = loopguard.configs.recommended as unknown as Linter.Config;

function typedConfig(root: string): Linter.Config[] {
  return [
    {
      files: ['**/*.{ts,tsx,mts,cts}'],
      languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: root } },
    },
    { ...recommended, files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'] },
  ];
}

function untypedConfig(): Linter.Config[] {
  return [
    { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
    { ...recommended, files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'] },
  ];
}

function eslintFor(root: string, config: Linter.Config[]): ESLint {
  return new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config, errorOnUnmatchedPattern: false, ignore: false });
}

/** `a → b → fs.readFileSync` from a `blockingChain` message. */
function chainOf(message: string): string[] | undefined {
  const match = /blocks the event loop: (\w[^`]*? → [^`]*?)\. /.exec(message);
  return match?.[1]?.split(' → ');
}

/**
 * Lints a project with `loopguard.configs.recommended` and no configuration on the user's side:
 * TypeScript files inside a tsconfig project get type information through typescript-eslint's
 * project service; other files are linted without it.
 *
 * @example
 * const result = await scanProject('./my-api');
 * console.log(result.findings.length);
 */
export async function scanProject(directory: string, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const root = resolve(directory);
  const info = await stat(root).catch(() => undefined);
  if (info === undefined) throw new LoopguardCliError(`scan '${directory}'`, 'the directory does not exist', 'Pass the directory of a Node.js project, or run it inside one');
  if (!info.isDirectory()) throw new LoopguardCliError(`scan '${directory}'`, 'it is a file, not a directory', 'Pass the directory of a Node.js project');
  const [files, hasTsconfig] = await Promise.all([
    projectFiles(root, { includeTests: options.includeTests === true }),
    access(join(root, 'tsconfig.json')).then(
      () => true,
      () => false,
    ),
  ]);
  const typed = eslintFor(root, hasTsconfig ? typedConfig(root) : untypedConfig());
  const untyped = hasTsconfig ? eslintFor(root, untypedConfig()) : typed;
  const chunkSize = options.chunkSize ?? 50;
  const findings: ScanFinding[] = [];
  const parseErrors: { file: string; message: string }[] = [];
  let typedFiles = 0;
  options.progress?.start(files.length);
  try {
    for (let index = 0; index < files.length; index += chunkSize) {
      const chunk = files.slice(index, index + chunkSize);
      const results = await typed.lintFiles(chunk.map((file) => join(root, file)));
      const outsideProject: string[] = [];
      for (const result of results) {
        const fatal = result.messages.find((message) => message.fatal === true);
        if (hasTsconfig && fatal !== undefined && notInProject.test(fatal.message)) {
          outsideProject.push(result.filePath);
          continue;
        }
        if (hasTsconfig && /\.[cm]?tsx?$/.test(result.filePath)) typedFiles += 1;
        collect(root, result, findings, parseErrors);
      }
      if (outsideProject.length > 0) {
        for (const result of await untyped.lintFiles(outsideProject)) collect(root, result, findings, parseErrors);
      }
      options.progress?.advance(Math.min(index + chunkSize, files.length));
    }
  } finally {
    options.progress?.stop();
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { root, filesScanned: files.length, typedFiles, findings, parseErrors, durationMs: performance.now() - started };
}

function collect(root: string, result: ESLint.LintResult, findings: ScanFinding[], parseErrors: { file: string; message: string }[]): void {
  const file = relative(root, result.filePath).split('\\').join('/');
  for (const message of result.messages) {
    if (message.fatal === true || message.ruleId === null) {
      parseErrors.push({ file, message: message.message });
      continue;
    }
    findings.push({
      file,
      line: message.line,
      column: message.column,
      endLine: message.endLine,
      endColumn: message.endColumn,
      rule: message.ruleId,
      message: message.message,
      chain: chainOf(message.message),
    });
  }
}
