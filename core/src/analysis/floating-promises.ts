import ts from 'typescript';

import type { KeepAliveApi } from '../registry/types.js';
import { enclosingFunction, isAsyncFunction, type FunctionNode } from './functions.js';
import type { HandlerIndex } from './handler-index.js';
import type { HandlerInfo } from './handlers.js';
import { lazyQueryOf } from './lazy-query.js';
import { isPromiseArrayType, isPromiseType, promiseStaticMethod, returnsPromise, typeAt, type PromiseTypeOptions } from './promise-types.js';

/** Settings of the floating-promise analysis; the lint rule's options map onto these. */
export interface FloatingPromiseOptions extends PromiseTypeOptions {
  /** `void promise` marks an intentional fire-and-forget outside handlers (default true). */
  readonly ignoreVoid?: boolean;
  /** Immediately invoked async functions are not reported (default false). */
  readonly ignoreIIFE?: boolean;
  /** Promises the user declared safe to leave floating (by type or callee), decided by the caller. */
  readonly isKnownSafe?: (expression: ts.Expression) => boolean;
  /** Promise types declared safe, also as elements of arrays. */
  readonly isSafeType?: (type: ts.Type) => boolean;
}

/** What kind of floating promise a finding is. */
export type FloatingKind =
  /** A promise-valued expression statement nobody observes. */
  | 'floating'
  /** `.catch(x)` / `.then(f, x)` whose rejection handler is not a function. */
  | 'non-function-handler'
  /** An array of promises nobody awaits. */
  | 'promise-array'
  /** Inside a request handler: work left running when the response is sent (also when `void`-ed). */
  | 'left-running'
  /** A local binding holding a promise that nothing ever reads. */
  | 'unused-binding'
  /** `forEach` with an async callback: every promise it returns is dropped. */
  | 'async-for-each'
  /** `map` with an async callback whose promises never reach `Promise.all` (or a caller). */
  | 'unawaited-map';

/** One floating promise. */
export interface FloatingFinding {
  readonly kind: FloatingKind;
  /** What to report: the floating expression, the binding name, or the callback. */
  readonly node: ts.Node;
  /** For statement-level findings, the promise expression (after `void`), where `await` would go. */
  readonly expression?: ts.Expression;
  /** The statement was `void promise` (kept for the message). */
  readonly voided: boolean;
  /** The innermost function around the finding is async, so `await` can be added. */
  readonly inAsyncFunction: boolean;
  /** The request handler the finding is in, with the framework's keep-alive APIs. */
  readonly handler?: { readonly fn: FunctionNode; readonly info: HandlerInfo; readonly keepAlive: readonly KeepAliveApi[] };
}

const settlers = new Set(['all', 'allSettled', 'any', 'race']);

/**
 * Finds the promises of a file that nobody observes: everything typescript-eslint's
 * `no-floating-promises` reports (expression statements, optional calls, `new Promise`,
 * conditional and logical expressions, arrays of promises, `.then` without a rejection handler,
 * `.finally`), plus promises kept in a binding nothing reads, `forEach(async …)`, `map(async …)`
 * results that never reach `Promise.all`, and, inside request handlers, work still running when the
 * response is sent even when `void`-ed.
 *
 * @example
 * findFloatingPromises(sourceFile, program, handlerIndexFor(program)).map((finding) => finding.kind);
 */
export function findFloatingPromises(sourceFile: ts.SourceFile, program: ts.Program, handlers: HandlerIndex, options: FloatingPromiseOptions = {}): FloatingFinding[] {
  const checker = program.getTypeChecker();
  const typeOptions: PromiseTypeOptions = { thenables: options.thenables ?? false, ...(options.isSafeType === undefined ? {} : { isSafeType: options.isSafeType }) };
  const isPromise = (node: ts.Node): boolean => isPromiseType(program, checker, typeAt(checker, node), typeOptions);
  const isPromiseArray = (node: ts.Node): boolean => isPromiseArrayType(program, checker, typeAt(checker, node), typeOptions);
  const findings: FloatingFinding[] = [];
  const context = (node: ts.Node): Pick<FloatingFinding, 'inAsyncFunction' | 'handler'> => {
    const fn = enclosingFunction(node);
    const found = handlers.enclosingHandler(node);
    return {
      inAsyncFunction: fn !== undefined && isAsyncFunction(fn),
      ...(found === undefined ? {} : { handler: { ...found, keepAlive: found.info.framework.keepAlive } }),
    };
  };

  const unhandled = (node: ts.Expression): { kind: FloatingKind } | undefined => {
    const expression = skipParentheses(node);
    // Awaited is observed, whatever type TypeScript gives the result (`Promise<T> & number` stays one),
    // except an array: `await promises` waits for none of them.
    if (ts.isAwaitExpression(expression)) return isPromiseArray(expression.expression) ? { kind: 'promise-array' } : undefined;
    if (ts.isBinaryExpression(expression)) {
      const operator = expression.operatorToken.kind;
      if (operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment) return undefined;
      if (operator === ts.SyntaxKind.CommaToken) return unhandled(expression.left) ?? unhandled(expression.right);
    }
    if (options.isKnownSafe?.(expression) === true) return undefined;
    // A lazy query that is never awaited never runs: no-missing-await says so, in those words.
    if (lazyQueryOf(typeAt(checker, expression), checker) !== undefined) return undefined;
    if (isPromiseArray(expression)) return { kind: 'promise-array' };
    if (!isPromise(expression)) return undefined;
    if (ts.isCallExpression(expression)) {
      const callee = skipParentheses(expression.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const handlerIndex = method === 'catch' ? 0 : method === 'then' ? 1 : undefined;
      // `then(...args)`: a spread hides which argument the rejection handler is.
      if (handlerIndex !== undefined && expression.arguments.slice(0, handlerIndex + 1).some((argument) => ts.isSpreadElement(argument))) return { kind: 'floating' };
      const rejectionHandler = handlerIndex === undefined ? undefined : expression.arguments[handlerIndex];
      if (rejectionHandler !== undefined) {
        return typeAt(checker, rejectionHandler).getCallSignatures().length > 0 ? undefined : { kind: 'non-function-handler' };
      }
      if (method === 'finally' && ts.isPropertyAccessExpression(callee)) return unhandled(callee.expression);
      return { kind: 'floating' };
    }
    if (ts.isConditionalExpression(expression)) return unhandled(expression.whenTrue) ?? unhandled(expression.whenFalse);
    if (ts.isBinaryExpression(expression)) {
      const operator = expression.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
        return unhandled(expression.left) ?? unhandled(expression.right);
      }
    }
    return { kind: 'floating' };
  };

  const visitStatement = (statement: ts.ExpressionStatement): void => {
    const expression = skipParentheses(statement.expression);
    if (options.ignoreIIFE === true && isAsyncIife(expression, program, checker)) return;
    if (ts.isVoidExpression(expression)) {
      const inner = skipParentheses(expression.expression);
      // A handler is looked up only for a `void` (which it makes count) or a finding, not for every statement.
      const where = context(statement);
      if (where.handler === undefined && options.ignoreVoid !== false) return;
      const found = unhandled(inner);
      if (found === undefined) return;
      findings.push({ kind: where.handler === undefined ? found.kind : 'left-running', node: expression, expression: inner, voided: true, ...where });
      return;
    }
    const found = unhandled(expression);
    if (found === undefined) return;
    const where = context(statement);
    const kind = where.handler !== undefined && found.kind === 'floating' ? 'left-running' : found.kind;
    findings.push({ kind, node: expression, expression, voided: false, ...where });
  };

  const visitCall = (call: ts.CallExpression): void => {
    const callee = skipParentheses(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    const [callback] = call.arguments;
    if (method === 'forEach' && callback !== undefined && returnsPromise(program, checker, typeAt(checker, callback), typeOptions)) {
      findings.push({ kind: 'async-for-each', node: callback, voided: false, ...context(call) });
      return;
    }
    // Where the array goes is read first: `Promise.all(ids.map(…))` needs no type of the `map` call.
    if (method === 'map' && callback !== undefined && !settledInPlace(call) && isPromiseArray(call) && !reachesSettler(call, checker)) {
      findings.push({ kind: 'unawaited-map', node: call, voided: false, ...context(call) });
    }
  };

  const visitDeclaration = (declaration: ts.VariableDeclaration): void => {
    if (!ts.isIdentifier(declaration.name) || declaration.initializer === undefined) return;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || ts.isForOfStatement(list.parent) || ts.isForInStatement(list.parent)) return;
    const statement = list.parent;
    if (ts.isVariableStatement(statement) && statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) === true) return;
    const initializer = skipParentheses(declaration.initializer);
    // Whether anything reads the binding needs no types: asked first, so most declarations cost no type check.
    if (ts.isAwaitExpression(initializer) || hasReference(declaration.name, checker)) return;
    if (!isPromise(initializer) || options.isKnownSafe?.(initializer) === true) return;
    findings.push({ kind: 'unused-binding', node: declaration.name, expression: initializer, voided: false, ...context(declaration) });
  };

  // `() => void promise`: the arrow's value is discarded like a statement's.
  const visitVoidBody = (arrow: ts.ArrowFunction): void => {
    const body = skipParentheses(arrow.body as ts.Expression);
    if (!ts.isVoidExpression(body)) return;
    const where = context(body);
    if (where.handler === undefined && options.ignoreVoid !== false) return;
    const inner = skipParentheses(body.expression);
    const found = unhandled(inner);
    if (found !== undefined) findings.push({ kind: where.handler === undefined ? found.kind : 'left-running', node: body, expression: inner, voided: true, ...where });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) visitVoidBody(node);
    if (ts.isExpressionStatement(node)) visitStatement(node);
    else if (ts.isVariableDeclaration(node)) visitDeclaration(node);
    if (ts.isCallExpression(node)) visitCall(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

function isAsyncIife(expression: ts.Expression, program: ts.Program, checker: ts.TypeChecker): boolean {
  if (!ts.isCallExpression(expression)) return false;
  const callee = skipParentheses(expression.expression);
  return (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) && returnsPromise(program, checker, typeAt(checker, callee));
}

// The identifiers of a scope by name, collected once per scope rather than once per declaration.
const identifiersByScope = new WeakMap<ts.Node, Map<string, ts.Identifier[]>>();

function identifiersNamed(scope: ts.Node, text: string): readonly ts.Identifier[] {
  let index = identifiersByScope.get(scope);
  if (index === undefined) {
    const built = new Map<string, ts.Identifier[]>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const list = built.get(node.text);
        if (list === undefined) built.set(node.text, [node]);
        else list.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    identifiersByScope.set(scope, built);
    index = built;
  }
  return index.get(text) ?? [];
}

/** Is the identifier's binding read anywhere in its scope? */
function hasReference(name: ts.Identifier, checker: ts.TypeChecker): boolean {
  const candidates = identifiersNamed(enclosingFunction(name) ?? name.getSourceFile(), name.text);
  if (candidates.length <= 1) return false;
  const symbol = checker.getSymbolAtLocation(name);
  if (symbol === undefined) return true;
  return candidates.some((node) => {
    if (node === name) return false;
    const parent = node.parent;
    // `export { pending }` exports the binding: it outlives the module's top level.
    if (ts.isExportSpecifier(parent)) return checker.getExportSpecifierLocalTargetSymbol(parent) === symbol;
    const target = ts.isShorthandPropertyAssignment(parent) && parent.name === node ? checker.getShorthandAssignmentValueSymbol(parent) : checker.getSymbolAtLocation(node);
    return target === symbol;
  });
}

/** The expression a `map` call's value flows into, past parentheses and type assertions. */
function outermost(call: ts.CallExpression): ts.Node {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  return node;
}

/** Is a `map` result settled or handed on right where it is made (no binding to follow)? */
function settledInPlace(call: ts.CallExpression): boolean {
  const node = outermost(call);
  return !ts.isExpressionStatement(node.parent) && !ts.isVariableDeclaration(node.parent) && observes(node, node.parent);
}

/**
 * Does a `map(async …)` result end up settled or handed on: passed to `Promise.all` (and kin),
 * returned, awaited, or kept in a variable that is passed on, returned or awaited? Discarded as a
 * statement, it is a promise array (reported as such).
 */
function reachesSettler(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const node = outermost(call);
  const parent = node.parent;
  if (ts.isExpressionStatement(parent)) return true;
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return observes(node, parent);
  const symbol = checker.getSymbolAtLocation(parent.name);
  const scope = enclosingFunction(parent) ?? parent.getSourceFile();
  let observed = false;
  const visit = (current: ts.Node): void => {
    if (observed) return;
    if (ts.isIdentifier(current) && current !== parent.name && checker.getSymbolAtLocation(current) === symbol) {
      let use: ts.Node = current;
      while (ts.isParenthesizedExpression(use.parent) || ts.isSpreadElement(use.parent) || ts.isAsExpression(use.parent)) use = use.parent;
      if (observes(use, use.parent)) observed = true;
    }
    ts.forEachChild(current, visit);
  };
  visit(scope);
  return observed;
}

function observes(value: ts.Node, parent: ts.Node): boolean {
  if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return true;
  if (ts.isArrowFunction(parent) && parent.body === value) return true;
  if (ts.isArrayLiteralExpression(parent)) return observes(parent, parent.parent);
  if (ts.isCallExpression(parent) && parent.expression !== value) {
    const method = promiseStaticMethod(parent);
    if (method !== undefined) return settlers.has(method);
    // Handed to another function: what it does with the promises is its business (and no-missing-await's).
    return true;
  }
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === value) return true;
  return false;
}
