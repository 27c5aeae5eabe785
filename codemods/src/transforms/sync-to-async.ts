import ts from 'typescript';

import {
  BlockingAnalysis,
  enclosingFunction,
  functionName,
  isAsyncFunction,
  isFunctionNode,
  matchBusyWait,
  nextParameterIndex,
  planReplacement,
  resolveCall,
  returnsPromise,
  unsupportedOptionUse,
  type FunctionNode,
  type HandlerInfo,
} from '@loopguard/core/analysis';
import { apiDisplayName, defaultCatalog, type BlockingApi } from '@loopguard/core/catalog';
import type { FrameworkDefinition } from '@loopguard/core/registry';

import { declarationBoundary, indexSubclasses, promiseAcceptingSlot, type BoundaryReason } from '../async-propagation/boundaries.js';
import { asiGuard, awaitCall, forwardRejections, makeAsync } from '../async-propagation/function-edits.js';
import { forwardsRejections } from '../async-propagation/make-function-async.js';
import { declaredName, ReferenceIndex } from '../async-propagation/references.js';
import { importsLeftUnused } from '../async-propagation/unused-imports.js';
import { EditsByFile, type FileEditEntry } from '../engine/edits-by-file.js';
import { shorten } from './describe.js';
import type { Boundary, ManualSite, Rewrite, Transform, TransformContext, TransformResult } from './types.js';

/** A blocking call inside a function that serves requests. */
interface Site {
  readonly call: ts.CallExpression | ts.NewExpression;
  readonly api: BlockingApi;
  /** Why it cannot be rewritten mechanically; undefined when it can. */
  readonly manual: string | undefined;
}

interface FunctionFacts {
  readonly sites: Site[];
  readonly callees: Set<FunctionNode>;
}

/** A call of a function that becomes async, from a function that is or becomes async. */
interface CallEdge {
  readonly call: ts.CallExpression;
  readonly caller: FunctionNode;
}

type Blocked = (BoundaryReason & { readonly at: ts.Node }) | { readonly reason: 'inherited'; readonly from: FunctionNode };

/**
 * `sync-to-async`: rewrites blocking calls reached while serving requests to their async
 * replacements from the core catalog, makes the functions that contain them async, and follows
 * their callers across the program, adding `await` and making each caller async, up to a handler,
 * an async function or a boundary, where it stops and reports why.
 */
export const syncToAsync: Transform = {
  slug: 'sync-to-async',
  description: 'Replace blocking calls in request handlers and the functions they reach with their async versions, and make every caller await them.',
  leftForAPerson: ['blocking call with no mechanical async replacement', 'blocking calls with no mechanical async replacement'],
  run,
};

function run(context: TransformContext): TransformResult {
  const { checker, program } = context;
  const analysis = new BlockingAnalysis({ frameworks: context.frameworks, projectRoot: context.projectRoot }, program);
  const projectFileSet = new Set(context.projectFiles);

  // 1. Functions that serve requests, from the selected files: handlers and async functions.
  const roots: FunctionNode[] = [];
  const names = new Set<string>();
  const collect = (node: ts.Node, selected: boolean): void => {
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name !== undefined) names.add(node.name.text);
    if (isFunctionNode(node)) {
      const name = declaredName(node);
      if (name !== undefined) names.add(name.text);
      if (selected && (isAsyncFunction(node) || analysis.handlerInfo(node) !== undefined)) roots.push(node);
    }
    ts.forEachChild(node, (child) => {
      collect(child, selected);
    });
  };
  // Tests call handlers and helpers, but they do not serve requests: they are followed as callers only.
  for (const file of context.projectFiles) collect(file, context.selectedFiles.has(file) && !context.isTestFile(file));

  // 2. Everything they reach, with the blocking calls each function makes itself.
  const facts = new Map<FunctionNode, FunctionFacts>();
  const manual: ManualSite[] = [];
  const reach = [...roots];
  while (reach.length > 0) {
    const fn = reach.pop();
    if (fn === undefined || facts.has(fn)) continue;
    const found: FunctionFacts = { sites: [], callees: new Set() };
    facts.set(fn, found);
    const visit = (node: ts.Node): void => {
      if (node !== fn && isFunctionNode(node)) {
        reach.push(node);
        return;
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const target = resolveCall(node, { catalog: defaultCatalog, checker });
        if (target?.kind === 'blocking') found.sites.push({ call: node, api: target.api, manual: whyManual(target.api, node) });
        else if (target?.kind === 'function' && projectFileSet.has(target.declaration.getSourceFile())) {
          found.callees.add(target.declaration);
          reach.push(target.declaration);
        } else if (target === undefined && ts.isNewExpression(node)) {
          // A constructor runs too: its blocking calls are reported at the boundary it is.
          const declaration = checker.getResolvedSignature(node)?.declaration;
          if (declaration !== undefined && ts.isConstructorDeclaration(declaration) && declaration.body !== undefined && projectFileSet.has(declaration.getSourceFile())) {
            found.callees.add(declaration);
            reach.push(declaration);
          }
        }
      } else if (ts.isPropertyAccessExpression(node)) {
        // So does a getter or setter, without a call expression in sight.
        const accessor = checker.getSymbolAtLocation(node.name)?.declarations?.find((declaration) => (ts.isGetAccessorDeclaration(declaration) || ts.isSetAccessorDeclaration(declaration)) && declaration.body !== undefined);
        if (accessor !== undefined && isFunctionNode(accessor) && projectFileSet.has(accessor.getSourceFile())) {
          found.callees.add(accessor);
          reach.push(accessor);
        }
      } else if (ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node)) {
        const pattern = matchBusyWait(node, defaultCatalog.busyWaitPatterns);
        if (pattern !== undefined) {
          manual.push({ ...context.location(node), api: 'busy-wait loop', message: `${pattern.reason} ${pattern.advice}`, chain: [describeFunction(fn)] });
        }
      }
      ts.forEachChild(node, visit);
    };
    // Parameter defaults run on every call too.
    for (const parameter of fn.parameters) if (parameter.initializer !== undefined) visit(parameter.initializer);
    if (fn.body !== undefined) visit(fn.body);
    for (const site of found.sites) {
      if (site.manual !== undefined) manual.push({ ...context.location(site.call), api: apiDisplayName(site.api), message: site.manual, chain: [describeFunction(fn), apiDisplayName(site.api)] });
    }
  }

  // 3. Upward: every caller of a function that becomes async must await it, so becomes async too.
  const references = new ReferenceIndex(context.projectFiles, checker, names);
  const subclasses = indexSubclasses(context.projectFiles, checker);
  const candidates = new Set<FunctionNode>();
  const callers = new Map<FunctionNode, CallEdge[]>();
  const cause = new Map<FunctionNode, FunctionNode | Site>();
  const blocked = new Map<FunctionNode, Blocked>();
  const queue: FunctionNode[] = [];
  for (const [fn, found] of facts) {
    const rewritable = found.sites.find((site) => site.manual === undefined);
    if (rewritable === undefined || isAsyncFunction(fn)) continue;
    cause.set(fn, rewritable);
    queue.push(fn);
  }
  while (queue.length > 0) {
    const fn = queue.shift();
    if (fn === undefined || candidates.has(fn)) continue;
    candidates.add(fn);
    const handler = analysis.handlerInfo(fn);
    const stop = handler === undefined ? declarationBoundary(fn, program, subclasses, (owner) => references.instanceSlots(owner), context.isPublicApi) : handlerBoundary(fn, handler, context.frameworks);
    if (stop !== undefined) {
      blocked.set(fn, { ...stop, at: declaredName(fn) ?? fn });
      continue;
    }
    const edges: CallEdge[] = [];
    callers.set(fn, edges);
    // It returns a promise already (`(): Promise<T>` without `async`): callers get a promise either
    // way, so making it async changes nothing for them and they are left alone.
    if (returnsPromise(program, checker, checker.getTypeAtLocation(fn))) continue;
    const name = declaredName(fn);
    if (handler === undefined && (name === undefined || hasTypedSlot(fn, checker))) {
      const problem = promiseAcceptingSlot(fn as ts.Expression, program, context.isTestFile(fn.getSourceFile()));
      if (problem !== undefined) {
        blocked.set(fn, { reason: 'callback', message: `\`${describeFunction(fn)}\` cannot become async: ${problem}.`, at: fn });
        continue;
      }
    }
    for (const reference of references.referencesOf(fn)) {
      const stopHere = referenceBoundary(fn, reference, handler, program, context.isTestFile(reference.node.getSourceFile()));
      if (stopHere !== undefined) {
        blocked.set(fn, stopHere);
        break;
      }
      if (reference.kind !== 'call') continue;
      const caller = enclosingFunction(reference.call);
      if (caller === undefined) continue;
      edges.push({ call: reference.call, caller });
      if (!isAsyncFunction(caller) && !candidates.has(caller)) {
        if (!cause.has(caller)) cause.set(caller, fn);
        queue.push(caller);
      }
    }
  }

  // 4. A function whose caller must stay sync must stay sync too: it would hand that caller a promise.
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of candidates) {
      if (blocked.has(fn)) continue;
      const stuck = callers.get(fn)?.find((edge) => blocked.has(edge.caller));
      if (stuck !== undefined) {
        blocked.set(fn, { reason: 'inherited', from: stuck.caller });
        changed = true;
      }
    }
  }

  // 5. What actually becomes async: functions with a rewritable call, and their callers.
  const converted = new Set<FunctionNode>();
  const upward = [...candidates].filter((fn) => !blocked.has(fn) && (facts.get(fn)?.sites.some((site) => site.manual === undefined) ?? false));
  while (upward.length > 0) {
    const fn = upward.pop();
    if (fn === undefined || converted.has(fn)) continue;
    converted.add(fn);
    for (const edge of callers.get(fn) ?? []) if (!isAsyncFunction(edge.caller) && !blocked.has(edge.caller)) upward.push(edge.caller);
  }

  // 6. Edits, planned per file and applied in one batch by the engine.
  const files = new EditsByFile();
  const fileOf = (node: ts.Node): FileEditEntry => files.of(node.getSourceFile());
  const rewrites: Rewrite[] = [];
  const rewrittenCalls = new Map<ts.SourceFile, (ts.CallExpression | ts.NewExpression)[]>();
  const groups = new UnionFind<ts.SourceFile>();
  for (const [fn, found] of facts) {
    if (!isAsyncFunction(fn) && !converted.has(fn)) continue;
    for (const site of found.sites) {
      if (site.manual !== undefined || site.api.replacement === undefined) continue;
      const { edits, session } = fileOf(site.call);
      const sourceFile = site.call.getSourceFile();
      const replacement = site.api.replacement;
      const plan = planReplacement(sourceFile, site.call, replacement, { session });
      edits.wrap(site.call.getStart(sourceFile), site.call.getEnd(), (_inner, slice) => {
        const expression = planReplacement(sourceFile, site.call, replacement, { session, textOf: slice }).expression;
        return expression.startsWith('(') ? `${asiGuard(site.call, sourceFile)}${expression}` : expression;
      });
      groups.add(sourceFile);
      rewrittenCalls.set(sourceFile, [...(rewrittenCalls.get(sourceFile) ?? []), site.call]);
      rewrites.push({ ...context.location(site.call), kind: 'replace-call', message: `Replaced \`${shorten(site.call.getText(sourceFile))}\` with \`${shorten(plan.expression)}\`.` });
    }
  }
  for (const fn of converted) {
    const sourceFile = fn.getSourceFile();
    const { edits, session } = fileOf(fn);
    groups.add(sourceFile);
    makeAsync(fn, sourceFile, edits);
    const handler = analysis.handlerInfo(fn);
    const name = describeFunction(fn);
    rewrites.push({ ...context.location(declaredName(fn) ?? fn), kind: 'make-async', message: `Made \`${name}\` async${fn.type === undefined ? '' : `; it returns \`Promise<${fn.type.getText(sourceFile)}>\``}.` });
    if (handler !== undefined && !forwardsRejections(handler, context.frameworks)) {
      const next = forwardRejections(fn, handler.framework, handler.role, sourceFile, edits, session);
      if (next !== undefined) rewrites.push({ ...context.location(fn), kind: 'forward-rejections', message: `Wrapped the ${handler.framework.displayName} handler \`${name}\` in \`try\`/\`catch\` that passes errors to \`${next}\`, since ${handler.framework.displayName} ignores a rejected promise.` });
    }
    for (const edge of callers.get(fn) ?? []) {
      if (ts.isAwaitExpression(skipParentheses(edge.call.parent))) continue;
      const callerFile = edge.call.getSourceFile();
      awaitCall(edge.call, callerFile, fileOf(edge.call).edits);
      groups.union(sourceFile, callerFile);
      rewrites.push({ ...context.location(edge.call), kind: 'add-await', message: `Awaited \`${shorten(edge.call.getText(callerFile))}\` in \`${describeFunction(edge.caller)}\`.` });
    }
  }
  const edits = files.finish((sourceFile, { session }) => {
    for (const binding of importsLeftUnused(sourceFile, checker, rewrittenCalls.get(sourceFile) ?? [])) session.remove(binding);
    groups.add(sourceFile);
  });

  const boundaries = reportBoundaries(blocked, cause, facts, context);
  return {
    edits,
    groups: groups.groups(),
    rewrites: rewrites.sort(byLocation),
    boundaries,
    manual: manual.sort(byLocation),
  };
}

/** A function's name for reports; an inline callback is named by what it is passed to. */
function describeFunction(fn: FunctionNode): string {
  const name = functionName(fn);
  if (name !== 'anonymous function') return name;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== node) {
    return `callback of ${shorten(parent.expression.getText())}()`;
  }
  return name;
}

function whyManual(api: BlockingApi, call: ts.CallExpression | ts.NewExpression): string | undefined {
  const replacement = api.replacement;
  if (replacement === undefined) return api.advice ?? api.reason;
  const unsupported = unsupportedOptionUse(call, replacement);
  if (unsupported !== undefined) return `${api.reason} It cannot be replaced mechanically: ${unsupported}.`;
  if (!replacement.automatic) return `${api.reason} Its async replacement needs a person: ${replacement.caveat ?? 'the result differs in type or control flow'}.`;
  if (replacement.platforms !== undefined && !replacement.platforms.includes(process.platform)) {
    return `${api.reason} Its replacement exists only on ${replacement.platforms.join(', ')}.`;
  }
  if (api.since !== undefined && compareVersions(process.versions.node, api.since) < 0) {
    return `${api.reason} Its replacement needs Node.js ${api.since}; this is ${process.versions.node}.`;
  }
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function handlerBoundary(fn: FunctionNode, handler: HandlerInfo, frameworks: readonly FrameworkDefinition[]): BoundaryReason | undefined {
  if (forwardsRejections(handler, frameworks) || nextParameterIndex(fn, handler.framework, handler.role) >= 0) return undefined;
  return {
    reason: 'unhandled-rejection',
    message: `\`${describeFunction(fn)}\` is a ${handler.framework.displayName} handler; ${handler.framework.displayName} neither awaits its promise nor passes a rejection on, so an async version could crash the process. Convert it by hand, answering errors yourself.`,
  };
}

/** Is a named function expression held where a type is expected (`const h: Handler = …`, a property of a typed object)? */
function hasTypedSlot(fn: FunctionNode, checker: ts.TypeChecker): boolean {
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder)) return holder.type !== undefined;
  return ts.isPropertyAssignment(holder) && checker.getContextualType(fn as ts.Expression) !== undefined;
}

function referenceBoundary(
  fn: FunctionNode,
  reference: ReturnType<ReferenceIndex['referencesOf']>[number],
  handler: HandlerInfo | undefined,
  program: ts.Program,
  inTest: boolean,
): Blocked | undefined {
  const name = describeFunction(fn);
  if (reference.kind === 'type') {
    return { reason: 'type-use', message: `\`${name}\` cannot become async: its type is used in \`${reference.node.parent.getText()}\`, which would silently change.`, at: reference.node };
  }
  if (reference.kind === 'value') {
    let expression: ts.Expression = reference.node;
    if (ts.isPropertyAccessExpression(expression.parent) && expression.parent.name === reference.node) expression = expression.parent;
    // A handler is registered by passing it to the framework, which is what makes it a handler.
    if (handler !== undefined && (ts.isCallExpression(expression.parent) || ts.isNewExpression(expression.parent))) return undefined;
    const problem = promiseAcceptingSlot(expression, program, inTest);
    return problem === undefined ? undefined : { reason: 'value-use', message: `\`${name}\` cannot become async: ${problem}.`, at: reference.node };
  }
  const call = reference.call;
  if (isInsideOptionalChain(call)) {
    return { reason: 'optional-call', message: `\`${name}\` cannot become async: \`${shorten(call.parent.getText())}\` continues an optional chain on its result, which \`await\` would break.`, at: call };
  }
  const caller = enclosingFunction(call);
  if (caller === undefined) {
    return { reason: 'start-up-code', message: `\`${name}\` cannot become async: it is called outside any function (\`${shorten(call.getText())}\`), in start-up code or a class field, which is left alone.`, at: call };
  }
  if (caller.parameters.some((parameter) => parameter.pos <= call.pos && call.end <= parameter.end)) {
    return { reason: 'parameter-default', message: `\`${name}\` cannot become async: it is called in a parameter default of \`${describeFunction(caller)}\`, where \`await\` is not allowed.`, at: call };
  }
  return undefined;
}

function isInsideOptionalChain(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (call.flags & ts.NodeFlags.OptionalChain) !== 0 && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) && ts.isOptionalChain(parent) && parent.expression === call;
}

function reportBoundaries(
  blocked: ReadonlyMap<FunctionNode, Blocked>,
  cause: ReadonlyMap<FunctionNode, FunctionNode | Site>,
  facts: ReadonlyMap<FunctionNode, FunctionFacts>,
  context: TransformContext,
): Boundary[] {
  const boundaries: Boundary[] = [];
  for (const [fn, stop] of blocked) {
    if (stop.reason === 'inherited') continue;
    const chain: string[] = [];
    const seen = new Set<FunctionNode>();
    for (let current: FunctionNode | Site | undefined = fn; current !== undefined; ) {
      if ('api' in current) {
        chain.push(apiDisplayName(current.api));
        break;
      }
      if (seen.has(current)) break;
      seen.add(current);
      chain.push(describeFunction(current));
      current = cause.get(current) ?? facts.get(current)?.sites.find((site) => site.manual === undefined);
    }
    boundaries.push({ ...context.location(stop.at), reason: stop.reason, function: describeFunction(fn), message: stop.message, chain });
  }
  return boundaries.sort(byLocation);
}

function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.parent;
  return current;
}

function byLocation(a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/** Groups of files whose edits depend on each other. */
class UnionFind<T> {
  readonly #parent = new Map<T, T>();

  add(item: T): void {
    if (!this.#parent.has(item)) this.#parent.set(item, item);
  }

  union(a: T, b: T): void {
    this.add(a);
    this.add(b);
    const rootA = this.#find(a);
    const rootB = this.#find(b);
    if (rootA !== rootB) this.#parent.set(rootA, rootB);
  }

  groups(): T[][] {
    const byRoot = new Map<T, T[]>();
    for (const item of this.#parent.keys()) {
      const root = this.#find(item);
      const group = byRoot.get(root) ?? [];
      group.push(item);
      byRoot.set(root, group);
    }
    return [...byRoot.values()];
  }

  #find(item: T): T {
    let current = item;
    for (let parent = this.#parent.get(current); parent !== undefined && parent !== current; parent = this.#parent.get(current)) current = parent;
    return current;
  }
}
