import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { installedFrameworks } from '@loopguard/core/registry';
import { createTwoFilesPatch } from 'diff';
import { glob, isDynamicPattern } from 'tinyglobby';
import { Project } from 'ts-morph';
import ts from 'typescript';

import { LoopguardCliError } from '../errors.js';
import { isTestPath } from '../scan/project-files.js';
import { findTransform, transforms } from '../transforms/registry.js';
import type { Boundary, ManualSite, Rewrite, SourceLocation } from '../transforms/types.js';
import { compilerProgram } from './compiler-program.js';
import { uncommittedFiles } from './git.js';
import { publicApi } from './public-api.js';
import { verifyChanges, type SeparableChange, type TypeError } from './verify.js';
import { unchangedOnDisk, writeFileAtomic } from './write-files.js';

/** How to run a codemod. */
export interface RunCodemodOptions {
  /** A transform slug: `sync-to-async`. */
  readonly transform: string;
  /** Files, directories or globs (relative to `cwd`) to look for work in; default the whole project. */
  readonly paths?: readonly string[];
  /** The tsconfig.json; default the nearest one above `cwd` (or above the first path). */
  readonly project?: string;
  readonly cwd?: string;
  /** Write the result; without it nothing on disk changes (a dry run). */
  readonly write?: boolean;
  /** Write even when git reports uncommitted changes in the project. */
  readonly force?: boolean;
  readonly progress?: CodemodProgress;
  /** `concurrent-awaits`: run at most this many loop iterations at once (slices of N, one after another). */
  readonly maxConcurrency?: number;
}

/** Progress callbacks for long runs (the CLI draws them on a terminal). */
export interface CodemodProgress {
  /** A new phase starts; `total` when its steps can be counted. */
  phase(name: 'loading' | 'analysing' | 'type-checking' | 'writing', total?: number): void;
  advance(done: number): void;
  stop(): void;
}

/** One file the codemod changes (or would change in a dry run). */
export interface FileChange {
  /** Relative to the project root. */
  readonly file: string;
  readonly status: 'written' | 'unwritten' | 'rejected';
  readonly before: string;
  readonly after: string;
  /** A unified diff of the change. */
  readonly diff: string;
  readonly rewrites: number;
}

/** A file whose rewrite was not written, and why. */
export interface RejectedFile {
  readonly file: string;
  readonly reason: 'type-error' | 'depends-on-rejected' | 'changed-on-disk';
  readonly message: string;
  readonly errors: readonly TypeError[];
}

/** A rewrite left out of its file because it would not type-check; the file keeps its other rewrites. */
export interface DroppedRewrite extends Rewrite {
  readonly errors: readonly TypeError[];
}

/** What a codemod run did, or would do in a dry run. */
export interface CodemodReport {
  readonly transform: string;
  readonly root: string;
  readonly tsconfig: string;
  readonly dryRun: boolean;
  readonly filesAnalysed: number;
  readonly files: readonly FileChange[];
  readonly rewrites: readonly Rewrite[];
  readonly boundaries: readonly Boundary[];
  readonly manual: readonly ManualSite[];
  readonly rejected: readonly RejectedFile[];
  /** Rewrites left out of files that keep their other rewrites. */
  readonly dropped: readonly DroppedRewrite[];
  readonly durationMs: number;
}

function codemodError(reason: string, remedy: string): LoopguardCliError {
  return new LoopguardCliError('run the codemod', reason, remedy);
}

/** What is at a path: a file, a directory, or nothing. */
async function kindOf(file: string): Promise<'file' | 'directory' | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found === undefined ? undefined : found.isDirectory() ? 'directory' : 'file';
}

async function findTsconfig(options: RunCodemodOptions, cwd: string): Promise<string> {
  if (options.project !== undefined) {
    const given = path.resolve(cwd, options.project);
    const file = (await kindOf(given)) === 'directory' ? path.join(given, 'tsconfig.json') : given;
    if ((await kindOf(file)) !== 'file') throw codemodError(`'${options.project}' does not exist`, 'Pass --project the path of a tsconfig.json');
    return file;
  }
  const first = options.paths?.find((entry) => !isDynamicPattern(entry));
  const start = first === undefined ? cwd : path.resolve(cwd, first);
  const from = (await kindOf(start)) === 'directory' ? start : path.dirname(start);
  const found = ts.findConfigFile(from, (file) => ts.sys.fileExists(file));
  if (found === undefined) throw codemodError(`no tsconfig.json in '${from}' or above it`, 'Run it in a TypeScript project, or pass --project <tsconfig.json>');
  return path.resolve(found);
}

async function selectFiles(paths: readonly string[], cwd: string, projectFiles: readonly ts.SourceFile[], tsconfig: string): Promise<Set<ts.SourceFile>> {
  const byName = new Map(projectFiles.map((file) => [path.resolve(file.fileName), file]));
  const selected = new Set<ts.SourceFile>();
  for (const entry of paths) {
    const absolute = path.resolve(cwd, entry);
    const before = selected.size;
    const kind = isDynamicPattern(entry) ? undefined : await kindOf(absolute);
    if (kind !== undefined) {
      if (kind === 'directory') {
        for (const [name, file] of byName) if (name.startsWith(`${absolute}${path.sep}`)) selected.add(file);
      } else {
        const file = byName.get(absolute);
        if (file !== undefined) selected.add(file);
      }
    } else {
      for (const match of await glob(entry, { cwd, absolute: true, ignore: ['**/node_modules/**'] })) {
        const file = byName.get(path.resolve(match));
        if (file !== undefined) selected.add(file);
      }
    }
    if (selected.size === before) {
      throw codemodError(`'${entry}' matches no file of the project ${tsconfig}`, 'Pass files, directories or globs that the tsconfig includes, or --project the tsconfig that includes them');
    }
  }
  return selected;
}

/**
 * Runs a codemod over a TypeScript project: analyses the whole program, plans every edit, applies
 * them in memory, type-checks the result, and writes (with `write: true`) only files whose rewrite
 * adds no type error, each atomically. Without `write` nothing on disk changes.
 *
 * @example
 * const report = await runCodemod({ transform: 'sync-to-async', cwd: '/srv/shop', write: true });
 * console.log(report.files.length, report.boundaries.length);
 */
export async function runCodemod(options: RunCodemodOptions): Promise<CodemodReport> {
  const started = performance.now();
  const transform = findTransform(options.transform);
  if (transform === undefined) {
    throw codemodError(`there is no transform '${options.transform}'`, `Use one of ${transforms.map((candidate) => `'${candidate.slug}'`).join(', ')}`);
  }
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const tsconfig = await findTsconfig(options, cwd);
  const root = path.dirname(tsconfig);
  const write = options.write === true;
  if (write && options.force !== true) {
    const dirty = await uncommittedFiles(root);
    if (dirty !== undefined && dirty.length > 0) {
      const listed = dirty.slice(0, 5).map((file) => `'${file}'`).join(', ');
      throw codemodError(
        `git reports uncommitted changes in ${root} (${listed}${dirty.length > 5 ? `, and ${String(dirty.length - 5)} more` : ''})`,
        'Commit or stash them first so the rewrite can be reviewed and undone, or pass --force',
      );
    }
  }

  const progress = options.progress;
  progress?.phase('loading');
  let project: Project;
  try {
    project = new Project({ tsConfigFilePath: tsconfig });
  } catch (error) {
    throw codemodError(`${tsconfig} could not be loaded (${error instanceof Error ? error.message : String(error)})`, 'Fix the tsconfig so that `tsc --noEmit -p` accepts it');
  }
  const program = compilerProgram(project);
  const projectFiles = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/'));
  if (projectFiles.length === 0) throw codemodError(`${tsconfig} includes no source files`, 'Check its "include" and "files"');
  const selectedFiles = options.paths === undefined || options.paths.length === 0 ? new Set(projectFiles) : await selectFiles(options.paths, cwd, projectFiles, tsconfig);
  const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const location = (node: ts.Node): SourceLocation => {
    const sourceFile = node.getSourceFile();
    const position = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return { file: relative(sourceFile.fileName), line: position.line + 1, column: position.character + 1 };
  };

  progress?.phase('analysing');
  const result = transform.run({
    program,
    checker: program.getTypeChecker(),
    projectRoot: root,
    projectFiles,
    selectedFiles,
    isTestFile: (sourceFile) => isTestPath(relative(sourceFile.fileName)),
    frameworks: installedFrameworks(root),
    isPublicApi: await publicApi(program, root),
    location,
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
  });

  const changes = new Map<string, { before: string; after: string }>();
  const separable = new Map<string, SeparableChange>();
  for (const [sourceFile, edits] of result.edits) {
    const after = edits.apply();
    if (after !== sourceFile.text) changes.set(sourceFile.fileName, { before: sourceFile.text, after });
    if (result.parts !== undefined && edits.parts.length >= 2) separable.set(sourceFile.fileName, { parts: edits.parts, render: (keep) => edits.apply(keep) });
  }
  const groups = result.groups.map((group) => group.map((file) => file.fileName).filter((file) => changes.has(file)));

  progress?.phase('type-checking', 1);
  const verified = verifyChanges(
    project,
    program,
    changes,
    groups,
    relative,
    (done, total) => {
      if (done === 1) progress?.phase('type-checking', total);
      progress?.advance(done);
    },
    separable,
  );
  const dropped: DroppedRewrite[] = [];
  const droppedRewrites = new Set<Rewrite>();
  for (const [file, partial] of verified.partial) {
    const change = changes.get(file);
    if (change !== undefined) changes.set(file, { ...change, after: partial.after });
    for (const { part, errors } of partial.dropped) {
      for (const rewrite of result.rewrites) {
        if (rewrite.file !== relative(file) || result.parts?.get(rewrite) !== part) continue;
        droppedRewrites.add(rewrite);
        dropped.push({ ...rewrite, errors });
      }
    }
  }

  const rejected: RejectedFile[] = [];
  for (const [file, why] of verified.rejected) {
    rejected.push(
      why.dependsOn === undefined
        ? { file: relative(file), reason: 'type-error', message: `The rewrite would add ${String(why.errors.length)} type error${why.errors.length === 1 ? '' : 's'}; the file is left as it was.`, errors: why.errors }
        : { file: relative(file), reason: 'depends-on-rejected', message: `Left as it was because its rewrite goes with the one of ${why.dependsOn}, which would not type-check.`, errors: [] },
    );
  }
  const written = new Set<string>();
  if (write) {
    progress?.phase('writing', verified.accepted.size);
    let done = 0;
    for (const file of [...verified.accepted].sort()) {
      const change = changes.get(file);
      if (change === undefined) continue;
      if (!(await unchangedOnDisk(file, change.before))) {
        rejected.push({ file: relative(file), reason: 'changed-on-disk', message: 'The file changed on disk while the codemod ran; it is left as it is now. Run the codemod again.', errors: [] });
        continue;
      }
      await writeFileAtomic(file, change.after);
      written.add(file);
      progress?.advance((done += 1));
    }
  }
  progress?.stop();

  const rejectedFiles = new Set(rejected.map((entry) => entry.file));
  const rewrites = result.rewrites.filter((rewrite) => !rejectedFiles.has(rewrite.file) && !droppedRewrites.has(rewrite));
  const files: FileChange[] = [...changes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, change]) => {
      const name = relative(file);
      return {
        file: name,
        status: written.has(file) ? 'written' : rejectedFiles.has(name) ? 'rejected' : 'unwritten',
        before: change.before,
        after: change.after,
        diff: createTwoFilesPatch(`a/${name}`, `b/${name}`, change.before, change.after, undefined, undefined, { context: 3 }),
        rewrites: (rejectedFiles.has(name) ? result.rewrites : rewrites).filter((rewrite) => rewrite.file === name).length,
      };
    });
  return {
    transform: transform.slug,
    root,
    tsconfig: relative(tsconfig),
    dryRun: !write,
    filesAnalysed: projectFiles.length,
    files,
    rewrites,
    boundaries: result.boundaries,
    manual: result.manual,
    rejected: rejected.sort((a, b) => a.file.localeCompare(b.file)),
    dropped,
    durationMs: performance.now() - started,
  };
}
