import type ts from 'typescript';

import { ImportSession } from '@loopguard/core/analysis';

import { FileEdits } from './file-edits.js';

/** A file's planned edits and the import changes they need. */
export interface FileEditEntry {
  readonly edits: FileEdits;
  readonly session: ImportSession;
}

/**
 * The edits a transform plans, per source file, each with its import session. Imports become text
 * edits only once every rewrite is planned (`finish`), since a later rewrite may still add or drop
 * a binding.
 *
 * @example
 * const files = new EditsByFile();
 * files.of(call.getSourceFile()).edits.replace(start, end, text);
 * const edits = files.finish();
 */
export class EditsByFile {
  readonly #files = new Map<ts.SourceFile, FileEditEntry>();

  /** The entry of a file, created on first use. */
  of(sourceFile: ts.SourceFile): FileEditEntry {
    let entry = this.#files.get(sourceFile);
    if (entry === undefined) {
      entry = { edits: new FileEdits(sourceFile.text), session: new ImportSession(sourceFile) };
      this.#files.set(sourceFile, entry);
    }
    return entry;
  }

  /** The files with an entry, in the order they were first used. */
  files(): ts.SourceFile[] {
    return [...this.#files.keys()];
  }

  /**
   * Turns each file's import changes into edits (after `beforeImports`, which may still drop
   * bindings) and returns the edits per file.
   */
  finish(beforeImports?: (sourceFile: ts.SourceFile, entry: FileEditEntry) => void): Map<ts.SourceFile, FileEdits> {
    const result = new Map<ts.SourceFile, FileEdits>();
    for (const [sourceFile, entry] of this.#files) {
      beforeImports?.(sourceFile, entry);
      for (const edit of entry.session.edits()) {
        if (edit.start === edit.end) entry.edits.insert(edit.start, edit.text);
        else entry.edits.replace(edit.start, edit.end, edit.text);
      }
      result.set(sourceFile, entry.edits);
    }
    return result;
  }
}
