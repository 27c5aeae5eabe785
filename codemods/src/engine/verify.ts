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

/** A file whose rewrites stand alone: any of its parts can be left out (`FileEdits.startPart`). */
export interface SeparableChange {
  readonly parts: readonly number[];
  /** The file's text with only these parts applied. */
  render(keep: ReadonlySet<number>): string;
}

/** A file that keeps some of its rewrites: the text with them, and the parts left out with their errors. */
export interface PartialChange {
  readonly after: string;
  readonly dropped: readonly { readonly part: number; readonly errors: readonly TypeError[] }[];
}

/** The outcome of checking a set of rewrites: files that keep their rewrite, and those that lost it and why. */
export interface VerifyResult {
  readonly accepted: ReadonlySet<string>;
  /** Rejected file → the errors its rewrite introduced, or the file whose errors took it down with them. */
  readonly rejected: ReadonlyMap<string, RejectedChange>;
  /** Accepted files that keep only some of their rewrites (the others would not type-check). */
  readonly partial: ReadonlyMap<string, PartialChange>;
}

/**
 * Type-checks rewrites in memory before anything is written. The changed files and every file that
 * imports them, directly or through re-exports, are checked before and after; an error that was not
 * there before is the rewrite's. A file with such an error loses its rewrite, and so does every file
 * in its group (a function made async and its callers' awaits stand or fall together), until what is
 * left checks clean. Errors the project already had are never blamed on the rewrite.
 *
 * A file that stands alone and whose rewrites are separable (`separable`) is then given its
 * rewrites back one at a time, in order: each is kept when the file and its importers still check
 * clean with it, so one rewrite that would not type-check costs only itself. Every such file tries
 * its next rewrite in the same check; an error more than one of them could have caused sends those
 * back to be tried apart. The result is checked once more as a whole.
 *
 * @example
 * const { accepted, rejected, partial } = verifyChanges(project, program, changes, groups, relative);
 */
export function verifyChanges(
  project: Project,
  program: ts.Program,
  changes: ReadonlyMap<string, PlannedChange>,
  groups: readonly (readonly string[])[],
  relative: (file: string) => string,
  onProgress?: (checked: number, total: number) => void,
  separable: ReadonlyMap<string, SeparableChange> = new Map(),
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

  /** The errors the current texts introduce in `files`, by file. */
  const introducedIn = (files: readonly string[], first: boolean): Map<string, TypeError[]> => {
    const next = compilerProgram(project);
    const introducedByFile = new Map<string, TypeError[]>();
    for (const file of files) {
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
      if (first) onProgress?.((done += 1), total);
      if (introduced.length > 0) introducedByFile.set(file, introduced);
    }
    return introducedByFile;
  };

  const rejected = new Map<string, RejectedChange>();
  const groupOf = new Map<string, readonly string[]>();
  for (const group of groups) for (const file of group) groupOf.set(file, group);
  const settle = (first: boolean): void => {
    for (let round = 0; round < 10; round += 1) {
      // A file's own errors are its rewrite's; an importer's, those of every changed file it reaches.
      const failing = new Map<string, TypeError[]>();
      for (const [file, introduced] of introducedIn(checked, first && round === 0)) {
        for (const owner of pending.has(file) ? [file] : [...(importers.get(file) ?? [])].filter((target) => pending.has(target))) {
          failing.set(owner, [...(failing.get(owner) ?? []), ...introduced]);
        }
      }
      if (failing.size === 0) return;
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
  };
  settle(true);

  // Files that lost their rewrite for their own errors, standing alone, with rewrites to try one by one.
  const salvage = [...rejected].flatMap(([file, why]) => {
    const parts = separable.get(file);
    if (why.dependsOn !== undefined || (groupOf.get(file) ?? [file]).length !== 1 || parts === undefined || parts.parts.length < 2) return [];
    // What a part of this file can change: the file and those importing it.
    const reach = new Set([file, ...[...importers].filter(([, targets]) => targets.has(file)).map(([importer]) => importer)]);
    return [{ file, change: parts, reach, untried: [...parts.parts], kept: new Set<number>(), dropped: [] as { part: number; errors: TypeError[] }[] }];
  });
  const partial = new Map<string, PartialChange>();
  if (salvage.length === 0) return { accepted: pending, rejected, partial };
  const current = (entry: (typeof salvage)[number]): string => (entry.kept.size === 0 ? (changes.get(entry.file)?.before ?? '') : entry.change.render(entry.kept));
  // Every file tries its next part at once, and an error is blamed on the one part that could reach
  // it. An error that more than one part could have caused (an importer they share, an app.ts
  // importing every router) is blamed on none: those parts are tried again apart from the others
  // ("careful"), so a good part is never dropped for a bad one, and files that share an importer
  // still take their turns together as long as it checks clean.
  const careful = new Set<(typeof salvage)[number]>();
  for (;;) {
    const busy = new Set<string>();
    const trying: { entry: (typeof salvage)[number]; part: number }[] = [];
    const take = (entry: (typeof salvage)[number]): void => {
      const part = entry.untried.shift();
      if (part === undefined) return;
      for (const file of entry.reach) busy.add(file);
      trying.push({ entry, part });
    };
    // Careful parts first, each with nothing else that could reach its files.
    for (const entry of salvage) if (careful.has(entry) && entry.untried.length > 0 && ![...entry.reach].some((file) => busy.has(file))) take(entry);
    const apart = new Set(busy);
    for (const entry of salvage) if (!careful.has(entry) && entry.untried.length > 0 && ![...entry.reach].some((file) => apart.has(file))) take(entry);
    if (trying.length === 0) break;
    for (const { entry, part } of trying) project.createSourceFile(entry.file, entry.change.render(new Set([...entry.kept, part])), { overwrite: true });
    const introduced = introducedIn([...busy], false);
    for (const { entry, part } of trying) {
      careful.delete(entry);
      let shared = false;
      const errors: TypeError[] = [];
      for (const file of entry.reach) {
        const found = introduced.get(file);
        if (found === undefined) continue;
        if (trying.filter((other) => other.entry.reach.has(file)).length === 1) errors.push(...found);
        else shared = true;
      }
      if (errors.length === 0 && !shared) {
        entry.kept.add(part);
        continue;
      }
      if (errors.length > 0) entry.dropped.push({ part, errors });
      else {
        // Not this part's fault for certain: tried again apart, next round.
        entry.untried.unshift(part);
        careful.add(entry);
      }
      // Back to what checked clean, before anything else is tried beside it.
      project.createSourceFile(entry.file, current(entry), { overwrite: true });
    }
  }
  for (const entry of salvage) {
    if (entry.kept.size === 0) continue;
    const after = current(entry);
    rejected.delete(entry.file);
    pending.add(entry.file);
    partial.set(entry.file, { after, dropped: entry.dropped });
  }
  // What was kept checked clean part by part; checked whole once more, a file failing now loses all.
  settle(false);
  for (const file of partial.keys()) if (!pending.has(file)) partial.delete(file);
  return { accepted: pending, rejected, partial };
}
