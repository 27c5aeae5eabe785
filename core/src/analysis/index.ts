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
export { enclosingFunction, functionName, functionOfDeclaration, isAsyncFunction, isFunctionNode, type FunctionNode } from './functions.js';
export { findHandlers, functionArgument, receiversOf, type HandlerContext, type HandlerInfo } from './handlers.js';
export { accessChain, importedPath, skipWrappers, type ImportedPath } from './import-binding.js';
export { declarationOrigin, moduleNameOfPackage, packageDirName, type DeclarationOrigin } from './module-origin.js';
export { resolveCall, type CallTarget, type ResolveContext } from './resolve-call.js';
export { applyEdits, ImportSession, needsParentheses, planReplacement, unsupportedOptionUse, type ReplacementOptions, type ReplacementPlan, type TextEdit } from './replacement-edits.js';
export { findFloatingPromises, type FloatingFinding, type FloatingKind, type FloatingPromiseOptions } from './floating-promises.js';
export { handlerIndexFor, type HandlerIndex } from './handler-index.js';
export { isPromiseArrayType, isPromiseType, returnsPromise, type PromiseTypeOptions } from './promise-types.js';
