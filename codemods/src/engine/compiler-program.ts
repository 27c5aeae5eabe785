import { ts as morphTs, type Project } from 'ts-morph';
import ts from 'typescript';

import { LoopguardCliError } from '../errors.js';

/**
 * The project's `ts.Program`, typed as the `typescript` package's. ts-morph runs the TypeScript it
 * bundles; the analyses in `@loopguard/core` read its nodes with the `typescript` package, which is
 * sound only when both are the same minor version (same syntax kinds, same node shapes), so that is
 * checked here.
 *
 * @example
 * const program = compilerProgram(project);
 */
export function compilerProgram(project: Project): ts.Program {
  // Declared as `string`: each package's declarations type its own version as a literal.
  const bundled: string = morphTs.versionMajorMinor;
  const installed: string = ts.versionMajorMinor;
  if (bundled !== installed) {
    throw new LoopguardCliError(
      'run the codemod',
      `ts-morph bundles TypeScript ${morphTs.version} but TypeScript ${ts.version} is installed beside it`,
      `Install typescript@~${morphTs.versionMajorMinor} for @loopguard/codemods`,
    );
  }
  // ts-morph declares its bundled TypeScript's types, a second `ts` namespace to the type checker.
  const compilerObject: unknown = project.getProgram().compilerObject;
  return compilerObject as ts.Program;
}
