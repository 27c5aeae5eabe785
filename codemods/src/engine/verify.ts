import type { Project } from 'ts-morph';
import ts from 'typescript';

import { compilerProgram } from './compiler-program.js';

/** A type error a rewrite would introduce. */
export interface TypeError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

/** A planned change of one file, by absolute path. */
export interface PlannedChange {
  readonly before: string;
  readonly after: string;
}

/** Why a file's rewrite is not written. */
export interface RejectedChange {
  readonly errors: readonly TypeError[];
  /** Set when this file's own rewrite checked clean but belongs with one that did not. */
  readonly dependsOn?: string;
}

/** The outcome of checking a set of rewrites: files that keep their rewrite, and those that lost it and why. */
export interface VerifyResult {
  readonly accepted: ReadonlySet<string>;
  /** Rejected file → the errors its rewrite introduced, or the file whose errors took it down with them. */
  readonly rejected: ReadonlyMap<string, RejectedChange>;
}

function diagnosticsOf(program: ts.Program, sourceFile: ts.SourceFile): ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].filter(
    (diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error,
  );
}

function keyOf(diagnostic: ts.Diagnostic): string {
  return `${String(diagnostic.code)} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
}

function toTypeError(diagnostic: ts.Diagnostic, relative: (file: string) => string): TypeError {
  const file = diagnostic.file;
  const position = file === undefined || diagnostic.start === undefined ? { line: 0, character: 0 } : file.getLineAndCharacterOfPosition(diagnostic.start);
  return {
    file: file === undefined ? '' : relative(file.fileName),
    line: position.line + 1,
    column: position.character + 1,
    code: diagnostic.code,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  };
}

/**
 * Files whose types may change with `changed`: those that import one of them, directly or through
 * any chain of imports and re-exports (a barrel `index.ts`), each mapped to the changed files it reaches.
 */
function importersOf(program: ts.Program, changed: ReadonlySet<string>): Map<string, Set<string>> {
  const checker = program.getTypeChecker();
  const importedBy = new Map<string, Set<string>>();
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile || sourceFile.fileName.includes('/node_modules/')) continue;
    for (const statement of sourceFile.statements) {
      const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
      if (specifier === undefined || !ts.isStringLiteral(specifier)) continue;
      const declaration = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      if (declaration === undefined || !ts.isSourceFile(declaration) || declaration.fileName === sourceFile.fileName) continue;
      const set = importedBy.get(declaration.fileName) ?? new Set();
      set.add(sourceFile.fileName);
      importedBy.set(declaration.fileName, set);
    }
  }
  const importers = new Map<string, Set<string>>();
  for (const target of changed) {
    const queue = [target];
    const seen = new Set([target]);
    while (queue.length > 0) {
      const current = queue.shift();
      if (current === undefined) break;
      for (const importer of importedBy.get(current) ?? []) {
        if (seen.has(importer)) continue;
        seen.add(importer);
        queue.push(importer);
        if (importer === target) continue;
        const reaches = importers.get(importer) ?? new Set();
        reaches.add(target);
        importers.set(importer, reaches);
      }
    }
  }
  return importers;
}

/**
 * Type-checks rewrites in memory before anything is written. The changed files and every file that
 * imports them, directly or through re-exports, are checked before and after; an error that was not there before is the rewrite's. A file with
 * such an error loses its rewrite, and so does every file in its group (a function made async and
 * its callers' awaits stand or fall together), until what is left checks clean. Errors the project
 * already had are never blamed on the rewrite.
 *
 * @example
 * const { accepted, rejected } = verifyChanges(project, program, changes, groups, relative);
 */
export function verifyChanges(
  project: Project,
  program: ts.Program,
  changes: ReadonlyMap<string, PlannedChange>,
  groups: readonly (readonly string[])[],
  relative: (file: string) => string,
  onProgress?: (checked: number, total: number) => void,
): VerifyResult {
  const pending = new Set(changes.keys());
  const importers = importersOf(program, pending);
  const checked = [...new Set([...pending, ...importers.keys()])];
  const baseline = new Map<string, Map<string, number>>();
  let done = 0;
  const total = checked.length * 2;
  for (const file of checked) {
    const sourceFile = program.getSourceFile(file);
    const counts = new Map<string, number>();
    for (const diagnostic of sourceFile === undefined ? [] : diagnosticsOf(program, sourceFile)) counts.set(keyOf(diagnostic), (counts.get(keyOf(diagnostic)) ?? 0) + 1);
    baseline.set(file, counts);
    onProgress?.((done += 1), total);
  }
  for (const [file, change] of changes) project.createSourceFile(file, change.after, { overwrite: true });

  const rejected = new Map<string, RejectedChange>();
  const groupOf = new Map<string, readonly string[]>();
  for (const group of groups) for (const file of group) groupOf.set(file, group);
  for (let round = 0; round < 10; round += 1) {
    const next = compilerProgram(project);
    const failing = new Map<string, TypeError[]>();
    for (const file of checked) {
      const sourceFile = next.getSourceFile(file);
      if (sourceFile === undefined) continue;
      const remaining = new Map(baseline.get(file));
      const introduced: TypeError[] = [];
      for (const diagnostic of diagnosticsOf(next, sourceFile)) {
        const key = keyOf(diagnostic);
        const count = remaining.get(key) ?? 0;
        if (count > 0) remaining.set(key, count - 1);
        else introduced.push(toTypeError(diagnostic, relative));
      }
      if (round === 0) onProgress?.((done += 1), total);
      if (introduced.length === 0) continue;
      // An importer's new error is the fault of the changed files it reaches (its own rewrite too, if any).
      for (const owner of [...(pending.has(file) ? [file] : []), ...[...(importers.get(file) ?? [])].filter((target) => pending.has(target) && !pending.has(file))]) {
        failing.set(owner, [...(failing.get(owner) ?? []), ...introduced]);
      }
    }
    if (failing.size === 0) break;
    for (const [file, errors] of failing) {
      for (const member of groupOf.get(file) ?? [file]) {
        if (!pending.has(member)) continue;
        pending.delete(member);
        rejected.set(member, member === file || failing.has(member) ? { errors: failing.get(member) ?? errors } : { errors: [], dependsOn: relative(file) });
        const change = changes.get(member);
        if (change !== undefined) project.createSourceFile(member, change.before, { overwrite: true });
      }
    }
  }
  return { accepted: pending, rejected };
}
