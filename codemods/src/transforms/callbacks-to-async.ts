import ts from 'typescript';

import { BlockingAnalysis, enclosingFunction, functionName, importedPath, ImportSession, isAsyncFunction, isFunctionNode, type FunctionNode } from '@loopguard/core/analysis';
import { callbackApis, type CallbackApi } from '@loopguard/core/catalog';

import { declarationBoundary, indexSubclasses } from '../async-propagation/boundaries.js';
import { awaitCall } from '../async-propagation/function-edits.js';
import { catchClauseBinding, endsInExit, indentationOf, indentUnit, inlineStatements, namesBroughtIn, namesInFunction, type InlineContext } from '../async-propagation/inline-callbacks.js';
import { handlerProblem, makeFunctionAsync, willForwardRejections } from '../async-propagation/make-function-async.js';
import { declaredName, ReferenceIndex } from '../async-propagation/references.js';
import { importsLeftUnused } from '../async-propagation/unused-imports.js';
import { EditsByFile } from '../engine/edits-by-file.js';
import type { Boundary, ManualSite, Rewrite, Transform, TransformContext, TransformResult } from './types.js';

/** A Node-style call: the callback last, its first parameter the error. */
interface CallbackCall {
  readonly call: ts.CallExpression;
  readonly callback: ts.ArrowFunction | ts.FunctionExpression;
  readonly api: { readonly kind: 'node'; readonly api: CallbackApi } | { readonly kind: 'program'; readonly declaration: FunctionNode };
}

/** The callback's body, read as "error branch first, then the work with the value". */
interface Branches {
  readonly error: ts.Identifier;
  /** Statements run when the call fails (`if (err) { … }`), or undefined when the branch only rethrows. */
  readonly onError: readonly ts.Statement[] | undefined;
  /** Statements run with the value: the `else` branch and what follows the `if`. */
  readonly onValue: readonly ts.Statement[];
}

/**
 * `callbacks-to-async`: rewrites Node-style callback calls (`fs.readFile(p, (err, data) => …)`,
 * `crypto.pbkdf2`, `zlib.gzip`, `child_process.exec`, and functions of the program whose last
 * parameter is an `(err, value)` callback) as awaits of their promise API (`node:fs/promises`,
 * `promisify`): the callback's body moves after the await, its error branch into `catch`. The
 * function making the call becomes async and its callers await it, up to a handler or an async
 * function, as `sync-to-async` does; where that cannot happen, the site is reported with the reason.
 */
export const callbacksToAsync: Transform = {
  slug: 'callbacks-to-async',
  description: 'Rewrite Node-style callback calls (fs, crypto, zlib, child_process, your own (err, value) functions) as awaits of their promise API, and make callers await.',
  leftForAPerson: ['callback call with no mechanical rewrite', 'callback calls with no mechanical rewrite'],
  run,
};

function run(context: TransformContext): TransformResult {
  const { program, checker } = context;
  const analysis = new BlockingAnalysis({ frameworks: context.frameworks, projectRoot: context.projectRoot }, program);
  const projectFiles = new Set(context.projectFiles);
  const files = new EditsByFile();
  const rewrites: Rewrite[] = [];
  const manual: ManualSite[] = [];
  const boundaries: Boundary[] = [];
  // Functions that become async, and the calls of them that gain an `await`.
  const converted = new Set<FunctionNode>();
  const awaited = new Set<ts.CallExpression>();
  let references: ReferenceIndex | undefined;
  const subclasses = indexSubclasses(context.projectFiles, checker);

  /** Plans `fn` (and, through its callers, whatever must follow) becoming async; a reason when it cannot. */
  const planAsync = (fn: FunctionNode, plan: Set<FunctionNode>, calls: Set<ts.CallExpression>): string | undefined => {
    if (isAsyncFunction(fn) || converted.has(fn) || plan.has(fn)) return undefined;
    const name = functionName(fn);
    const handler = analysis.handlerInfo(fn);
    if (handler !== undefined) {
      const problem = handlerProblem(fn, handler, context.frameworks);
      if (problem !== undefined) return problem;
      plan.add(fn);
      return undefined;
    }
    const stop = declarationBoundary(fn, program, subclasses, (owner) => (references ??= indexReferences(context, checker)).instanceSlots(owner), context.isPublicApi);
    if (stop !== undefined) return stop.message;
    plan.add(fn);
    references ??= indexReferences(context, checker);
    for (const reference of references.referencesOf(fn)) {
      if (reference.kind !== 'call') return `\`${name}\` is used ${reference.kind === 'type' ? 'in a type' : 'as a value'} (\`${reference.node.parent.getText()}\`), which would silently start receiving a promise`;
      const caller = enclosingFunction(reference.call);
      if (caller === undefined) return `\`${name}\` is called outside any function (\`${reference.call.getText()}\`), in start-up code that is left alone`;
      if (!projectFiles.has(caller.getSourceFile())) continue;
      calls.add(reference.call);
      const problem = planAsync(caller, plan, calls);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

  // Callbacks whose bodies move into a function, with that function: a callback call they end with moves along.
  const inlined = new Map<ts.Node, FunctionNode>();
  for (const sourceFile of context.selectedFiles) {
    if (context.isTestFile(sourceFile)) continue;
    const unit = indentUnit(sourceFile);
    const planned: { readonly found: CallbackCall; readonly site: PlannedSite; readonly indent: string }[] = [];
    const visit = (node: ts.Node): void => {
      const found = ts.isCallExpression(node) ? callbackCallOf(node, checker, projectFiles) : undefined;
      const site = found === undefined ? undefined : planCall(found, sourceFile, unit);
      if (found !== undefined && site !== undefined) planned.push({ found, ...site });
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (planned.length === 0) continue;
    const { edits, session } = files.of(sourceFile);
    // Imports only the rewritten calls used go (`readFile` from `node:fs`), so the promise API can take their names.
    const replaced = planned.filter(({ found }) => found.api.kind === 'node' && found.api.api.promises !== undefined).map(({ found }) => found.call);
    for (const binding of importsLeftUnused(sourceFile, checker, replaced)) session.remove(binding);
    for (const { site, indent } of planned) {
      const promiseFunction = site.promiseFunction(session);
      edits.wrap(site.statement.getStart(sourceFile), site.statement.getEnd(), (_inner, slice) => site.render(promiseFunction, indent, slice).join('\n').trimStart());
    }
  }

  function planCall(found: CallbackCall, sourceFile: ts.SourceFile, unit: string): { readonly site: PlannedSite; readonly indent: string } | undefined {
    const node = found.call;
    const inline: InlineContext = { sourceFile, program, checker, unit, slice: (start, end) => sourceFile.text.slice(start, end) };
    const outcome = planSite(found, inline, inlined, (fn) => analysis.handlerInfo(fn) !== undefined);
    if (typeof outcome === 'string') {
      manual.push({ ...context.location(node), api: describeApi(found), message: `${outcome}: convert it by hand.`, chain: [] });
      return undefined;
    }
    const plan = new Set<FunctionNode>();
    const calls = new Set<ts.CallExpression>();
    const problem = planAsync(outcome.fn, plan, calls);
    if (problem !== undefined) {
      boundaries.push({ ...context.location(node), reason: 'callback', function: functionName(outcome.fn), message: `${problem}. The callback call stays as it is.`, chain: [functionName(outcome.fn), describeApi(found)] });
      return undefined;
    }
    // Text inside a handler's forwarding `try` sits one level deeper (a nested call's, already, through its outer one).
    const forwardIndent = !inlined.has(enclosingFunction(node) as ts.Node) && plan.has(outcome.fn) && willForwardRejections(outcome.fn, analysis, context, false) ? unit : '';
    rewrites.push({ ...context.location(node), kind: 'replace-call', message: `Awaited the promise API of \`${describeApi(found)}\` instead of passing it a callback.` });
    inlined.set(found.callback, outcome.fn);
    for (const fn of plan) converted.add(fn);
    for (const call of calls) awaited.add(call);
    return { site: outcome, indent: indentationOf(outcome.statement, sourceFile) + forwardIndent };
  }

  for (const fn of converted) {
    const sourceFile = fn.getSourceFile();
    const { edits, session } = files.of(sourceFile);
    makeFunctionAsync(fn, analysis, context, sourceFile, edits, session, false);
    rewrites.push({ ...context.location(declaredName(fn) ?? fn), kind: 'make-async', message: `Made \`${functionName(fn)}\` async.` });
  }
  for (const call of awaited) {
    if (ts.isAwaitExpression(call.parent)) continue;
    const sourceFile = call.getSourceFile();
    awaitCall(call, sourceFile, files.of(sourceFile).edits);
    rewrites.push({ ...context.location(call), kind: 'add-await', message: `Awaited \`${call.expression.getText(sourceFile)}(…)\`, which now returns a promise.` });
  }
  // A function made async and the awaits added in its callers only make sense together.
  const touched = files.files();
  return { edits: files.finish(), groups: touched.length === 0 ? [] : [touched], rewrites, boundaries, manual };
}

function indexReferences(context: TransformContext, checker: ts.TypeChecker): ReferenceIndex {
  const names = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (isFunctionNode(node)) {
      const name = declaredName(node);
      if (name !== undefined) names.add(name.text);
    }
    ts.forEachChild(node, collect);
  };
  for (const file of context.projectFiles) collect(file);
  return new ReferenceIndex(context.projectFiles, checker, names);
}

/** A call of a callback API (Node's, or the program's own) with an inline callback last; undefined for any other call. */
function callbackCallOf(call: ts.CallExpression, checker: ts.TypeChecker, projectFiles: ReadonlySet<ts.SourceFile>): CallbackCall | undefined {
  const last = call.arguments[call.arguments.length - 1];
  if (last === undefined || !(ts.isArrowFunction(last) || ts.isFunctionExpression(last)) || last.parameters.length === 0) return undefined;
  const path = importedPath(call.expression, checker);
  if (path !== undefined) {
    const module = path.specifier.replace(/^node:/, '');
    // `import fs from 'node:fs'` reads as the default export's member.
    const name = path.path.replace(/^default\./, '');
    const api = callbackApis.find((candidate) => candidate.module === module && candidate.name === name);
    if (api !== undefined) return { call, callback: last, api: { kind: 'node', api } };
  }
  const declaration = checker.getResolvedSignature(call)?.declaration;
  if (declaration === undefined || !isFunctionNode(declaration) || !projectFiles.has(declaration.getSourceFile())) return undefined;
  const parameter = declaration.parameters[declaration.parameters.length - 1];
  if (parameter?.type === undefined || !ts.isFunctionTypeNode(parameter.type) || declaration.parameters.length !== call.arguments.length) return undefined;
  const [first] = parameter.type.parameters;
  // `(err: Error | null, value?: T) => void`: the Node convention, by name or by type.
  const errorFirst = first !== undefined && (/^(?:err|error|e)$/i.test(first.name.getText()) || /\bError\b/.test(first.type?.getText() ?? ''));
  return errorFirst ? { call, callback: last, api: { kind: 'program', declaration } } : undefined;
}

function describeApi(found: CallbackCall): string {
  return found.api.kind === 'node' ? `${found.api.api.module}.${found.api.api.name}` : functionName(found.api.declaration);
}

interface PlannedSite {
  readonly fn: FunctionNode;
  readonly statement: ts.ExpressionStatement;
  /** The promise-returning function to call, its imports added to the session (at planning time, before the edits are applied). */
  readonly promiseFunction: (session: ImportSession) => string;
  readonly render: (promiseFunction: string, indent: string, slice: (start: number, end: number) => string) => string[];
}

/** Checks that the call can become an await where it is, and prepares its text; a reason when it cannot. */
function planSite(found: CallbackCall, inline: InlineContext, inlined: ReadonlyMap<ts.Node, FunctionNode>, isHandler: (fn: FunctionNode) => boolean): PlannedSite | string {
  const { call, callback } = found;
  const { sourceFile } = inline;
  const statement = call.parent;
  const own = enclosingFunction(call);
  // Inside a callback that moves into its function, the call ends up in that function.
  const fn = own === undefined ? undefined : (inlined.get(own) ?? own);
  if (own === undefined || fn === undefined || !ts.isExpressionStatement(statement)) return 'its result is used where it is called, so the callback cannot move after an await';
  const body = own.body;
  if (body === undefined || !ts.isBlock(body) || body.statements[body.statements.length - 1] !== statement) {
    return 'the callback runs after the statements that follow the call; awaiting it would make them wait (move them into the callback first)';
  }
  if (own === fn && isCallbackArgument(own) && !isHandler(own)) return 'it is called inside a callback, which cannot wait for it';
  if (found.api.kind === 'program' && !ts.isIdentifier(call.expression)) return `\`${call.expression.getText(sourceFile)}\` is a method: promisifying it would lose its \`this\``;
  const branches = branchesOf(callback);
  if (typeof branches === 'string') return branches;
  const [, ...values] = callback.parameters;
  let binding: string | undefined;
  let assignment: string | undefined;
  if (values.length === 1) {
    binding = values[0]?.name.getText(sourceFile);
    assignment = binding;
  } else if (values.length > 1) {
    const results = found.api.kind === 'node' ? found.api.api.results : undefined;
    if (results === undefined || values.length > results.length) return `its callback takes ${String(values.length)} values, which its promise does not resolve to`;
    const parts = values.map((parameter, index) => {
      const name = parameter.name.getText(sourceFile);
      return name === results[index] ? name : `${results[index] ?? ''}: ${name}`;
    });
    binding = `{ ${parts.join(', ')} }`;
    assignment = `({ ${parts.join(', ')} }`;
  }
  if (values.some((parameter) => !ts.isIdentifier(parameter.name))) return 'its callback destructures a value';
  // The callback's names join the function's scope.
  const base = inline;
  const taken = namesInFunction(fn, statement);
  const collision = namesBroughtIn(callback, true).find((name) => taken.has(name));
  if (collision !== undefined) return `the callback's \`${collision}\` would collide with a name of \`${functionName(fn)}\``;
  const tail = branches.onValue[branches.onValue.length - 1];
  return {
    fn,
    statement,
    promiseFunction: (session) => {
      if (found.api.kind === 'node' && found.api.api.promises !== undefined) return session.binding(found.api.api.promises, found.api.api.name);
      return `${session.binding('node:util', 'promisify')}(${call.expression.getText(sourceFile)})`;
    },
    render: (promiseFunction, indent, slice) => {
      const inline = { ...base, slice };
      const args = call.arguments.slice(0, -1).map((argument) => slice(argument.getStart(sourceFile), argument.getEnd()));
      const promise = `${promiseFunction}(${args.join(', ')})`;
      const unit = inline.unit;
      const after = inlineStatements(branches.onValue, { kind: 'final', insideTry: false }, indent, inline, tail);
      if (branches.onError === undefined) {
        // `if (err) throw err`: the rejection leaves the function as the throw did.
        return [`${indent}${binding === undefined ? '' : `const ${binding} = `}await ${promise};`, ...after];
      }
      const onError = inlineStatements(branches.onError, { kind: 'final', insideTry: false }, indent + unit, inline, undefined);
      if (!endsInExit(onError) && after.length > 0) onError.push(`${indent}${unit}return;`);
      const declare = binding === undefined ? [] : values.length > 1 ? [`${indent}let ${values.map((parameter) => parameter.name.getText(sourceFile)).join(', ')};`] : [`${indent}let ${binding};`];
      const assign = assignment === undefined ? `await ${promise};` : values.length > 1 ? `${assignment} = await ${promise});` : `${assignment} = await ${promise};`;
      return [...declare, `${indent}try {`, `${indent}${unit}${assign}`, `${indent}} catch${catchClauseBinding(branches.error, callback, inline)} {`, ...onError, `${indent}}`, ...after];
    },
  };
}

/** Reads `if (err) { … } [else { … }] …rest` off the callback's body; a reason when it does not start by checking the error. */
function branchesOf(callback: ts.ArrowFunction | ts.FunctionExpression): Branches | string {
  const [errorParameter] = callback.parameters;
  if (errorParameter === undefined || !ts.isIdentifier(errorParameter.name)) return 'its callback does not name the error';
  const error = errorParameter.name;
  const body = callback.body;
  if (!ts.isBlock(body)) return 'its callback does not check the error before using the value';
  const [first, ...rest] = body.statements;
  if (first === undefined || !ts.isIfStatement(first) || !checksError(first.expression, error.text)) return 'its callback does not check the error before using the value';
  const branch = (statement: ts.Statement): readonly ts.Statement[] => (ts.isBlock(statement) ? statement.statements : [statement]);
  const onError = branch(first.thenStatement);
  const exits = onError.length > 0 && isExit(onError[onError.length - 1]);
  if (first.elseStatement === undefined && !exits && rest.length > 0) return 'its error branch falls through to the code that uses the value';
  const onValue = [...(first.elseStatement === undefined ? [] : branch(first.elseStatement)), ...rest];
  const [only] = onError;
  const rethrows = onError.length === 1 && only !== undefined && ts.isThrowStatement(only) && ts.isIdentifier(only.expression) && only.expression.text === error.text;
  return { error, onError: rethrows ? undefined : onError, onValue };
}

/** A function passed straight to a call (`items.forEach((item) => …)`): nothing awaits what it returns. */
function isCallbackArgument(fn: FunctionNode): boolean {
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) && node.parent.expression !== node;
}

function checksError(condition: ts.Expression, name: string): boolean {
  if (ts.isIdentifier(condition)) return condition.text === name;
  if (ts.isBinaryExpression(condition) && ts.isIdentifier(condition.left) && condition.left.text === name) {
    const operator = condition.operatorToken.kind;
    const right = condition.right;
    const nothing = right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined');
    return nothing && (operator === ts.SyntaxKind.ExclamationEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken);
  }
  return false;
}

function isExit(statement: ts.Statement | undefined): boolean {
  if (statement === undefined) return false;
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && isExit(statement.statements[statement.statements.length - 1]);
}
