import ts from 'typescript';

import { cannotReject, functionName, isAsyncFunction, nextParameterIndex, type BlockingAnalysis, type FunctionNode, type HandlerInfo, type ImportSession } from '@loopguard/core/analysis';
import type { FrameworkDefinition } from '@loopguard/core/registry';

import type { FileEdits } from '../engine/file-edits.js';
import type { TransformContext } from '../transforms/types.js';
import { forwardRejections, makeAsync } from './function-edits.js';

/** Express 4 (and an Express of unknown major) ignores a handler's promise: rejections must be forwarded by hand. */
export function forwardsRejections(handler: HandlerInfo, frameworks: readonly FrameworkDefinition[]): boolean {
  if (!handler.framework.promiseHandling.forwardsRejection) return false;
  const packages = new Set(handler.framework.packages.map((pkg) => pkg.name));
  return !frameworks.some((other) => other !== handler.framework && !other.promiseHandling.forwardsRejection && other.packages.some((pkg) => packages.has(pkg.name)));
}

/** Why a handler cannot become async (its framework would drop the rejection, and it has no `next` to pass it to), or undefined. */
export function handlerProblem(fn: FunctionNode, handler: HandlerInfo, frameworks: readonly FrameworkDefinition[]): string | undefined {
  if (forwardsRejections(handler, frameworks) || nextParameterIndex(fn, handler.framework, handler.role) >= 0) return undefined;
  return `\`${functionName(fn)}\` is a ${handler.framework.displayName} handler; ${handler.framework.displayName} neither awaits its promise nor passes a rejection on, so an async version could crash the process. Convert it by hand, answering errors yourself.`;
}

/**
 * Why a function that awaits nothing yet cannot become async for a rewrite that moves a callback's
 * work into it, or undefined when it can. `dropsValue`: the function's value was not the promise
 * (the work ended it without being returned), so only a handler, whose value nobody reads, may change.
 */
export function convertibleFunction(fn: FunctionNode, dropsValue: boolean, analysis: BlockingAnalysis, context: TransformContext): string | undefined {
  const name = functionName(fn);
  if (ts.isConstructorDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) return `\`${name}\` is a constructor or accessor, which cannot be async`;
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.asteriskToken !== undefined) return `\`${name}\` is a generator`;
  const handler = analysis.handlerInfo(fn);
  if (handler !== undefined) return handlerProblem(fn, handler, context.frameworks);
  if (dropsValue) return `\`${name}\` is neither async nor a request handler: making it async would hand its callers a promise they do not wait for`;
  const type = fn.type;
  if (type !== undefined && !(ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Promise')) {
    return `\`${name}\` declares its return type \`${type.getText()}\`, which an async function cannot have`;
  }
  return undefined;
}

/**
 * Makes a function async for a rewrite that moved awaited work into it; a handler of a framework
 * that ignores rejections (Express 4) also passes them to `next`, unless `covered` (the only
 * statement, already inside a `try` whose `catch` handles everything) makes that pointless.
 */
export function makeFunctionAsync(fn: FunctionNode, analysis: BlockingAnalysis, context: TransformContext, sourceFile: ts.SourceFile, edits: FileEdits, session: ImportSession, covered: boolean): void {
  makeAsync(fn, sourceFile, edits);
  const handler = analysis.handlerInfo(fn);
  if (handler !== undefined && willForwardRejections(fn, analysis, context, covered)) forwardRejections(fn, handler.framework, handler.role, sourceFile, edits, session);
}

/** Will `makeFunctionAsync` wrap the body in `try`/`catch` (so text written inside it sits one level deeper)? */
export function willForwardRejections(fn: FunctionNode, analysis: BlockingAnalysis, context: TransformContext, covered: boolean): boolean {
  const handler = analysis.handlerInfo(fn);
  return handler !== undefined && !isAsyncFunction(fn) && !forwardsRejections(handler, context.frameworks) && !covered && !cannotReject(fn);
}
