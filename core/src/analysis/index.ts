export {
  BlockingAnalysis,
  blockingAnalysisFor,
  type BlockingAnalysisOptions,
  type BlockingFinding,
  type BlockingScope,
  type BlockingTarget,
  type FindingContext,
} from './blocking-calls.js';
export { matchBusyWait } from './busy-wait.js';
export { asyncModifierPosition, enclosingFunction, functionName, functionOfDeclaration, isAsyncFunction, isFunctionNode, type FunctionNode } from './functions.js';
export { findHandlers, functionArgument, receiversOf, type HandlerContext, type HandlerInfo } from './handlers.js';
export { accessChain, importedPath, skipWrappers, type ImportedPath } from './import-binding.js';
export { declarationOrigin, moduleNameOfPackage, packageDirName, type DeclarationOrigin } from './module-origin.js';
export { resolveCall, type CallTarget, type ResolveContext } from './resolve-call.js';
export { applyEdits, ImportSession, needsParentheses, planReplacement, unsupportedOptionUse, type ReplacementOptions, type ReplacementPlan, type TextEdit } from './replacement-edits.js';
export { findFloatingPromises, type FloatingFinding, type FloatingKind, type FloatingPromiseOptions } from './floating-promises.js';
export { handlerIndexFor, type HandlerIndex } from './handler-index.js';
export { isPromiseArrayType, isPromiseType, returnsPromise, typeAt, type PromiseTypeOptions } from './promise-types.js';
export { lazyQueryOf } from './lazy-query.js';
export { findMissingAwaits, type MissingAwaitFinding, type MissingAwaitKind } from './missing-await.js';
export { cannotReject, handlerParameterRoles, nextParameterIndex, planForwardRejections, type OrderedEdit } from './forward-rejections.js';
export { findDroppedRejections, type DroppedRejectionFinding, type DroppedRejectionKind } from './dropped-rejections.js';
export {
  awaitedOperands,
  awaitStepOf,
  findSequentialAwaits,
  type AwaitStep,
  type ConcurrencyFinding,
  type ConcurrentAwaitOptions,
  type InOrderPart,
  type SequentialAwaits,
  type SequentialLoop,
  type SequentialOperands,
} from './concurrent-awaits.js';
export { planConcurrentRewrite, type ConcurrentRewrite, type ConcurrentRewriteOptions } from './concurrent-rewrite.js';
export { findUntimedUpstreamCalls, planUpstreamTimeout, type UntimedCall } from './upstream-timeouts.js';
