import { ESLintUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import ts from 'typescript';

/** The TypeScript view of the file being linted: the program's source file when typed, else a fresh parse. */
export interface TypeScriptView {
  readonly sourceFile: ts.SourceFile;
  readonly program: ts.Program | undefined;
}

/** What loopguard's rules read of typescript-eslint's parser services; other parsers provide none of it. */
export interface ParserServicesLike {
  readonly program?: ts.Program | null;
  readonly esTreeNodeToTSNodeMap?: { get(node: TSESTree.Node): ts.Node | undefined };
  readonly tsNodeToESTreeNodeMap?: { get(node: ts.Node): TSESTree.Node | undefined };
}

/**
 * Gets the TypeScript source file for the linted file. With typescript-eslint's parser and a project
 * (`projectService`), it comes from the program, so the type checker applies. Otherwise (no project,
 * or another parser such as espree for `.js` files) the text is parsed with TypeScript alone: the
 * same analysis then runs without types.
 */
export function typeScriptView(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): TypeScriptView {
  const services = context.sourceCode.parserServices as ParserServicesLike | undefined;
  const program = services?.program ?? undefined;
  // typescript-eslint converts the program's own source file when it has a program: the node map
  // hands it over without resolving the file name again (which costs more than some rules' work).
  const fromParser = services?.esTreeNodeToTSNodeMap?.get(context.sourceCode.ast);
  if (fromParser !== undefined && ts.isSourceFile(fromParser)) return { sourceFile: fromParser, program: program?.getSourceFileByPath((fromParser as ts.SourceFile & { path: ts.Path }).path) === fromParser ? program : undefined };
  if (program !== undefined) {
    const sourceFile = program.getSourceFile(context.filename);
    if (sourceFile !== undefined) return { sourceFile, program };
  }
  return { sourceFile: ts.createSourceFile(context.filename, context.sourceCode.text, ts.ScriptTarget.Latest, true, scriptKind(context.filename)), program: undefined };
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** An ESLint location for a TypeScript node's range. */
export function locationOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, start: number, end: number): TSESTree.SourceLocation {
  return { start: context.sourceCode.getLocFromIndex(start), end: context.sourceCode.getLocFromIndex(end) };
}

/**
 * The program and source file of a typed lint, or undefined when there is no program (plain
 * JavaScript linted by espree, or no `projectService`): the promise rules, which need types to know
 * what a promise is, then report nothing instead of failing the run.
 *
 * @example
 * const typed = typedProgram(context);
 * if (typed === undefined) return {};
 */
export function typedProgram(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): { program: ts.Program; sourceFile: ts.SourceFile } | undefined {
  const available = context.sourceCode.parserServices as { program?: ts.Program | null } | undefined;
  if (available?.program === undefined || available.program === null) return undefined;
  const program = ESLintUtils.getParserServices(context).program;
  const sourceFile = program.getSourceFile(context.filename);
  return sourceFile === undefined ? undefined : { program, sourceFile };
}
