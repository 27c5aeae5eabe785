import ts from 'typescript';

import { cannotReject } from './forward-rejections.js';
import { isAsyncFunction, isFunctionNode, type FunctionNode } from './functions.js';
import type { HandlerIndex } from './handler-index.js';
import { functionArgument, type HandlerInfo } from './handlers.js';
import { skipWrappers } from './import-binding.js';
import { packageDirName } from './module-origin.js';
import { returnsPromise, typeAt } from './promise-types.js';

/** Where a rejecting function was handed to something that ignores its promise. */
export type DroppedRejectionKind =
  /** A handler of a framework that neither awaits it nor forwards its rejection (Express 4, `node:http`). */
  | 'handler'
  /** An `EventEmitter` listener (`on`, `once`, `process.on`): emitters ignore what listeners return. */
  | 'listener'
  /** A timer callback (`setTimeout`, `setInterval`, `setImmediate`). */
  | 'timer'
  /** `new Promise(async (resolve, reject) => …)`: a throw after the first `await` never rejects the outer promise. */
  | 'promise-executor';

/** One async function whose rejection nothing handles. */
export interface DroppedRejectionFinding {
  readonly kind: DroppedRejectionKind;
  readonly fn: FunctionNode;
  /** Where it is passed, for the message: `'data' listener`, `setTimeout`. */
  readonly where: string;
  readonly handler?: HandlerInfo;
}

const listenerMethods = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const timers = new Set(['setTimeout', 'setInterval', 'setImmediate']);

function declaredInNode(symbol: ts.Symbol | undefined): boolean {
  return (symbol?.declarations ?? []).some((declaration) => {
    const file = declaration.getSourceFile().fileName;
    return packageDirName(file) === '@types/node' || /[\\/]typescript[\\/]lib[\\/]lib\./.test(file);
  });
}

/** Local names of timers imported under another name: `import { setInterval as every } from 'node:timers'`. */
function renamedTimerImports(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (element.propertyName !== undefined && timers.has(element.propertyName.text)) names.add(element.name.text);
    }
  }
  return names;
}

/**
 * Finds async (promise-returning) functions handed to something that ignores the promise they
 * return, so a thrown error becomes an unhandled rejection (which ends the process under Node's
 * defaults) and, in a handler, the request hangs: Express 4 and `node:http` handlers, EventEmitter
 * listeners, timers and `new Promise(async …)`. A function that cannot reject (its whole body in a
 * `try` whose `catch` does not rethrow) is fine, and so are handlers of frameworks that await them.
 *
 * @example
 * findDroppedRejections(sourceFile, program, handlerIndexFor(program)).map((finding) => finding.kind);
 */
export function findDroppedRejections(sourceFile: ts.SourceFile, program: ts.Program, handlers: HandlerIndex): DroppedRejectionFinding[] {
  const checker = program.getTypeChecker();
  const findings: DroppedRejectionFinding[] = [];
  const reported = new Set<FunctionNode>();
  const rejects = (fn: FunctionNode): boolean => (isAsyncFunction(fn) || returnsPromise(program, checker, typeAt(checker, fn))) && !cannotReject(fn);
  const push = (finding: DroppedRejectionFinding): void => {
    if (reported.has(finding.fn) || finding.fn.getSourceFile() !== sourceFile) return;
    reported.add(finding.fn);
    findings.push(finding);
  };

  const renamedTimers = renamedTimerImports(sourceFile);
  const visitCall = (call: ts.CallExpression | ts.NewExpression): void => {
    const callee = skipWrappers(call.expression);
    const args = call.arguments ?? [];
    if (ts.isNewExpression(call) && ts.isIdentifier(callee) && callee.text === 'Promise' && declaredInNode(checker.getSymbolAtLocation(callee))) {
      const [executor] = args;
      const fn = executor === undefined ? undefined : functionArgument(executor, { checker });
      if (fn !== undefined && isAsyncFunction(fn)) push({ kind: 'promise-executor', fn, where: 'new Promise' });
      return;
    }
    if (!ts.isCallExpression(call)) return;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
    // Only a timer's or a listener method's name (or a renamed timer import) is worth a symbol lookup.
    if (name === undefined || !(timers.has(name.text) || renamedTimers.has(name.text) || (listenerMethods.has(name.text) && ts.isPropertyAccessExpression(callee)))) return;
    let symbol = checker.getSymbolAtLocation(name);
    // `import { setInterval as every } from 'node:timers'`.
    if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
    if (symbol !== undefined && timers.has(symbol.name) && declaredInNode(symbol)) {
      const [callback] = args;
      const fn = callback === undefined ? undefined : functionArgument(callback, { checker });
      if (fn !== undefined && rejects(fn)) push({ kind: 'timer', fn, where: symbol.name });
      return;
    }
    if (ts.isPropertyAccessExpression(callee) && listenerMethods.has(name.text) && declaredInNode(symbol)) {
      const [event, listener] = args;
      const fn = listener === undefined ? undefined : functionArgument(listener, { checker });
      if (fn === undefined || !rejects(fn) || handlers.handlerOf(fn) !== undefined) return;
      const eventName = event !== undefined && ts.isStringLiteralLike(event) ? `'${event.text}'` : 'event';
      push({ kind: 'listener', fn, where: `${eventName} listener` });
    }
  };

  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) {
      const info = handlers.handlerOf(node);
      const handling = info?.framework.promiseHandling;
      if (info !== undefined && handling !== undefined && !handling.awaitsReturnedPromise && !handling.forwardsRejection && rejects(node)) {
        push({ kind: 'handler', fn: node, where: `${info.framework.displayName} ${info.role === 'middleware' ? 'middleware' : 'handler'}`, handler: info });
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) visitCall(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}
