import ts from 'typescript';

import { defaultCatalog, type Catalog } from '../catalog/catalog.js';
import type { BlockingApi, BusyWaitPattern } from '../catalog/types.js';
import type { FrameworkDefinition } from '../registry/types.js';
import { matchBusyWait } from './busy-wait.js';
import { functionName, isAsyncFunction, isFunctionNode, type FunctionNode } from './functions.js';
import { handlerIndexFor, type HandlerIndex } from './handler-index.js';
import { findHandlers, type HandlerInfo } from './handlers.js';
import { resolveCall } from './resolve-call.js';

/** Which functions count as serving requests. */
export type BlockingScope = 'handlers' | 'handlers-and-async' | 'all-functions';

/** Settings of a blocking-call analysis; the lint rule's options map onto these. */
export interface BlockingAnalysisOptions {
  readonly catalog?: Catalog;
  readonly frameworks?: readonly FrameworkDefinition[];
  /** Default `handlers-and-async`. */
  readonly scope?: BlockingScope;
  /** Follow calls into project functions (default true). */
  readonly transitive?: boolean;
  /** The most project functions a chain may pass through (default 10). */
  readonly maxDepth?: number;
  /** Project functions whose blocking work is accepted (`loadConfigOnce`): chains stop there. */
  readonly allowFunctions?: readonly string[];
  readonly projectRoot?: string | undefined;
}

/** What blocks: a catalogued API or a busy-wait loop. */
export type BlockingTarget =
  | { readonly kind: 'api'; readonly api: BlockingApi }
  | { readonly kind: 'busy-wait'; readonly pattern: BusyWaitPattern };

/** Why the code around a finding serves requests. */
export interface FindingContext {
  readonly function: FunctionNode;
  readonly reason: 'handler' | 'async' | 'function';
  readonly handler?: HandlerInfo;
}

/**
 * One blocking call reached while serving requests. For a transitive finding, `node` is the call of
 * the first project function in the handler, `chain` the functions passed through, and `site` the
 * blocking call at the end.
 */
export interface BlockingFinding {
  readonly node: ts.CallExpression | ts.NewExpression | ts.IterationStatement;
  readonly target: BlockingTarget;
  readonly chain: readonly FunctionNode[];
  readonly site: ts.Node;
  readonly context: FindingContext;
  /** The innermost function around `node` is async, so an `await` can be added there. */
  readonly canAwait: boolean;
}

interface Chain {
  readonly functions: readonly FunctionNode[];
  readonly target: BlockingTarget;
  readonly site: ts.Node;
}

interface Summary {
  readonly direct: { readonly node: ts.Node; readonly target: BlockingTarget } | undefined;
  readonly calls: readonly FunctionNode[];
}

/**
 * The blocking-call analysis of one program (typed) or one file (untyped). It summarises each
 * function once: its first blocking call and the project functions it calls; chains are built from
 * the summaries and memoised, so cost stays linear in program size.
 */
export class BlockingAnalysis {
  readonly #options: Required<Omit<BlockingAnalysisOptions, 'projectRoot' | 'frameworks'>> & {
    readonly projectRoot: string | undefined;
    readonly frameworks: readonly FrameworkDefinition[] | undefined;
  };
  readonly #checker: ts.TypeChecker | undefined;
  readonly #program: ts.Program | undefined;
  readonly #summaries = new Map<FunctionNode, Summary>();
  readonly #chains = new Map<FunctionNode, Chain | null>();
  readonly #inProgress = new Set<FunctionNode>();
  #handlerIndex: HandlerIndex | undefined;
  #memberNames: Set<string> | undefined;
  readonly #fileHandlers = new Map<ts.SourceFile, Map<FunctionNode, HandlerInfo>>();

  constructor(options: BlockingAnalysisOptions, program?: ts.Program) {
    this.#options = {
      catalog: options.catalog ?? defaultCatalog,
      scope: options.scope ?? 'handlers-and-async',
      transitive: options.transitive ?? true,
      maxDepth: options.maxDepth ?? 10,
      allowFunctions: options.allowFunctions ?? [],
      projectRoot: options.projectRoot,
      frameworks: options.frameworks,
    };
    this.#program = program;
    this.#checker = program?.getTypeChecker();
  }

  /** Handlers known to this analysis: across the whole program when typed, else in the file. */
  handlerInfo(fn: FunctionNode): HandlerInfo | undefined {
    if (this.#program !== undefined) {
      // The program-wide index every rule shares: handlers are found once per program.
      this.#handlerIndex ??= handlerIndexFor(this.#program, {
        ...(this.#options.projectRoot === undefined ? {} : { projectRoot: this.#options.projectRoot }),
        ...(this.#options.frameworks === undefined ? {} : { frameworks: this.#options.frameworks }),
      });
      return this.#handlerIndex.handlerOf(fn);
    }
    const file = fn.getSourceFile();
    let handlers = this.#fileHandlers.get(file);
    if (handlers === undefined) {
      handlers = findHandlers(file, this.#handlerContext());
      this.#fileHandlers.set(file, handlers);
    }
    return handlers.get(fn);
  }

  /** Every blocking call in the file that runs while serving requests. */
  findingsFor(sourceFile: ts.SourceFile): BlockingFinding[] {
    const findings: BlockingFinding[] = [];
    const contexts = new Map<FunctionNode, FindingContext | null>();
    const contextOf = (node: ts.Node): { context: FindingContext; innermost: FunctionNode } | undefined => {
      let innermost: FunctionNode | undefined;
      for (let current = node.parent as ts.Node | undefined; current !== undefined; current = current.parent) {
        if (!isFunctionNode(current)) continue;
        innermost ??= current;
        let context = contexts.get(current);
        if (context === undefined) {
          context = this.#scopeContext(current);
          contexts.set(current, context);
        }
        if (context !== null) return { context, innermost };
      }
      return undefined;
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node)) {
        const found = this.#inspect(node);
        if (found !== undefined) {
          const where = contextOf(node);
          if (where !== undefined) {
            findings.push({ ...found, node, context: where.context, canAwait: isAsyncFunction(where.innermost) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return findings;
  }

  /** A readable chain for messages: `loadTemplate → renderFile`. */
  static chainNames(finding: BlockingFinding): string[] {
    return finding.chain.map((fn) => functionName(fn));
  }

  #inspect(node: ts.CallExpression | ts.NewExpression | ts.IterationStatement): Omit<BlockingFinding, 'node' | 'context' | 'canAwait'> | undefined {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) {
      const pattern = matchBusyWait(node, this.#options.catalog.busyWaitPatterns);
      return pattern === undefined ? undefined : { target: { kind: 'busy-wait', pattern }, chain: [], site: node };
    }
    if (!this.#mayResolve(node)) return undefined;
    const target = resolveCall(node, { catalog: this.#options.catalog, checker: this.#checker });
    if (target === undefined) return undefined;
    if (target.kind === 'blocking') return { target: { kind: 'api', api: target.api }, chain: [], site: node };
    if (!this.#options.transitive || this.#reportsItself(target.declaration) || this.#isAllowed(target.declaration)) return undefined;
    const chain = this.#chainFrom(target.declaration);
    if (chain === null || chain.functions.length > this.#options.maxDepth) return undefined;
    return { target: chain.target, chain: chain.functions, site: chain.site };
  }

  /**
   * Can a method call reach the catalog or a project function at all? `res.json(...)`, `console.log`
   * and most other method calls cannot: their name is neither a catalogued API's nor anything the
   * program declares, so they are skipped before the checker is asked (a typed program only; plain
   * calls and `new` are always resolved, since an import may rename them).
   */
  #mayResolve(node: ts.CallExpression | ts.NewExpression): boolean {
    if (this.#program === undefined) return true;
    let callee: ts.Expression = node.expression;
    while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee) || ts.isAsExpression(callee)) callee = callee.expression;
    if (!ts.isPropertyAccessExpression(callee)) return true;
    this.#memberNames ??= collectMemberNames(this.#program, this.#options.catalog);
    return this.#memberNames.has(callee.name.text);
  }

  #scopeContext(fn: FunctionNode): FindingContext | null {
    const handler = this.handlerInfo(fn);
    if (handler !== undefined) return { function: fn, reason: 'handler', handler };
    if (this.#options.scope === 'handlers') return null;
    if (isAsyncFunction(fn)) return { function: fn, reason: 'async' };
    if (this.#options.scope === 'all-functions') return { function: fn, reason: 'function' };
    return null;
  }

  /** A function in scope is reported on its own, so chains do not pass through it. */
  #reportsItself(fn: FunctionNode): boolean {
    return this.#scopeContext(fn) !== null && this.#options.scope !== 'all-functions';
  }

  #isAllowed(fn: FunctionNode): boolean {
    return this.#options.allowFunctions.length > 0 && this.#options.allowFunctions.includes(functionName(fn));
  }

  #chainFrom(fn: FunctionNode): Chain | null {
    const cached = this.#chains.get(fn);
    if (cached !== undefined) return cached;
    if (this.#inProgress.has(fn)) return null;
    this.#inProgress.add(fn);
    const summary = this.#summary(fn);
    let best: Chain | null = summary.direct === undefined ? null : { functions: [fn], target: summary.direct.target, site: summary.direct.node };
    if (best === null) {
      for (const callee of summary.calls) {
        if (this.#reportsItself(callee) || this.#isAllowed(callee)) continue;
        const sub = this.#chainFrom(callee);
        if (sub !== null && (best === null || sub.functions.length + 1 < best.functions.length)) {
          best = { functions: [fn, ...sub.functions], target: sub.target, site: sub.site };
        }
      }
    }
    this.#inProgress.delete(fn);
    this.#chains.set(fn, best);
    return best;
  }

  #summary(fn: FunctionNode): Summary {
    const cached = this.#summaries.get(fn);
    if (cached !== undefined) return cached;
    let direct: Summary['direct'];
    const calls: FunctionNode[] = [];
    const visit = (node: ts.Node): void => {
      // A nested async function is its own unit: it is reported (or summarised) separately. A
      // callback handed to a listener or timer runs later, not as part of this call.
      if (node !== fn && isFunctionNode(node) && (isAsyncFunction(node) || isDeferredCallback(node))) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const target = this.#mayResolve(node) ? resolveCall(node, { catalog: this.#options.catalog, checker: this.#checker }) : undefined;
        if (target?.kind === 'blocking') direct ??= { node, target: { kind: 'api', api: target.api } };
        else if (target?.kind === 'function' && target.declaration !== fn) calls.push(target.declaration);
      } else if (direct === undefined) {
        const pattern = matchBusyWait(node, this.#options.catalog.busyWaitPatterns);
        if (pattern !== undefined) direct = { node, target: { kind: 'busy-wait', pattern } };
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body !== undefined) visit(fn.body);
    const summary = { direct, calls };
    this.#summaries.set(fn, summary);
    return summary;
  }

  #handlerContext(): { checker: ts.TypeChecker | undefined; projectRoot: string | undefined; frameworks?: readonly FrameworkDefinition[] } {
    return {
      checker: this.#checker,
      projectRoot: this.#options.projectRoot,
      ...(this.#options.frameworks === undefined ? {} : { frameworks: this.#options.frameworks }),
    };
  }

}

/** Every name a method call could resolve through: catalogued API names and names the program declares. */
function collectMemberNames(program: ts.Program, catalog: Catalog): Set<string> {
  const names = new Set<string>();
  for (const api of catalog.apis) {
    for (const part of api.exportPath.split(/[.#]/)) names.add(part);
  }
  const visit = (node: ts.Node): void => {
    if (
      (ts.isMethodDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node) || ts.isShorthandPropertyAssignment(node) ||
        ts.isGetAccessorDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node) || ts.isExportSpecifier(node) ||
        ts.isBindingElement(node) || ts.isMethodSignature(node) || ts.isPropertySignature(node)) &&
      node.name !== undefined &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
    visit(file);
  }
  return names;
}

const programCache = new WeakMap<ts.Program, Map<string, BlockingAnalysis>>();

/**
 * The analysis for a program and a set of options, created once and reused by every file of the
 * program (ESLint lints files one by one; the summaries must outlive each file).
 *
 * @example
 * blockingAnalysisFor(program, { scope: 'handlers' }).findingsFor(sourceFile).length;
 */
export function blockingAnalysisFor(program: ts.Program, options: BlockingAnalysisOptions, cacheKey: string): BlockingAnalysis {
  let byOptions = programCache.get(program);
  if (byOptions === undefined) {
    byOptions = new Map();
    programCache.set(program, byOptions);
  }
  let analysis = byOptions.get(cacheKey);
  if (analysis === undefined) {
    analysis = new BlockingAnalysis(options, program);
    byOptions.set(cacheKey, analysis);
  }
  return analysis;
}

const deferringFunctions = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'nextTick']);
const deferringMethods = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener', 'then', 'catch', 'finally']);

/** A function literal passed to something that calls it later: a timer, an event listener, a promise reaction. */
function isDeferredCallback(fn: FunctionNode): boolean {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return deferringFunctions.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && (deferringMethods.has(callee.name.text) || deferringFunctions.has(callee.name.text));
}
