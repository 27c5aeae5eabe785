import type ts from 'typescript';

import type { FrameworkDefinition } from '@loopguard/core/registry';

import type { FileEdits } from '../engine/file-edits.js';

/** A place in a file, 1-based as editors show it. */
export interface SourceLocation {
  /** Path relative to the project root, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One change a transform made, for the report. */
export interface Rewrite extends SourceLocation {
  readonly kind: 'replace-call' | 'add-await' | 'make-async' | 'forward-rejections' | 'run-concurrently';
  /** A sentence with code in backticks: what changed. */
  readonly message: string;
}

/** Where propagation had to stop, and what was left as it was because of it. */
export interface Boundary extends SourceLocation {
  readonly reason:
    | 'constructor'
    | 'accessor'
    | 'overloads'
    | 'generator'
    | 'type-predicate'
    | 'implements-member'
    | 'overridden'
    | 'abstract'
    | 'public-api'
    | 'start-up-code'
    | 'parameter-default'
    | 'callback'
    | 'value-use'
    | 'type-use'
    | 'optional-call'
    | 'unhandled-rejection';
  /** The function that could not become async. */
  readonly function: string;
  readonly message: string;
  /** From the function that stopped propagation down to the blocking call left in place. */
  readonly chain: readonly string[];
}

/** A blocking call with no mechanical async replacement: left for a person. */
export interface ManualSite extends SourceLocation {
  readonly api: string;
  readonly message: string;
  readonly chain: readonly string[];
}

/** What a transform sees. */
export interface TransformContext {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** The project's directory (where its tsconfig.json is). */
  readonly projectRoot: string;
  /** The project's own source files (no declaration files, nothing under `node_modules`). */
  readonly projectFiles: readonly ts.SourceFile[];
  /** Files the user selected: where the transform looks for work. Edits may reach their callers elsewhere. */
  readonly selectedFiles: ReadonlySet<ts.SourceFile>;
  /** Test code: its callers are updated, but it is never where the transform starts. */
  readonly isTestFile: (sourceFile: ts.SourceFile) => boolean;
  /** Frameworks as installed in the project (Express 4 or 5). */
  readonly frameworks: readonly FrameworkDefinition[];
  /** Functions exported from the package's public entry points (callers outside the program). */
  readonly isPublicApi: (declaration: ts.Node) => boolean;
  readonly location: (node: ts.Node) => SourceLocation;
  /** `concurrent-awaits`: bound loops to this many iterations at once. */
  readonly maxConcurrency?: number;
}

/** What a transform produces: edits per file, and what it reports. */
export interface TransformResult {
  readonly edits: ReadonlyMap<ts.SourceFile, FileEdits>;
  /** Files whose edits only make sense together (a function made async and its callers' awaits). */
  readonly groups: readonly (readonly ts.SourceFile[])[];
  readonly rewrites: readonly Rewrite[];
  /**
   * The part of its file's edits each rewrite is (`FileEdits.startPart`), for transforms whose
   * rewrites stand alone in a file: a rewrite that would not type-check is then left out and the
   * file keeps the others. Without it, a file keeps all of its rewrites or none.
   */
  readonly parts?: ReadonlyMap<Rewrite, number>;
  readonly boundaries: readonly Boundary[];
  readonly manual: readonly ManualSite[];
}

/** One codemod. */
export interface Transform {
  readonly slug: string;
  readonly description: string;
  /** What the sites it leaves for a person are, one and many, for the report's heading: `blocking call`. */
  readonly leftForAPerson: readonly [one: string, many: string];
  run(context: TransformContext): TransformResult;
}
