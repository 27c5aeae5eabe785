import { Project, ts } from 'ts-morph';
import { describe, expect, it, vi } from 'vitest';

import { compilerProgram } from '../src/engine/compiler-program.js';
import { FileEdits } from '../src/engine/file-edits.js';
import { verifyChanges, type SeparableChange } from '../src/engine/verify.js';

// The engine's type-check, on an in-memory project: a file whose rewrites stand alone keeps those
// that check clean and loses only the others.

const relative = (file: string): string => file.slice(1);

interface Planned {
  readonly file: string;
  readonly edits: FileEdits;
}

/**
 * Checks a plan on a project of `files`: each `[file, search, replace]` of `parts` is a part of that
 * file's edits, each file its own group. The parts are separable unless `separable` is false.
 */
function verifyParts(files: Record<string, string>, parts: readonly (readonly [string, string, string])[], { separable = true } = {}) {
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
  const separableChanges = new Map<string, SeparableChange>(
    separable ? [...planned.values()].map(({ file, edits }) => [file, { parts: edits.parts, render: (keep: ReadonlySet<number>) => edits.apply(keep) }]) : [],
  );
  const groups = [...planned.keys()].map((file) => [file]);
  // Each type-check of the engine asks the project for a new program.
  const checks = vi.spyOn(project, 'getProgram');
  const result = verifyChanges(project, program, changes, groups, relative, undefined, separableChanges);
  return { project, changes, result, checks: checks.mock.calls.length };
}

/** The errors the project has now, as `file TScode`. */
function errorsNow(project: Project): string[] {
  const program = compilerProgram(project);
  return program
    .getSourceFiles()
    .filter((sourceFile) => !sourceFile.isDeclarationFile)
    .flatMap((sourceFile) => program.getSemanticDiagnostics(sourceFile).map((diagnostic) => `${sourceFile.fileName} TS${String(diagnostic.code)}`));
}

describe('verifyChanges with separable rewrites', () => {
  const files = { '/src/totals.ts': 'export function one(): number {\n  return 1;\n}\n\nexport function two(): number {\n  return 2;\n}\n' };

  it('keeps the parts that check clean and drops the one that adds a type error, with its errors', () => {
    const { project, result } = verifyParts(files, [
      ['/src/totals.ts', 'return 1;', 'return 10;'],
      ['/src/totals.ts', 'return 2;', "return 'two';"],
    ]);
    expect([...result.accepted]).toEqual(['/src/totals.ts']);
    expect(result.rejected.size).toBe(0);
    const partial = result.partial.get('/src/totals.ts');
    expect(partial?.after).toBe('export function one(): number {\n  return 10;\n}\n\nexport function two(): number {\n  return 2;\n}\n');
    expect(partial?.dropped.map(({ part, errors }) => [part, errors.map((error) => `${error.file}:${String(error.line)} TS${String(error.code)}`)])).toEqual([[1, ['src/totals.ts:6 TS2322']]]);
    expect(errorsNow(project)).toEqual([]);
  });

  it('drops a part that breaks a file importing it, blaming the importer’s error on it', () => {
    const { project, result } = verifyParts(
      { ...files, '/src/report.ts': "import { one } from './totals.js';\n\nexport const total: number = one() + 1;\n" },
      [
        ['/src/totals.ts', 'one(): number {\n  return 1;', "one(): string {\n  return 'one';"],
        ['/src/totals.ts', 'return 2;', 'return 20;'],
      ],
    );
    const partial = result.partial.get('/src/totals.ts');
    expect(partial?.after).toContain('return 20;');
    expect(partial?.after).toContain('one(): number {\n  return 1;');
    expect(partial?.dropped.map(({ part, errors }) => [part, errors.map((error) => `${error.file} TS${String(error.code)}`)])).toEqual([[0, ['src/report.ts TS2322']]]);
    expect(errorsNow(project)).toEqual([]);
  });

  it('rejects the file when every part adds errors, leaving it as it was', () => {
    const { project, result } = verifyParts(files, [
      ['/src/totals.ts', 'return 1;', "return 'one';"],
      ['/src/totals.ts', 'return 2;', "return 'two';"],
    ]);
    expect(result.accepted.size).toBe(0);
    expect(result.partial.size).toBe(0);
    expect(result.rejected.get('/src/totals.ts')?.errors.map((error) => error.code)).toEqual([2322, 2322]);
    expect(project.getSourceFileOrThrow('/src/totals.ts').getFullText()).toBe(files['/src/totals.ts']);
  });

  it('without separable parts, a file keeps all of its rewrites or none', () => {
    const { project, result } = verifyParts(files, [
      ['/src/totals.ts', 'return 1;', 'return 10;'],
      ['/src/totals.ts', 'return 2;', "return 'two';"],
    ], { separable: false });
    expect(result.accepted.size).toBe(0);
    expect(result.rejected.has('/src/totals.ts')).toBe(true);
    expect(errorsNow(project)).toEqual([]);
  });

  it('checks what the files keep as a whole: a part that relied on one dropped elsewhere goes too', () => {
    // Neither file imports the other, so their parts are tried side by side. The part of
    // `flags.ts` declaring the global `flag` has an error of its own and is dropped; the part of
    // `use.ts` reading `flag` passed beside it but no longer holds, and the check of the whole
    // takes `use.ts` back to as it was.
    const { project, changes, result } = verifyParts(
      {
        '/src/flags.ts': 'export const a: number = 1;\nexport const other: number = 2;\n',
        '/src/use.ts': "export const b: string = 'b';\nexport const name: string = 'x';\n",
      },
      [
        ['/src/flags.ts', 'a: number = 1;', "a: number = 'one';\ndeclare global {\n  var flag: string;\n}"],
        ['/src/flags.ts', 'other: number = 2', 'other: number = 3'],
        ['/src/use.ts', "b: string = 'b'", 'b: string = flag'],
        ['/src/use.ts', "name: string = 'x'", 'name: string = 1'],
      ],
    );
    expect([...result.accepted]).toEqual(['/src/flags.ts']);
    expect(result.partial.get('/src/flags.ts')?.after).toBe('export const a: number = 1;\nexport const other: number = 3;\n');
    expect(result.rejected.get('/src/use.ts')?.errors.map((error) => error.code)).toEqual([2304]);
    expect(project.getSourceFileOrThrow('/src/use.ts').getFullText()).toBe(changes.get('/src/use.ts')?.before);
    expect(errorsNow(project)).toEqual([]);
  });

  it('tries parts that could break the same importer one at a time, so a good part is not blamed for a bad one', () => {
    // `report.ts` imports both files. `prices.ts`'s first part breaks it; `taxes.ts`'s does not.
    const { project, result } = verifyParts(
      {
        '/src/prices.ts': 'export const price: number = 1;\nexport const list: number = 2;\n',
        '/src/taxes.ts': 'export const tax: number = 1;\nexport const rate: number = 2;\n',
        '/src/report.ts': "import { price } from './prices.js';\nimport { tax } from './taxes.js';\n\nexport const total: number = price + tax;\n",
      },
      [
        ['/src/prices.ts', 'price: number = 1', "price: string = 'one'"],
        ['/src/prices.ts', 'list: number = 2', 'list: number = 20'],
        ['/src/taxes.ts', 'tax: number = 1', 'tax: number = 10'],
        ['/src/taxes.ts', 'rate: number = 2', "rate: number = 'two'"],
      ],
    );
    expect(result.partial.get('/src/prices.ts')?.after).toBe('export const price: number = 1;\nexport const list: number = 20;\n');
    expect(result.partial.get('/src/prices.ts')?.dropped.map(({ part, errors }) => [part, errors.map((error) => `${error.file} TS${String(error.code)}`)])).toEqual([[0, ['src/report.ts TS2322']]]);
    expect(result.partial.get('/src/taxes.ts')?.after).toBe('export const tax: number = 10;\nexport const rate: number = 2;\n');
    expect(errorsNow(project)).toEqual([]);
  });

  it('tries the parts of files sharing an importer together while it checks clean, blaming each file its own errors', () => {
    // `app.ts` imports every router, as an Express app does; each router has a good part and a bad one.
    const routers = ['users', 'orders', 'teams'];
    const files: Record<string, string> = Object.fromEntries(routers.map((name) => [`/src/${name}.ts`, `export const ${name}Limit: number = 1;\nexport const ${name}Path: string = '/${name}';\n`]));
    files['/src/app.ts'] = `${routers.map((name) => `import { ${name}Limit } from './${name}.js';`).join('\n')}\n\nexport const limits: number[] = [${routers.map((name) => `${name}Limit`).join(', ')}];\n`;
    const { project, result, checks } = verifyParts(
      files,
      routers.flatMap((name) => [
        [`/src/${name}.ts`, `${name}Limit: number = 1`, `${name}Limit: number = 2`],
        [`/src/${name}.ts`, `${name}Path: string = '/${name}'`, `${name}Path: string = 404`],
      ] as const),
    );
    for (const name of routers) {
      expect(result.partial.get(`/src/${name}.ts`)?.after).toBe(`export const ${name}Limit: number = 2;\nexport const ${name}Path: string = '/${name}';\n`);
      expect(result.partial.get(`/src/${name}.ts`)?.dropped.map(({ part, errors }) => [part, errors.map((error) => error.file)])).toEqual([[1, [`src/${name}.ts`]]]);
    }
    // Two checks to reject the files, one per part for all three routers together (not one per
    // part per router), and the check of the whole.
    expect(checks).toBe(5);
    expect(errorsNow(project)).toEqual([]);
  });

  it('blames an error in a salvaged file that imports another on the part that caused it', () => {
    // `use.ts` imports `limits.ts`; the first part of `limits.ts` breaks `use.ts`, whose own parts are fine.
    const { project, result } = verifyParts(
      {
        '/src/limits.ts': 'export const limit: number = 1;\nexport const other: number = 2;\nexport const spare: number = 3;\n',
        '/src/use.ts': "import { limit } from './limits.js';\n\nexport const doubled: number = limit * 2;\nexport const name: string = 'x';\nexport const size: number = 1;\n",
      },
      [
        ['/src/limits.ts', 'limit: number = 1', "limit: string = 'one'"],
        ['/src/limits.ts', 'other: number = 2', 'other: number = 20'],
        ['/src/limits.ts', 'spare: number = 3', "spare: number = 'three'"],
        ['/src/use.ts', "name: string = 'x'", "name: string = 'y'"],
        ['/src/use.ts', 'size: number = 1', "size: number = 'one'"],
      ],
    );
    expect(result.partial.get('/src/limits.ts')?.dropped.map(({ part }) => part)).toEqual([0, 2]);
    expect(result.partial.get('/src/limits.ts')?.after).toBe('export const limit: number = 1;\nexport const other: number = 20;\nexport const spare: number = 3;\n');
    expect(result.partial.get('/src/use.ts')?.after).toContain("name: string = 'y'");
    expect(result.partial.get('/src/use.ts')?.dropped.map(({ part }) => part)).toEqual([1]);
    expect(errorsNow(project)).toEqual([]);
  });
});
