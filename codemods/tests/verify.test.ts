import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';

import { compilerProgram } from '../src/engine/compiler-program.js';
import { FileEdits } from '../src/engine/file-edits.js';
import { verifyChanges, type SeparableChange } from '../src/engine/verify.js';

// The engine's type-check, on an in-memory project: a file whose rewrites stand alone keeps those
// that check clean and loses only the others.

interface Planned {
  readonly file: string;
  readonly edits: FileEdits;
}

/** A project of `files`, and a plan: each `[file, search, replace]` a part of that file's edits. */
function setUp(files: Record<string, string>, parts: readonly (readonly [string, string, string])[]) {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } });
  for (const [name, text] of Object.entries(files)) project.createSourceFile(name, text);
  const program = compilerProgram(project);
  const planned = new Map<string, Planned>();
  for (const [file, search, replace] of parts) {
    const text = files[file] ?? '';
    const entry = planned.get(file) ?? { file, edits: new FileEdits(text) };
    planned.set(file, entry);
    entry.edits.startPart();
    const start = text.indexOf(search);
    entry.edits.replace(start, start + search.length, replace);
  }
  const changes = new Map([...planned.values()].map(({ file, edits }) => [file, { before: files[file] ?? '', after: edits.apply() }]));
  const separable = new Map<string, SeparableChange>([...planned.values()].map(({ file, edits }) => [file, { parts: edits.parts, render: (keep: ReadonlySet<number>) => edits.apply(keep) }]));
  const groups = [...planned.keys()].map((file) => [file]);
  return { project, program, changes, separable, groups };
}

/** The errors the project has now, as `file TScode`. */
function errorsNow(project: Project): string[] {
  const program = compilerProgram(project);
  return program
    .getSourceFiles()
    .filter((sourceFile) => !sourceFile.isDeclarationFile)
    .flatMap((sourceFile) => program.getSemanticDiagnostics(sourceFile).map((diagnostic) => `${sourceFile.fileName} TS${String(diagnostic.code)}`));
}

const relative = (file: string): string => file.slice(1);

describe('verifyChanges with separable rewrites', () => {
  const files = { '/src/totals.ts': 'export function one(): number {\n  return 1;\n}\n\nexport function two(): number {\n  return 2;\n}\n' };

  it('keeps the parts that check clean and drops the one that adds a type error, with its errors', () => {
    const { project, program, changes, separable, groups } = setUp(files, [
      ['/src/totals.ts', 'return 1;', 'return 10;'],
      ['/src/totals.ts', 'return 2;', "return 'two';"],
    ]);
    const result = verifyChanges(project, program, changes, groups, relative, undefined, separable);
    expect([...result.accepted]).toEqual(['/src/totals.ts']);
    expect(result.rejected.size).toBe(0);
    const partial = result.partial.get('/src/totals.ts');
    expect(partial?.after).toBe('export function one(): number {\n  return 10;\n}\n\nexport function two(): number {\n  return 2;\n}\n');
    expect(partial?.dropped.map(({ part, errors }) => [part, errors.map((error) => `${error.file}:${String(error.line)} TS${String(error.code)}`)])).toEqual([[1, ['src/totals.ts:6 TS2322']]]);
    expect(errorsNow(project)).toEqual([]);
  });

  it('drops a part that breaks a file importing it, blaming the importer’s error on it', () => {
    const { project, program, changes, separable, groups } = setUp(
      { ...files, '/src/report.ts': "import { one } from './totals.js';\n\nexport const total: number = one() + 1;\n" },
      [
        ['/src/totals.ts', 'one(): number {\n  return 1;', "one(): string {\n  return 'one';"],
        ['/src/totals.ts', 'return 2;', 'return 20;'],
      ],
    );
    const result = verifyChanges(project, program, changes, groups, relative, undefined, separable);
    const partial = result.partial.get('/src/totals.ts');
    expect(partial?.after).toContain('return 20;');
    expect(partial?.after).toContain('one(): number {\n  return 1;');
    expect(partial?.dropped.map(({ part, errors }) => [part, errors.map((error) => `${error.file} TS${String(error.code)}`)])).toEqual([[0, ['src/report.ts TS2322']]]);
    expect(errorsNow(project)).toEqual([]);
  });

  it('rejects the file when every part adds errors, leaving it as it was', () => {
    const { project, program, changes, separable, groups } = setUp(files, [
      ['/src/totals.ts', 'return 1;', "return 'one';"],
      ['/src/totals.ts', 'return 2;', "return 'two';"],
    ]);
    const result = verifyChanges(project, program, changes, groups, relative, undefined, separable);
    expect(result.accepted.size).toBe(0);
    expect(result.partial.size).toBe(0);
    expect(result.rejected.get('/src/totals.ts')?.errors.map((error) => error.code)).toEqual([2322, 2322]);
    expect(project.getSourceFileOrThrow('/src/totals.ts').getFullText()).toBe(files['/src/totals.ts']);
  });

  it('without separable parts, a file keeps all of its rewrites or none', () => {
    const { project, program, changes, groups } = setUp(files, [
      ['/src/totals.ts', 'return 1;', 'return 10;'],
      ['/src/totals.ts', 'return 2;', "return 'two';"],
    ]);
    const result = verifyChanges(project, program, changes, groups, relative);
    expect(result.accepted.size).toBe(0);
    expect(result.rejected.has('/src/totals.ts')).toBe(true);
    expect(errorsNow(project)).toEqual([]);
  });

  it('checks what the files keep as a whole: a part that relied on one dropped elsewhere goes too', () => {
    // `use.ts` first tries its import of `max` while `limits.ts` tries the part adding `max`. That
    // part has an error of its own and is dropped, so the part of `use.ts` that passed beside it no
    // longer holds: the check of the whole takes `use.ts` back to as it was.
    const { project, program, changes, separable, groups } = setUp(
      {
        '/src/limits.ts': 'export const limit: number = 1;\nexport const other: number = 2;\n',
        '/src/use.ts': "import { limit } from './limits.js';\n\nexport const doubled: number = limit * 2;\nexport const name: string = 'x';\n",
      },
      [
        ['/src/limits.ts', 'limit: number = 1;', "limit: number = 1;\nexport const max: number = 'ten';"],
        ['/src/limits.ts', 'other: number = 2', 'other: number = 3'],
        ['/src/use.ts', "import { limit } from './limits.js';\n\nexport const doubled: number = limit * 2;", "import { limit, max } from './limits.js';\n\nexport const doubled: number = limit * max;"],
        ['/src/use.ts', "name: string = 'x'", 'name: string = 1'],
      ],
    );
    const result = verifyChanges(project, program, changes, groups, relative, undefined, separable);
    expect([...result.accepted]).toEqual(['/src/limits.ts']);
    expect(result.partial.get('/src/limits.ts')?.after).toBe('export const limit: number = 1;\nexport const other: number = 3;\n');
    expect(result.rejected.get('/src/use.ts')?.errors.map((error) => error.code)).toEqual([2305]);
    expect(project.getSourceFileOrThrow('/src/use.ts').getFullText()).toBe(changes.get('/src/use.ts')?.before);
    expect(errorsNow(project)).toEqual([]);
  });
});
