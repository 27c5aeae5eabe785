import ts from 'typescript';

import { asyncModifierPosition, needsParentheses, planForwardRejections, type FunctionNode, type ImportSession } from '@loopguard/core/analysis';
import type { FrameworkDefinition } from '@loopguard/core/registry';

import type { FileEdits } from '../engine/file-edits.js';

/**
 * Makes a function async: the modifier, and `Promise<T>` around an explicit return type.
 *
 * @example
 * makeAsync(fn, sourceFile, edits); // `function load(): string` → `async function load(): Promise<string>`
 */
export function makeAsync(fn: FunctionNode, sourceFile: ts.SourceFile, edits: FileEdits): void {
  edits.insert(asyncModifierPosition(fn, sourceFile), 'async ');
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

/**
 * Makes an Express 4 handler forward its rejections to `next` (see `planForwardRejections`),
 * applying the planned edits with the codemod's others. Returns the name of `next`, or undefined
 * when the handler cannot reject and needs nothing.
 */
export function forwardRejections(
  fn: FunctionNode,
  framework: FrameworkDefinition,
  role: string,
  sourceFile: ts.SourceFile,
  edits: FileEdits,
  session: ImportSession,
): string | undefined {
  const plan = planForwardRejections(fn, framework, role, sourceFile, session);
  if (plan === undefined) return undefined;
  for (const edit of plan.edits) {
    if (edit.start === edit.end) edits.insert(edit.start, edit.text, edit.order);
    else edits.replace(edit.start, edit.end, edit.text);
  }
  return plan.next;
}
