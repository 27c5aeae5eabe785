import ts from 'typescript';

import { frameworks, serializationSinks } from '../registry/registry.js';
import type { LazyQueryLibrary } from '../registry/lazy-queries.js';
import type { ParamRole } from '../registry/types.js';
import { handlerParameterRoles } from './forward-rejections.js';
import { enclosingFunction, isAsyncFunction, type FunctionNode } from './functions.js';
import type { HandlerIndex } from './handler-index.js';
import type { HandlerInfo } from './handlers.js';
import { accessChain, importedPath, skipWrappers } from './import-binding.js';
import { lazyQueryOf } from './lazy-query.js';
import { isPromiseType, typeAt, type PromiseTypeOptions } from './promise-types.js';

/** Where a promise is used as if it were its value. */
export type MissingAwaitKind =
  /** Sent as (part of) the response: `res.json(p)`, `ctx.body = { p }`, `reply.send(p)`. */
  | 'response'
  /** Serialised: `JSON.stringify(p)`, `Response.json(p)`, `new Response(p)`. */
  | 'serialized'
  /** Nested in what a handler returns as its response (`return { user: getUser() }`). */
  | 'returned'
  | 'template'
  | 'concatenation'
  /** Tested for truth: always true. */
  | 'condition'
  | 'comparison'
  | 'arithmetic'
  /** A lazy query builder that is never awaited (or executed): the query never runs. */
  | 'lazy-query'
  /** A Kysely-style builder awaited without `.execute()`: awaiting it runs nothing. */
  | 'lazy-query-not-executed'
  /** `return promise` inside `try` in an async function: the `catch` never sees its rejection. */
  | 'return-in-try';

/** One promise used as a value. */
export interface MissingAwaitFinding {
  readonly kind: MissingAwaitKind;
  /** The promise expression. */
  readonly node: ts.Expression;
  /** For sinks: the call or assignment (`res.json`, `ctx.body`) that receives it. */
  readonly sink?: string;
  readonly library?: LazyQueryLibrary;
  /** The innermost function is async: `await` can be added as is. */
  readonly inAsyncFunction: boolean;
  /** The innermost function is a handler of a framework that awaits a returned promise: it can be made async. */
  readonly canMakeAsync?: FunctionNode;
  readonly handler?: HandlerInfo;
}

const comparisons = new Set([
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);
const arithmetic = new Set([
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
]);
const logical = new Set([ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);

/**
 * Finds promises used as if they were their value: sent as a response or serialised (also nested
 * in object and array literals), returned inside a handler's response object, put in a template or
 * concatenated, tested in a condition, compared or computed with; lazy query builders that never run;
 * and `return promise` inside a `try` of an async function.
 *
 * @example
 * findMissingAwaits(sourceFile, program, handlerIndexFor(program)).map((finding) => finding.kind);
 */
export function findMissingAwaits(sourceFile: ts.SourceFile, program: ts.Program, handlers: HandlerIndex, options: PromiseTypeOptions = {}): MissingAwaitFinding[] {
  const checker = program.getTypeChecker();
  const findings: MissingAwaitFinding[] = [];
  const reported = new Set<ts.Node>();
  const isPromise = (node: ts.Node): boolean => {
    const type = typeAt(checker, node);
    return isPromiseType(program, checker, type, options) || lazyQueryOf(type, checker) !== undefined;
  };
  // `maybe ?? fallback`, `if (pending)`, `pending === undefined` are presence checks when the
  // value may be missing: only a value that is always a promise makes a test meaningless.
  const isOnlyPromise = (node: ts.Node): boolean => {
    const type = typeAt(checker, node);
    const parts = type.isUnion() ? type.types : [type];
    return parts.every((part) => isPromiseType(program, checker, part, options) || lazyQueryOf(part, checker) !== undefined);
  };
  const push = (kind: MissingAwaitKind, node: ts.Expression, extra: Partial<MissingAwaitFinding> = {}): void => {
    if (reported.has(node)) return;
    reported.add(node);
    const fn = enclosingFunction(node);
    const handler = handlers.enclosingHandler(node);
    const canMakeAsync = fn !== undefined && !isAsyncFunction(fn) && handler?.fn === fn && handler.info.framework.promiseHandling.awaitsReturnedPromise ? fn : undefined;
    findings.push({
      kind,
      node,
      inAsyncFunction: fn !== undefined && isAsyncFunction(fn),
      ...(canMakeAsync === undefined ? {} : { canMakeAsync }),
      ...(handler === undefined ? {} : { handler: handler.info }),
      ...extra,
    });
  };

  /** The promises an argument stands for: itself, or values nested in object and array literals. */
  const promisesIn = (node: ts.Expression, depth = 0): ts.Expression[] => {
    const inner = skipWrappers(node);
    if (ts.isAwaitExpression(inner) || depth > 4) return [];
    if (ts.isObjectLiteralExpression(inner)) {
      return inner.properties.flatMap((property) => {
        if (ts.isPropertyAssignment(property)) return promisesIn(property.initializer, depth + 1);
        if (ts.isShorthandPropertyAssignment(property)) return isPromise(property.name) ? [property.name] : [];
        if (ts.isSpreadAssignment(property)) return promisesIn(property.expression, depth + 1);
        return [];
      });
    }
    if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap((element) => promisesIn(ts.isSpreadElement(element) ? element.expression : element, depth + 1));
    if (ts.isIdentifier(inner) && depth === 0) {
      // `const body = { user: getUser(id) }; res.json(body)`: the literal the local constant holds.
      const declaration = checker.getSymbolAtLocation(inner)?.valueDeclaration;
      if (declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && isConstDeclaration(declaration)) {
        const initializer = skipWrappers(declaration.initializer);
        if (ts.isObjectLiteralExpression(initializer) || ts.isArrayLiteralExpression(initializer)) return promisesIn(initializer, depth + 1);
      }
    }
    return isPromise(inner) ? [inner] : [];
  };

  const visitCall = (call: ts.CallExpression | ts.NewExpression): void => {
    const args = call.arguments ?? [];
    if (args.length === 0) return;
    const calleeName = nameOf(call.expression);
    // Most calls are neither a serialiser nor a response method: tell by name before asking the checker.
    if (calleeName === undefined || (!serializerNames.has(calleeName) && !sinkMethodNames.has(calleeName) && !ts.isIdentifier(skipWrappers(call.expression)))) return;
    const serialization = serializerNames.has(calleeName) ? serializationSinkOf(call, checker) : undefined;
    if (serialization !== undefined) {
      const argument = args[serialization.argument];
      if (argument !== undefined) for (const promise of promisesIn(argument)) push('serialized', promise, { sink: serialization.name });
      return;
    }
    if (!ts.isCallExpression(call)) return;
    const handler = handlers.enclosingHandler(call);
    if (handler === undefined) return;
    const callee = skipWrappers(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) {
      // Lambda's `callback(null, result)`.
      for (const sink of handler.info.framework.responseSinks) {
        if (sink.kind !== 'parameter-call' || !ts.isIdentifier(callee) || roleOf(callee, handler.fn, handler.info) !== sink.param) continue;
        const argument = args[sink.argument];
        if (argument !== undefined) for (const promise of promisesIn(argument)) push('response', promise, { sink: callee.text });
      }
      return;
    }
    const method = callee.name.text;
    const root = rootOf(callee.expression);
    if (root === undefined) return;
    const role = roleOf(root, handler.fn, handler.info);
    for (const sink of handler.info.framework.responseSinks) {
      if (sink.kind !== 'method' || sink.receiver !== role || !sink.methods.includes(method)) continue;
      const argument = args[sink.argument];
      if (argument !== undefined) for (const promise of promisesIn(argument)) push('response', promise, { sink: `${root.text}.${method}` });
    }
  };

  const visitAssignment = (assignment: ts.BinaryExpression): void => {
    const target = skipWrappers(assignment.left);
    if (!ts.isPropertyAccessExpression(target) || !sinkPropertyNames.has(target.name.text)) return;
    const handler = handlers.enclosingHandler(assignment);
    if (handler === undefined) return;
    const owner = skipWrappers(target.expression);
    const root = rootOf(owner);
    if (root === undefined) return;
    const role = roleOf(root, handler.fn, handler.info);
    for (const sink of handler.info.framework.responseSinks) {
      if (sink.kind !== 'assignment' || !sink.properties.includes(target.name.text)) continue;
      const direct = sink.receiver === role && ts.isIdentifier(owner);
      const throughContext = sink.receiver === 'response' && role === 'context' && ts.isPropertyAccessExpression(owner) && owner.name.text === 'response';
      if (!direct && !throughContext) continue;
      for (const promise of promisesIn(assignment.right)) push('response', promise, { sink: target.getText(sourceFile) });
    }
  };

  const visitReturn = (statement: ts.ReturnStatement): void => {
    const expression = statement.expression;
    if (expression === undefined) return;
    const fn = enclosingFunction(statement);
    if (fn === undefined) return;
    const inner = skipWrappers(expression);
    // `return promise` inside `try`: a rejection escapes the `catch` (and `finally` runs too early).
    if (isAsyncFunction(fn) && !ts.isAwaitExpression(inner) && insideTryWithHandler(statement, fn) && isPromise(inner)) {
      push('return-in-try', inner);
      return;
    }
    // The returned promise itself is awaited by the framework; what is nested inside the response is not.
    if (!ts.isObjectLiteralExpression(inner) && !ts.isArrayLiteralExpression(inner)) return;
    const handler = handlers.handlerOf(fn);
    if (handler?.framework.responseSinks.some((sink) => sink.kind === 'return') !== true) return;
    for (const promise of promisesIn(inner)) push('returned', promise);
  };

  const visitBinary = (binary: ts.BinaryExpression): void => {
    const operator = binary.operatorToken.kind;
    if (operator === ts.SyntaxKind.EqualsToken) {
      visitAssignment(binary);
      return;
    }
    const left = skipWrappers(binary.left);
    const right = skipWrappers(binary.right);
    if (logical.has(operator)) {
      if (!ts.isAwaitExpression(left) && isOnlyPromise(left)) push('condition', left);
      return;
    }
    const leftPromise = !ts.isAwaitExpression(left) && isPromise(left);
    const rightPromise = !ts.isAwaitExpression(right) && isPromise(right);
    if (leftPromise === rightPromise) return;
    const promise = leftPromise ? left : right;
    if (comparisons.has(operator)) {
      // Asked of the operand as written: `(maybe as Promise<T> | undefined) !== undefined` is a presence check.
      if (isOnlyPromise(leftPromise ? binary.left : binary.right)) push('comparison', promise);
    } else if (arithmetic.has(operator)) push('arithmetic', promise);
    else if (operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.PlusEqualsToken) {
      const other = typeAt(checker, leftPromise ? right : left);
      push((other.flags & ts.TypeFlags.NumberLike) !== 0 ? 'arithmetic' : 'concatenation', promise);
    }
  };

  const visitCondition = (condition: ts.Expression | undefined): void => {
    if (condition === undefined) return;
    const inner = skipWrappers(condition);
    if (!ts.isAwaitExpression(inner) && isOnlyPromise(inner)) push('condition', inner);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) visitCall(node);
    else if (ts.isBinaryExpression(node)) visitBinary(node);
    else if (ts.isReturnStatement(node)) visitReturn(node);
    else if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) visitCondition(node.expression);
    else if (ts.isForStatement(node)) visitCondition(node.condition);
    else if (ts.isConditionalExpression(node)) visitCondition(node.condition);
    else if (ts.isPrefixUnaryExpression(node)) {
      if (node.operator === ts.SyntaxKind.ExclamationToken) visitCondition(node.operand);
      else if (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken) {
        const operand = skipWrappers(node.operand);
        if (!ts.isAwaitExpression(operand) && isPromise(operand)) push('arithmetic', operand);
      }
    } else if (ts.isTemplateSpan(node) && !ts.isTaggedTemplateExpression(node.parent.parent)) {
      const expression = skipWrappers(node.expression);
      if (!ts.isAwaitExpression(expression) && isPromise(expression)) push('template', expression);
    } else if (ts.isExpressionStatement(node)) {
      visitLazyStatement(node);
    } else if (ts.isAwaitExpression(node)) {
      const library = lazyQueryOf(typeAt(checker, node.expression), checker);
      if (library?.runs === 'execute') push('lazy-query-not-executed', node.expression, { library });
    }
    ts.forEachChild(node, visit);
  };

  const visitLazyStatement = (statement: ts.ExpressionStatement): void => {
    const expression = skipWrappers(statement.expression);
    if (ts.isAwaitExpression(expression) || ts.isVoidExpression(expression)) return;
    const library = lazyQueryOf(typeAt(checker, expression), checker);
    if (library !== undefined) push('lazy-query', expression, { library });
  };

  visit(sourceFile);
  return findings.sort((a, b) => a.node.getStart(sourceFile) - b.node.getStart(sourceFile));
}

const serializerNames = new Set(serializationSinks.map((sink) => sink.callee.split('.').at(-1) ?? sink.callee));
const sinkMethodNames = new Set(frameworks.flatMap((framework) => framework.responseSinks.flatMap((sink) => (sink.kind === 'method' ? sink.methods : []))));
const sinkPropertyNames = new Set(frameworks.flatMap((framework) => framework.responseSinks.flatMap((sink) => (sink.kind === 'assignment' ? sink.properties : []))));

/** The name a callee is called by: `json` in `res.status(200).json`, `Response` in `new Response`. */
function nameOf(expression: ts.Expression): string | undefined {
  const inner = skipWrappers(expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  return undefined;
}

function isConstDeclaration(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The identifier a receiver chain starts from: `res` in `res.status(201).json`. */
function rootOf(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipWrappers(expression);
  for (;;) {
    if (ts.isIdentifier(current)) return current;
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipWrappers(current.expression);
    else if (ts.isCallExpression(current)) current = skipWrappers(current.expression);
    else return undefined;
  }
}

/** The role (`response`, `context`, …) of a handler parameter an identifier refers to. */
function roleOf(identifier: ts.Identifier, fn: FunctionNode, info: HandlerInfo): ParamRole | undefined {
  const roles = handlerParameterRoles(fn, info.framework, info.role);
  const index = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === identifier.text);
  return index === -1 ? undefined : roles[index];
}

function insideTryWithHandler(statement: ts.Node, fn: FunctionNode): boolean {
  for (let current: ts.Node = statement; current !== fn; current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === current && (parent.catchClause !== undefined || parent.finallyBlock !== undefined)) return true;
  }
  return false;
}

/** `JSON.stringify(x)`, `Response.json(x)`, `new Response(x)`, `NextResponse.json(x)`: which argument is serialised. */
function serializationSinkOf(call: ts.CallExpression | ts.NewExpression, checker: ts.TypeChecker): { name: string; argument: number } | undefined {
  const callee = skipWrappers(call.expression);
  const invocation = ts.isNewExpression(call) ? 'construct' : 'call';
  const imported = importedPath(callee, checker);
  const chain = accessChain(callee);
  const global = ts.isIdentifier(chain.root) && checker.getSymbolAtLocation(chain.root)?.declarations?.every((declaration) => declaration.getSourceFile().isDeclarationFile) !== false
    ? [chain.root.text, ...chain.members].join('.')
    : undefined;
  for (const sink of serializationSinks) {
    if (sink.invocation !== invocation) continue;
    if (sink.module === undefined ? global === sink.callee && imported === undefined : imported?.specifier === sink.module && imported.path === sink.callee) {
      return { name: sink.callee, argument: sink.argument };
    }
  }
  return undefined;
}
