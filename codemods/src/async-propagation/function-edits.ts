import ts from 'typescript';

import { ImportSession, needsParentheses, type FunctionNode } from '@loopguard/core/analysis';
import type { FrameworkDefinition, ParamRole } from '@loopguard/core/registry';

import type { FileEdits } from '../engine/file-edits.js';

/** Where `async` goes: before `function`, before a method's name, or before an arrow's parameters. */
function asyncPosition(fn: FunctionNode, sourceFile: ts.SourceFile): number {
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    const keyword = fn.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
    return (keyword ?? fn).getStart(sourceFile);
  }
  if (ts.isMethodDeclaration(fn)) return fn.name.getStart(sourceFile);
  return fn.getStart(sourceFile);
}

/**
 * Makes a function async: the modifier, and `Promise<T>` around an explicit return type.
 *
 * @example
 * makeAsync(fn, sourceFile, edits); // `function load(): string` → `async function load(): Promise<string>`
 */
export function makeAsync(fn: FunctionNode, sourceFile: ts.SourceFile, edits: FileEdits): void {
  edits.insert(asyncPosition(fn, sourceFile), 'async ');
  const type = fn.type;
  if (type === undefined) return;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise') return;
  edits.wrap(type.getStart(sourceFile), type.getEnd(), (inner) => `Promise<${inner}>`);
}

/** Adds `await` before a call, with parentheses where its value is used by a member access or call. */
export function awaitCall(call: ts.CallExpression, sourceFile: ts.SourceFile, edits: FileEdits): void {
  const parenthesise = needsParentheses(call);
  const guard = parenthesise ? asiGuard(call, sourceFile) : '';
  edits.wrap(call.getStart(sourceFile), call.getEnd(), (inner) => (parenthesise ? `${guard}(await ${inner})` : `await ${inner}`));
}

/**
 * `;` when text starting with `(` is about to open a statement in a file written without
 * semicolons: the line would otherwise continue the previous statement as a call.
 */
export function asiGuard(node: ts.Node, sourceFile: ts.SourceFile): string {
  const start = node.getStart(sourceFile);
  let statement: ts.Node = node;
  while (!ts.isStatement(statement) && statement.parent.getStart(sourceFile) === start) statement = statement.parent;
  if (!ts.isStatement(statement)) return '';
  const container = statement.parent;
  const siblings: readonly ts.Node[] = ts.isBlock(container) || ts.isSourceFile(container) || ts.isModuleBlock(container) || ts.isCaseClause(container) || ts.isDefaultClause(container) ? container.statements : [];
  const previous = siblings[siblings.indexOf(statement) - 1];
  if (previous === undefined) return '';
  const text = previous.getText(sourceFile).trimEnd();
  return text.endsWith(';') || text.endsWith('}') ? '' : ';';
}

const placeholderNames: Record<ParamRole, string> = {
  error: '_error',
  request: '_req',
  response: '_res',
  next: 'next',
  reply: '_reply',
  context: '_ctx',
  'route-context': '_context',
  event: '_event',
  'lambda-context': '_context',
  callback: '_callback',
};

/**
 * The parameter roles of a handler: an error handler's (`(err, req, res, next)`) when it is
 * registered as one or, since Express tells them apart by arity, when it declares as many parameters.
 */
function parameterRoles(fn: FunctionNode, framework: FrameworkDefinition, role: string): readonly ParamRole[] {
  const errorRoles = framework.errorHandlerParams;
  if (errorRoles !== undefined && (role === 'error-handler' || fn.parameters.length === errorRoles.length)) return errorRoles;
  return framework.handlerParams;
}

/** The parameter that forwards errors (`next`) in a handler of this framework and role, by position. */
export function nextParameterIndex(fn: FunctionNode, framework: FrameworkDefinition, role: string): number {
  return parameterRoles(fn, framework, role).indexOf('next');
}

/**
 * Turns a handler of a framework that ignores returned promises (Express 4) into an async one that
 * forwards every error to `next`, as Express 4 expects: the body goes inside `try`, the `catch`
 * calls `next(error)`, and a `next` parameter is added when the handler had none. The body is
 * indented one level, except lines inside template literals, whose text must not change.
 */
export function forwardRejections(
  fn: FunctionNode,
  framework: FrameworkDefinition,
  role: string,
  sourceFile: ts.SourceFile,
  edits: FileEdits,
  session: ImportSession,
): string | undefined {
  if (catchesEverything(fn)) return undefined;
  const roles = parameterRoles(fn, framework, role);
  const nextIndex = roles.indexOf('next');
  const existing = fn.parameters[nextIndex];
  let next: string;
  if (existing !== undefined && ts.isIdentifier(existing.name)) {
    next = existing.name.text;
  } else {
    const taken = new Set(fn.parameters.map((parameter) => parameter.name.getText(sourceFile)));
    next = taken.has('next') ? 'forwardError' : 'next';
    const typed = fn.parameters.some((parameter) => parameter.type !== undefined);
    const nextType = typed ? `: ${session.binding('express', 'NextFunction', { typeOnly: true })}` : '';
    const added: string[] = [];
    for (let index = fn.parameters.length; index < nextIndex; index += 1) {
      const placeholder = placeholderNames[roles[index] ?? 'request'];
      added.push(taken.has(placeholder) ? `${placeholder}${String(index)}` : placeholder);
    }
    added.push(`${next}${nextType}`);
    const last = fn.parameters[fn.parameters.length - 1];
    const first = fn.parameters[0];
    const unparenthesised = ts.isArrowFunction(fn) && first !== undefined && sourceFile.text[first.getStart(sourceFile)] !== '(' && !hasOpenParen(fn, sourceFile);
    if (unparenthesised) {
      // After the `async ` inserted at the same offset.
      edits.insert(first.getStart(sourceFile), '(', 2);
      edits.insert(first.getEnd(), `, ${added.join(', ')})`);
    } else if (last === undefined) {
      edits.insert(fn.parameters.pos, added.join(', '));
    } else {
      edits.insert(last.getEnd(), `, ${added.join(', ')}`);
    }
  }
  const body = fn.body;
  if (body === undefined) return next;
  if (!ts.isBlock(body)) {
    edits.wrap(body.getStart(sourceFile), body.getEnd(), (inner) => `{ try { ${ts.isParenthesizedExpression(body) ? inner.slice(1, -1) : inner}; } catch (error) { ${next}(error); } }`);
    return next;
  }
  const text = sourceFile.text;
  const open = body.getStart(sourceFile);
  const close = body.getEnd() - 1;
  const openLine = sourceFile.getLineAndCharacterOfPosition(open).line;
  const closeLine = sourceFile.getLineAndCharacterOfPosition(close).line;
  if (openLine === closeLine) {
    edits.insert(open + 1, ' try {');
    edits.insert(close, `} catch (error) { ${next}(error); } `);
    return next;
  }
  const lineStarts = sourceFile.getLineStarts();
  const closeLineStart = lineStarts[closeLine] ?? close;
  // The closing brace's own indentation is that of the line the function starts on.
  const closingIndent = /^[ \t]*/.exec(text.slice(lineStarts[openLine] ?? 0))?.[0] ?? '';
  const firstStatement = body.statements[0];
  const statementIndent = firstStatement === undefined ? '' : indentationAt(text, firstStatement.getStart(sourceFile), lineStarts, sourceFile);
  const unit = statementIndent.length > closingIndent.length && statementIndent.startsWith(closingIndent) ? statementIndent.slice(closingIndent.length) : text.includes('\n\t') ? '\t' : '  ';
  const inner = `${closingIndent}${unit}`;
  const literals = multilineLiterals(body, sourceFile);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  // A closing brace that shares its line with code (`  res.end(); }`) keeps that code inside `try`.
  const closeOnOwnLine = text.slice(closeLineStart, close).trim() === '';
  edits.insert(open + 1, `${newline}${inner}try {`);
  for (let line = openLine + 1; line < closeLine + (closeOnOwnLine ? 0 : 1); line += 1) {
    const start = lineStarts[line];
    if (start === undefined) continue;
    const end = lineStarts[line + 1] ?? text.length;
    if (text.slice(start, end).trim() === '') continue;
    if (literals.some(([from, to]) => start > from && start < to)) continue;
    edits.insert(start, unit, 0);
  }
  const catchText = `${inner}} catch (error) {${newline}${inner}${unit}${next}(error);${newline}${inner}}${newline}`;
  if (closeOnOwnLine) {
    edits.insert(closeLineStart, catchText, 2);
  } else {
    const spaces = /[ \t]*$/.exec(text.slice(closeLineStart, close))?.[0] ?? '';
    edits.replace(close - spaces.length, close, `${newline}${catchText}${closingIndent}`);
  }
  return next;
}

/** The whole body is one `try` whose `catch` never rethrows: nothing can reject already. */
function catchesEverything(fn: FunctionNode): boolean {
  const body = fn.body;
  if (body === undefined || !ts.isBlock(body) || body.statements.length !== 1) return false;
  const [statement] = body.statements;
  if (statement === undefined || !ts.isTryStatement(statement) || statement.catchClause === undefined) return false;
  let rethrows = false;
  const visit = (node: ts.Node): void => {
    if (ts.isThrowStatement(node)) rethrows = true;
    else if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  visit(statement.catchClause.block);
  if (statement.finallyBlock !== undefined) visit(statement.finallyBlock);
  return !rethrows;
}

function hasOpenParen(fn: ts.ArrowFunction, sourceFile: ts.SourceFile): boolean {
  return fn.getChildren(sourceFile).some((child) => child.kind === ts.SyntaxKind.OpenParenToken);
}

function indentationAt(text: string, position: number, lineStarts: readonly number[], sourceFile: ts.SourceFile): string {
  const line = sourceFile.getLineAndCharacterOfPosition(position).line;
  const start = lineStarts[line] ?? 0;
  return /^[ \t]*/.exec(text.slice(start, position))?.[0] ?? '';
}

/** Ranges of template literals and strings that span lines: their inner lines are text, not code. */
function multilineLiterals(body: ts.Node, sourceFile: ts.SourceFile): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) {
      const start = node.getStart(sourceFile);
      if (sourceFile.text.slice(start, node.getEnd()).includes('\n')) ranges.push([start, node.getEnd()]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return ranges;
}
