import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

/** Virtual files live here, inside the package, so real `node_modules` resolve from them. */
export const virtualRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '__virtual__');

/**
 * Builds a typed program from in-memory files (paths relative to `virtualRoot`), with the real
 * declaration packages installed in the repository.
 */
export function createProgram(files: Readonly<Record<string, string>>): { program: ts.Program; file: (name: string) => ts.SourceFile } {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    esModuleInterop: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    allowJs: true,
    checkJs: false,
    types: ['node'],
  };
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(virtualRoot, name), text]));
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  host.getSourceFile = (name, version, onError, shouldCreate) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile(name, version, onError, shouldCreate) : ts.createSourceFile(name, text, version, true);
  };
  host.getCurrentDirectory = () => virtualRoot;
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => name === virtualRoot || virtualRoot.startsWith(`${name}/`) || [...virtual.keys()].some((file) => file.startsWith(`${name}/`)) || (directoryExists?.(name) ?? false);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return {
    program,
    file(name) {
      const source = program.getSourceFile(join(virtualRoot, name));
      if (source === undefined) throw new Error(`no virtual file ${name}`);
      return source;
    },
  };
}

/** Parses one file without a program (the untyped path). */
export function parseFile(name: string, text: string): ts.SourceFile {
  return ts.createSourceFile(join(virtualRoot, name), text, ts.ScriptTarget.Latest, true);
}

/** The shortest node of a kind whose text starts with `prefix` (so `a.b()` is found inside `a.b().c()`). */
export function findNode<T extends ts.Node>(root: ts.Node, guard: (node: ts.Node) => node is T, prefix: string): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (guard(node) && node.getText().startsWith(prefix) && (found === undefined || node.getWidth() < found.getWidth())) found = node;
    ts.forEachChild(node, visit);
  };
  visit(root);
  if (found === undefined) throw new Error(`no node starting with ${prefix}`);
  return found;
}
