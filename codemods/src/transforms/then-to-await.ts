import ts from 'typescript';

import { BlockingAnalysis, enclosingFunction, functionName, ImportSession, isAsyncFunction, isPromiseType, typeAt, type FunctionNode } from '@loopguard/core/analysis';

import {
  catchClauseBinding,
  endsInExit,
  indentationOf,
  indentUnit,
  inlineBody,
  namesBroughtIn,
  namesInFunction,
  whyNotInlinable,
  type InlineCallback,
  type InlineContext,
  type Sink,
} from '../async-propagation/inline-callbacks.js';
import { convertibleFunction, makeFunctionAsync, willForwardRejections } from '../async-propagation/make-function-async.js';
import { EditsByFile } from '../engine/edits-by-file.js';
import type { FileEdits } from '../engine/file-edits.js';
import { shorten } from './describe.js';
import type { ManualSite, Rewrite, Transform, TransformContext, TransformResult } from './types.js';

/** `base.then(a).then(b).catch(c).finally(d)`, read from the source. */
interface Chain {
  readonly outer: ts.CallExpression;
  readonly base: ts.Expression;
  /** One-argument `.then` steps, in order. */
  readonly steps: readonly InlineCallback[];
  /** A last `.then(onFulfilled, onRejected)`: the rejection handler does not see the fulfilment handler's errors. */
  readonly split: { readonly onFulfilled: InlineCallback; readonly onRejected: Handler } | undefined;
  readonly onRejected: Handler | undefined;
  readonly onFinally: Handler | undefined;
}

/** A rejection or settlement handler: inline, or a function named by a plain identifier (`.catch(next)`), called without `this` either way. */
type Handler = InlineCallback | ts.Identifier;

type Parsed = { readonly chain: Chain } | { readonly manual: string };

const chainMethods = new Set(['then', 'catch', 'finally']);

/**
 * `then-to-await`: rewrites `.then/.catch/.finally` chains in handlers and async functions (and
 * functions that return a chain) as `await` with `try/catch/finally`, callback bodies moved into the
 * function. A chain returned or ending its function becomes statements; a chain in any other place
 * (assigned, awaited later, passed on) an async function called in its place, so it still runs
 * alongside what follows. `.then(onFulfilled, onRejected)` keeps its meaning: the rejection handler
 * never sees the fulfilment handler's errors. What cannot move without changing behaviour is
 * reported for a person with the reason.
 */
export const thenToAwait: Transform = {
  slug: 'then-to-await',
  description: 'Rewrite .then/.catch/.finally chains as await with try/catch/finally, keeping their semantics; report what cannot move safely.',
  leftForAPerson: ['promise chain that cannot move safely', 'promise chains that cannot move safely'],
  run,
};

function run(context: TransformContext): TransformResult {
  const { program, checker } = context;
  const analysis = new BlockingAnalysis({ frameworks: context.frameworks, projectRoot: context.projectRoot }, program);
  const files = new EditsByFile();
  const rewrites: Rewrite[] = [];
  const manual: ManualSite[] = [];
  const madeAsync = new Set<FunctionNode>();
  const changed = new Set<ts.SourceFile>();

  for (const sourceFile of context.selectedFiles) {
    if (context.isTestFile(sourceFile)) continue;
    const unit = indentUnit(sourceFile);
    const visit = (node: ts.Node): void => {
      const parsed = ts.isCallExpression(node) ? parseChain(node, program, checker) : undefined;
      if (parsed === undefined) {
        ts.forEachChild(node, visit);
        return;
      }
      // The chain's callbacks are part of its rewrite: chains inside them are handled with it or not at all.
      if ('manual' in parsed) {
        manual.push({ ...context.location(node), api: 'promise chain', message: `${parsed.manual}: convert it by hand.`, chain: [] });
        return;
      }
      const { edits: fileEdits, session } = files.of(sourceFile);
      const inline: InlineContext = {
        sourceFile,
        program,
        checker,
        unit,
        slice: (start, end) => sourceFile.text.slice(start, end),
        // A chain a callback returns is inlined with it, into the same place.
        nested: (expression, sink, indent, why) => {
          const inner = ts.isCallExpression(skipParentheses(expression)) ? parseChain(skipParentheses(expression) as ts.CallExpression, program, checker) : undefined;
          if (inner === undefined) return undefined;
          if ('manual' in inner) {
            why.reason = `a callback returns a chain that cannot be rewritten (${inner.manual})`;
            return undefined;
          }
          const target = sink.kind === 'return' ? 'return' : sink.kind === 'final' ? 'final' : sink.kind === 'discard' ? 'discard' : sink.kind === 'bind' && sink.binding !== undefined ? { binding: sink.binding, type: sink.type } : undefined;
          const lines = target === undefined ? undefined : chainStatements(inner.chain, target, indent, unit, inline, why);
          if (lines === undefined && why.reason === undefined) why.reason = 'a callback returns a chain whose value cannot be handed on here';
          return lines;
        },
      };
      const outcome = planChain(parsed.chain, inline, context, analysis, fileEdits, session, madeAsync);
      if (typeof outcome === 'string') {
        manual.push({ ...context.location(node), api: 'promise chain', message: `${outcome}: convert it by hand.`, chain: [] });
        return;
      }
      // Nothing planned: the chain reads best as it is.
      if (outcome === undefined) return;
      changed.add(sourceFile);
      rewrites.push({ ...context.location(node), kind: 'replace-call', message: outcome.message });
      if (outcome.madeAsync !== undefined) rewrites.push({ ...context.location(outcome.madeAsync), kind: 'make-async', message: `Made \`${functionName(outcome.madeAsync)}\` async.` });
    };
    visit(sourceFile);
  }
  const written = [...files.finish()].filter(([sourceFile]) => changed.has(sourceFile));
  // A function made async changes nothing its callers see (it returned a promise, or it is a handler): each file stands alone.
  return { edits: new Map(written), groups: written.map(([sourceFile]) => [sourceFile]), rewrites, boundaries: [], manual };
}

/**
 * Reads a chain from its outermost call. Undefined when the call is not a chain on a promise; a
 * reason when it is one that cannot be rewritten without changing behaviour.
 */
function parseChain(outer: ts.CallExpression, program: ts.Program, checker: ts.TypeChecker): Parsed | undefined {
  if (!isChainCall(outer)) return undefined;
  // Only the outermost call of a chain starts one (`a.then(f)` inside `a.then(f).catch(g)` is part of it).
  if (ts.isPropertyAccessExpression(outer.parent) && outer.parent.expression === outer && ts.isCallExpression(outer.parent.parent) && isChainCall(outer.parent.parent)) return undefined;
  const links: ts.CallExpression[] = [];
  let current: ts.Expression = outer;
  while (ts.isCallExpression(current) && isChainCall(current)) {
    links.unshift(current);
    current = (current.expression as ts.PropertyAccessExpression).expression;
  }
  const base = current;
  if (!isPromiseType(program, checker, typeAt(checker, base))) return undefined;
  const steps: InlineCallback[] = [];
  let split: Chain['split'];
  let onRejected: Handler | undefined;
  let onFinally: Handler | undefined;
  for (const link of links) {
    const method = (link.expression as ts.PropertyAccessExpression).name.text;
    const args = link.arguments;
    if (args.some((argument) => ts.isSpreadElement(argument))) return { manual: `\`.${method}(…)\` takes spread arguments` };
    const callbacks: Handler[] = [];
    for (const [index, argument] of args.entries()) {
      const inner = skipParentheses(argument);
      // A plain name is called as the chain would call it; a method (`obj.m`) would gain a `this`.
      const handlerSlot = method !== 'then' || index === 1;
      if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || (handlerSlot && ts.isIdentifier(inner) && !isNothing(inner))) callbacks.push(inner);
      else if (!isNothing(inner)) return { manual: `\`.${method}(${argument.getText()})\` passes ${ts.isIdentifier(inner) ? 'its fulfilment handler by name' : 'a method or computed function'}; calling it inline could change its \`this\` or arguments` };
    }
    const [firstArgument] = args;
    const rejectionOnly = method === 'then' && args.length === 2 && firstArgument !== undefined && isNothing(skipParentheses(firstArgument));
    const order = onFinally !== undefined ? 'after `.finally`' : onRejected !== undefined || split !== undefined ? 'after a rejection handler' : undefined;
    if (method === 'finally') {
      if (onFinally !== undefined) return { manual: 'the chain has two `.finally` steps' };
      onFinally = callbacks[0];
      if (onFinally === undefined) return { manual: '`.finally()` without a callback' };
      continue;
    }
    if (order !== undefined) return { manual: `a \`.${method}\` step comes ${order}, so recovered values flow on` };
    if (method === 'catch' || rejectionOnly) {
      onRejected = callbacks[0];
      if (onRejected === undefined) return { manual: `\`.${method}()\` without a callback` };
      continue;
    }
    const [fulfilled, rejected] = callbacks;
    if (fulfilled === undefined || ts.isIdentifier(fulfilled) || args.length > 2) return { manual: '`.then` without a fulfilment callback' };
    const onFulfilled = fulfilled;
    if (rejected !== undefined) split = { onFulfilled, onRejected: rejected };
    else steps.push(onFulfilled);
  }
  for (const callback of [...steps, split?.onFulfilled, split?.onRejected, onRejected]) {
    const why = callback === undefined || ts.isIdentifier(callback) ? undefined : whyNotInlinable(callback, 1);
    if (why !== undefined) return { manual: why };
  }
  if (onFinally !== undefined && !ts.isIdentifier(onFinally)) {
    const why = whyNotInlinable(onFinally, 0);
    if (why !== undefined) return { manual: why };
  }
  // A chain nested deeper inside a callback would be left for a second run: the outer one is left whole.
  for (const callback of [...steps, split?.onFulfilled, split?.onRejected, onRejected, onFinally]) {
    if (callback !== undefined && !ts.isIdentifier(callback) && containsNestedChain(callback, program, checker)) return { manual: 'a callback holds another promise chain inside a statement, not as its value' };
  }
  return { chain: { outer, base, steps, split, onRejected, onFinally } };
}

function isChainCall(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && call.expression.questionDotToken === undefined && call.questionDotToken === undefined && ts.isIdentifier(call.expression.name) && chainMethods.has(call.expression.name.text);
}

function isNothing(expression: ts.Expression): boolean {
  return expression.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(expression) && expression.text === 'undefined');
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

/** A chain inside a callback other than as its value (`(u) => load(u).then(…)`, `return load(u).then(…)` last), which the rewrite takes along. */
function containsNestedChain(callback: InlineCallback, program: ts.Program, checker: ts.TypeChecker): boolean {
  const body = callback.body;
  const tail = ts.isBlock(body) ? body.statements[body.statements.length - 1] : undefined;
  const allowed = ts.isBlock(body) ? (tail !== undefined && ts.isReturnStatement(tail) ? tail.expression : undefined) : body;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node !== allowed && ts.isCallExpression(node) && isChainCall(node) && parseChain(node, program, checker) !== undefined) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** Where the chain is, which decides what it becomes. */
type Position =
  | { readonly kind: 'return'; readonly statement: ts.Statement; readonly fn: FunctionNode }
  | { readonly kind: 'arrow-body'; readonly fn: ts.ArrowFunction }
  | { readonly kind: 'final'; readonly statement: ts.ExpressionStatement; readonly fn: FunctionNode }
  | { readonly kind: 'awaited-statement'; readonly statement: ts.ExpressionStatement; readonly fn: FunctionNode }
  | { readonly kind: 'declaration'; readonly statement: ts.VariableStatement; readonly declaration: ts.VariableDeclaration; readonly initializer: ts.Expression; readonly fn: FunctionNode }
  | { readonly kind: 'value'; readonly expression: ts.Expression };

function positionOf(chain: Chain): Position | string {
  let node: ts.Node = chain.outer;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  const awaited = ts.isAwaitExpression(parent);
  const holder = awaited ? parent.parent : parent;
  const fn = enclosingFunction(chain.outer);
  if (ts.isArrowFunction(parent) && parent.body === node) return { kind: 'arrow-body', fn: parent };
  if (fn !== undefined && ts.isReturnStatement(holder)) return insideTryWithCatch(holder, fn) ? 'it is returned inside a `try` block, whose `catch` would start catching its rejections once awaited' : { kind: 'return', statement: holder, fn };
  if (fn !== undefined && ts.isExpressionStatement(holder)) {
    if (awaited) return { kind: 'awaited-statement', statement: holder, fn };
    const body = fn.body;
    const last = body !== undefined && ts.isBlock(body) ? body.statements[body.statements.length - 1] : undefined;
    if (last !== holder) return 'the chain runs alongside the statements after it; awaiting it would make them wait for it (decide which you mean)';
    return { kind: 'final', statement: holder, fn };
  }
  if (fn !== undefined && awaited && ts.isVariableDeclaration(holder) && ts.isVariableDeclarationList(holder.parent) && holder.parent.declarations.length === 1 && ts.isVariableStatement(holder.parent.parent)) {
    return { kind: 'declaration', statement: holder.parent.parent, declaration: holder, initializer: parent, fn };
  }
  return { kind: 'value', expression: awaited ? parent : (node as ts.Expression) };
}

function insideTryWithCatch(statement: ts.Statement, fn: FunctionNode): boolean {
  for (let current: ts.Node = statement; current !== fn; current = current.parent) {
    if (ts.isBlock(current) && ts.isTryStatement(current.parent) && current.parent.tryBlock === current && current.parent.catchClause !== undefined) return true;
  }
  return false;
}

interface Planned {
  readonly message: string;
  readonly madeAsync: FunctionNode | undefined;
}

function allExpressionBodies(chain: Chain): boolean {
  return [...chain.steps, chain.split?.onFulfilled, chain.split?.onRejected, chain.onRejected, chain.onFinally].every((callback) => callback === undefined || ts.isIdentifier(callback) || !ts.isBlock(callback.body));
}

function planChain(
  chain: Chain,
  inline: InlineContext,
  context: TransformContext,
  analysis: BlockingAnalysis,
  fileEdits: FileEdits,
  session: ImportSession,
  madeAsync: Set<FunctionNode>,
): Planned | string | undefined {
  const { sourceFile } = inline;
  const position = positionOf(chain);
  if (typeof position === 'string') return position;
  // Names the callbacks bring into one scope must not collide with each other or with the function's.
  const scopeOwner = position.kind === 'value' ? undefined : position.fn;
  const brought = namesBroughtInAll(chain);
  const taken = scopeOwner === undefined ? new Set<string>() : namesInFunction(scopeOwner, chain.outer);
  const seen = new Set<string>();
  for (const name of brought) {
    if (seen.has(name) || taken.has(name)) return `the callbacks' names (\`${name}\`) would collide once they share one scope`;
    seen.add(name);
  }
  const describe = `Rewrote \`${shorten(chain.outer.getText(sourceFile))}\` with await`;
  const unit = inline.unit;

  switch (position.kind) {
    case 'return':
    case 'final': {
      const fn = position.fn;
      const needsAsync = !isAsyncFunction(fn);
      if (needsAsync) {
        const problem = convertibleFunction(fn, position.kind === 'final', analysis, context);
        if (problem !== undefined) return problem;
      }
      const covered = coversBody(fn, position.statement, chain);
      // A handler whose body goes inside a forwarding `try` gets its lines one level deeper.
      const indent = indentationOf(position.statement, sourceFile) + (needsAsync && willForwardRejections(fn, analysis, context, covered) ? unit : '');
      const why: { reason?: string } = {};
      const lines = chainStatements(chain, position.kind, indent, unit, inline, why);
      if (lines === undefined) return why.reason ?? 'the chain cannot be inlined';
      fileEdits.wrap(position.statement.getStart(sourceFile), position.statement.getEnd(), () => lines.join('\n').trimStart());
      if (needsAsync && !madeAsync.has(fn)) {
        madeAsync.add(fn);
        makeFunctionAsync(fn, analysis, context, sourceFile, fileEdits, session, covered);
        return { message: `${describe}.`, madeAsync: fn };
      }
      return { message: `${describe}.`, madeAsync: undefined };
    }
    case 'arrow-body': {
      const fn = position.fn;
      const problem = isAsyncFunction(fn) ? undefined : convertibleFunction(fn, false, analysis, context);
      if (problem !== undefined) return problem;
      const indent = indentationOf(fn, sourceFile);
      const why: { reason?: string } = {};
      const lines = chainStatements(chain, 'return', indent + unit, unit, inline, why);
      if (lines === undefined) return why.reason ?? 'the chain cannot be inlined';
      // From the arrow on, so a body that started on the next line joins it.
      fileEdits.wrap(fn.equalsGreaterThanToken.getEnd(), fn.body.getEnd(), () => ` {\n${lines.join('\n')}\n${indent}}`);
      if (!isAsyncFunction(fn) && !madeAsync.has(fn)) {
        madeAsync.add(fn);
        makeFunctionAsync(fn, analysis, context, sourceFile, fileEdits, session, false);
        return { message: `${describe}.`, madeAsync: fn };
      }
      return { message: `${describe}.`, madeAsync: undefined };
    }
    case 'awaited-statement': {
      const indent = indentationOf(position.statement, sourceFile);
      const why: { reason?: string } = {};
      const lines = chainStatements(chain, 'discard', indent, unit, inline, why) ?? iife(chain, indent, unit, inline, why, 'await ');
      if (lines === undefined) return why.reason ?? 'the chain cannot be inlined';
      fileEdits.wrap(position.statement.getStart(sourceFile), position.statement.getEnd(), () => lines.join('\n').trimStart());
      return { message: `${describe}.`, madeAsync: undefined };
    }
    case 'declaration': {
      const statement = position.statement;
      const { declaration, initializer } = position;
      const indent = indentationOf(statement, sourceFile);
      const keyword = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0 ? 'const' : (statement.declarationList.flags & ts.NodeFlags.Let) !== 0 ? 'let' : 'var';
      const why: { reason?: string } = {};
      const target = { name: declaration.name.getText(sourceFile), keyword, type: declaration.type?.getText(sourceFile) };
      const flat = keyword === 'const' && ts.isIdentifier(declaration.name) && !namesBroughtInAll(chain).includes(target.name) ? chainStatements(chain, { binding: target.name, type: target.type }, indent, unit, inline, why) : undefined;
      if (flat !== undefined) {
        fileEdits.wrap(statement.getStart(sourceFile), statement.getEnd(), () => flat.join('\n').trimStart());
        return { message: `${describe}.`, madeAsync: undefined };
      }
      const lines = iife(chain, indent, unit, inline, why, 'await ');
      if (lines === undefined) return why.reason ?? 'the chain cannot be inlined';
      fileEdits.wrap(initializer.getStart(sourceFile), initializer.getEnd(), () => lines.join('\n').trimStart());
      return { message: `${describe}.`, madeAsync: undefined };
    }
    case 'value': {
      // `await p.catch(() => fallback)` inside an expression is the idiom at its most readable: left as it is.
      if (position.expression !== chain.outer && ts.isAwaitExpression(position.expression) && allExpressionBodies(chain)) return undefined;
      let node: ts.Node = chain.outer;
      while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
      const statement = ancestorStatement(chain.outer);
      const indent = statement === undefined ? '' : indentationOf(statement, sourceFile);
      const why: { reason?: string } = {};
      const lines = iife(chain, indent, unit, inline, why, '');
      if (lines === undefined) return why.reason ?? 'the chain cannot be inlined';
      fileEdits.wrap(node.getStart(sourceFile), node.getEnd(), () => lines.join('\n').trimStart());
      return { message: `${describe}, in an async function called in its place so it still runs alongside what follows.`, madeAsync: undefined };
    }
  }
}

/** The chain is the function's only statement and ends in a rejection handler: nothing is left for a `try` around the body to catch. */
function coversBody(fn: FunctionNode, statement: ts.Statement, chain: Chain): boolean {
  const body = fn.body;
  return body !== undefined && ts.isBlock(body) && body.statements.length === 1 && body.statements[0] === statement && chain.onRejected !== undefined && chain.onFinally === undefined;
}

function namesBroughtInAll(chain: Chain): string[] {
  return [...chain.steps, chain.split?.onFulfilled].flatMap((callback) => (callback === undefined ? [] : namesBroughtIn(callback, true)));
}

function ancestorStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node = node; !ts.isSourceFile(current); current = current.parent) if (ts.isStatement(current)) return current;
  return undefined;
}

/** `(async () => { … })()`: the chain's statements in an async function called where the chain was. */
function iife(chain: Chain, indent: string, unit: string, inline: InlineContext, why: { reason?: string }, prefix: string): string[] | undefined {
  const lines = chainStatements(chain, 'return', indent + unit, unit, inline, why);
  if (lines === undefined) return undefined;
  return [`${indent}${prefix}(async () => {`, ...lines, `${indent}})()`];
}

/**
 * The statements a chain becomes, at an indentation, delivering its value to `target`: returned,
 * dropped at the end of the function, dropped mid-function (awaited), or bound to a new `const`.
 */
function chainStatements(
  chain: Chain,
  target: 'return' | 'final' | 'discard' | { readonly binding: string; readonly type: string | undefined },
  indent: string,
  unit: string,
  inline: InlineContext,
  why: { reason?: string },
): string[] | undefined {
  const { sourceFile, slice } = inline;
  const guarded = chain.onRejected !== undefined || chain.onFinally !== undefined || chain.split !== undefined;
  if (typeof target === 'object' && guarded) return undefined;
  // After the rejection handler of `.then(f, g)` the function must leave, to skip `f`: only where nothing follows.
  if (target === 'discard' && chain.split !== undefined) return undefined;
  const inner = chain.onRejected !== undefined || chain.onFinally !== undefined ? indent + unit : indent;
  const insideTry = chain.onRejected !== undefined || chain.onFinally !== undefined;
  const sinkFor = (last: boolean, next: InlineCallback | undefined, insideTryBlock: boolean): Sink => {
    if (!last) return { kind: 'bind', binding: next === undefined ? undefined : parameterOf(next, sourceFile), type: next === undefined ? undefined : parameterType(next, sourceFile) };
    if (typeof target === 'object') return { kind: 'bind', binding: target.binding, type: target.type };
    if (target === 'return') return { kind: 'return', insideTry: insideTryBlock };
    if (target === 'final') return { kind: 'final', insideTry: insideTryBlock };
    return { kind: 'discard' };
  };
  const body: string[] = [];
  // The base: awaited into the first step's parameter (or the split's, or dropped).
  const first = chain.steps[0] ?? chain.split?.onFulfilled;
  const baseText = slice(chain.base.getStart(sourceFile), chain.base.getEnd());
  const splitTarget = chain.split === undefined ? undefined : parameterOf(chain.split.onFulfilled, sourceFile);
  const bindBase = (at: string, binding: string | undefined, type: string | undefined): string => (binding === undefined ? `${at}await ${baseText};` : `${at}const ${binding}${type === undefined ? '' : `: ${type}`} = await ${baseText};`);
  const stepsAt = chain.split === undefined ? inner : inner + unit;
  if (chain.steps.length === 0 && chain.split === undefined) {
    // `base.catch(g)` or `base.finally(h)`: the base's value is the chain's.
    const sink = sinkFor(true, undefined, insideTry);
    if (sink.kind === 'return') body.push(`${inner}return await ${baseText};`);
    else if (sink.kind === 'bind' && sink.binding !== undefined) body.push(`${inner}const ${sink.binding} = await ${baseText};`);
    else body.push(`${inner}await ${baseText};`);
  } else if (chain.steps.length === 0) {
    body.push(`${stepsAt}${splitTarget === undefined ? '' : `${splitTarget} = `}await ${baseText};`);
  } else {
    body.push(bindBase(stepsAt, first === undefined ? undefined : parameterOf(first, sourceFile), first === undefined ? undefined : parameterType(first, sourceFile)));
  }
  chain.steps.forEach((step, index) => {
    if (why.reason !== undefined) return;
    const next = chain.steps[index + 1];
    // The last plain step before `.then(onFulfilled, onRejected)` hands its value over through the `let` declared before the `try`.
    const sink: Sink = next === undefined && chain.split !== undefined ? { kind: 'assign', binding: splitTarget } : sinkFor(next === undefined, next, insideTry);
    const lines = inlineBody(step, sink, stepsAt, inline, why);
    if (lines !== undefined) body.push(...lines);
  });
  if (why.reason !== undefined) return undefined;
  let statements = body;
  if (chain.split !== undefined) {
    // `.then(f, g)`: only what came before `f` is guarded by `g`; `f` runs after the `try`.
    const rejected = chain.split.onRejected;
    const handled = handlerLines(rejected, sinkFor(true, undefined, insideTry), inner + unit, inline, why);
    const fulfilled = inlineBody(chain.split.onFulfilled, sinkFor(true, undefined, insideTry), inner, inline, why);
    if (handled === undefined || fulfilled === undefined) return undefined;
    if (!endsInExit(handled)) handled.push(`${inner}${unit}return;`);
    const letLine = splitTarget === undefined ? [] : [`${inner}let ${splitTarget};`];
    statements = [...letLine, `${inner}try {`, ...body, `${inner}} catch${catchBinding(rejected, inline)} {`, ...handled, `${inner}}`, ...fulfilled];
  }
  if (chain.onRejected !== undefined) {
    const handled = handlerLines(chain.onRejected, sinkFor(true, undefined, chain.onFinally !== undefined), indent + unit, inline, why);
    if (handled === undefined) return undefined;
    const finallyLines = chain.onFinally === undefined ? [] : finallyBlock(chain.onFinally, indent, unit, inline, why);
    if (finallyLines === undefined) return undefined;
    statements = [`${indent}try {`, ...statements, `${indent}} catch${catchBinding(chain.onRejected, inline)} {`, ...handled, ...(finallyLines.length === 0 ? [`${indent}}`] : finallyLines)];
  } else if (chain.onFinally !== undefined) {
    const finallyLines = finallyBlock(chain.onFinally, indent, unit, inline, why);
    if (finallyLines === undefined) return undefined;
    statements = [`${indent}try {`, ...statements, ...finallyLines];
  }
  return statements;
}

/** The statements of a rejection or settlement handler; a named one is called with the caught error (or nothing). */
function handlerLines(handler: Handler, sink: Sink, indent: string, inline: InlineContext, why: { reason?: string }, argument = 'error'): string[] | undefined {
  if (!ts.isIdentifier(handler)) return inlineBody(handler, sink, indent, inline, why);
  const signatures = inline.checker.getTypeAtLocation(handler).getCallSignatures();
  const awaited = signatures.some((signature) => isPromiseType(inline.program, inline.checker, signature.getReturnType(), { thenables: true }));
  const call = `${handler.text}(${argument})`;
  if (sink.kind === 'return') return [`${indent}return ${awaited && sink.insideTry ? 'await ' : ''}${call};`];
  return [`${indent}${awaited ? 'await ' : ''}${call};`];
}

function finallyBlock(callback: Handler, indent: string, unit: string, inline: InlineContext, why: { reason?: string }): string[] | undefined {
  const lines = handlerLines(callback, { kind: 'discard' }, indent + unit, inline, why, '');
  if (lines === undefined) return undefined;
  return [`${indent}} finally {`, ...lines, `${indent}}`];
}

function parameterOf(callback: InlineCallback, sourceFile: ts.SourceFile): string | undefined {
  const [parameter] = callback.parameters;
  if (parameter === undefined) return undefined;
  return parameter.name.getText(sourceFile);
}

function parameterType(callback: InlineCallback, sourceFile: ts.SourceFile): string | undefined {
  return callback.parameters[0]?.type?.getText(sourceFile);
}

/** ` (err)` for a rejection handler's parameter (see `catchClauseBinding`); ` (error)` for a named one's argument. */
function catchBinding(callback: Handler, inline: InlineContext): string {
  if (ts.isIdentifier(callback)) return ' (error)';
  const [parameter] = callback.parameters;
  if (parameter === undefined) return '';
  return ts.isIdentifier(parameter.name) ? catchClauseBinding(parameter.name, callback, inline) : ` (${parameter.name.getText(inline.sourceFile)}: any)`;
}
