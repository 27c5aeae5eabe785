import ts from 'typescript';

import type { FrameworkDefinition, ParamRole } from '../registry/types.js';
import type { FunctionNode } from './functions.js';
import type { ImportSession, TextEdit } from './replacement-edits.js';

/** A planned edit; among insertions at one offset, lower `order` goes first. */
export interface OrderedEdit extends TextEdit {
  readonly order: number;
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
export function handlerParameterRoles(fn: FunctionNode, framework: FrameworkDefinition, role: string): readonly ParamRole[] {
  const errorRoles = framework.errorHandlerParams;
  if (errorRoles !== undefined && (role === 'error-handler' || fn.parameters.length === errorRoles.length)) return errorRoles;
  return framework.handlerParams;
}

/** The parameter that forwards errors (`next`) in a handler of this framework and role, by position. */
export function nextParameterIndex(fn: FunctionNode, framework: FrameworkDefinition, role: string): number {
  return handlerParameterRoles(fn, framework, role).indexOf('next');
}

/**
 * Plans the edits that make a handler of a framework that ignores returned promises (Express 4)
 * forward every error to `next`, as Express 4 expects: the body goes inside `try`, the `catch`
 * calls `next(error)`, and a `next` parameter is added when the handler had none. The body is
 * indented one level, except lines inside template literals, whose text must not change. Nothing
 * is planned for a function that cannot reject. The lint rule offers these edits as a suggestion;
 * the codemod applies them with its other rewrites.
 *
 * @example
 * const plan = planForwardRejections(fn, express4, 'handler', sourceFile, new ImportSession(sourceFile));
 */
export function planForwardRejections(
  fn: FunctionNode,
  framework: FrameworkDefinition,
  role: string,
  sourceFile: ts.SourceFile,
  session: ImportSession,
): { readonly next: string; readonly edits: readonly OrderedEdit[] } | undefined {
  if (cannotReject(fn)) return undefined;
  const planned: OrderedEdit[] = [];
  const edits = {
    insert: (offset: number, text: string, order = 1): void => {
      planned.push({ start: offset, end: offset, text, order });
    },
    replace: (start: number, end: number, text: string): void => {
      planned.push({ start, end, text, order: 1 });
    },
  };
  const roles = handlerParameterRoles(fn, framework, role);
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
  if (body === undefined) return { next, edits: planned };
  if (!ts.isBlock(body)) {
    // Insertions around the expression, so rewrites inside it (an added `await`) stay intact.
    edits.insert(body.getStart(sourceFile), '{ try { ', 3);
    edits.insert(body.getEnd(), `; } catch (error) { ${next}(error); } }`, 0);
    return { next, edits: planned };
  }
  const text = sourceFile.text;
  const open = body.getStart(sourceFile);
  const close = body.getEnd() - 1;
  const openLine = sourceFile.getLineAndCharacterOfPosition(open).line;
  const closeLine = sourceFile.getLineAndCharacterOfPosition(close).line;
  if (openLine === closeLine) {
    edits.insert(open + 1, ' try {');
    edits.insert(close, `} catch (error) { ${next}(error); } `);
    return { next, edits: planned };
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
  return { next, edits: planned };
}

/**
 * The function cannot reject: its whole body is one `try` whose `catch` (and `finally`) never
 * rethrow, so whoever ignores its promise loses nothing.
 *
 * @example
 * cannotReject(handler); // true for `async (req, res, next) => { try { … } catch (error) { next(error); } }`
 */
export function cannotReject(fn: FunctionNode): boolean {
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
