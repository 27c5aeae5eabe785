import ts from 'typescript';

import { installedFrameworks } from '../registry/installed.js';
import type { FrameworkDefinition } from '../registry/types.js';
import { isFunctionNode, type FunctionNode } from './functions.js';
import { findHandlers, type HandlerInfo } from './handlers.js';

/** Which functions of a program a framework calls per request. */
export interface HandlerIndex {
  /** The handler info of a function, registered in any file of the program. */
  handlerOf(fn: FunctionNode): HandlerInfo | undefined;
  /** The innermost handler around a node: the node's own function or one it is nested in. */
  enclosingHandler(node: ts.Node): { readonly fn: FunctionNode; readonly info: HandlerInfo } | undefined;
}

const cache = new WeakMap<ts.Program, Map<string, HandlerIndex>>();

/**
 * The handlers of a whole program, found once and shared by every rule and file that asks (a handler
 * declared in one file is often registered in another). The frameworks are those installed in the
 * project, so an Express 4 app is told from an Express 5 one.
 *
 * @example
 * handlerIndexFor(program).enclosingHandler(callNode)?.info.framework.id; // 'express4'
 */
export function handlerIndexFor(program: ts.Program, options: { readonly projectRoot?: string; readonly frameworks?: readonly FrameworkDefinition[] } = {}): HandlerIndex {
  const projectRoot = options.projectRoot ?? program.getCurrentDirectory();
  const frameworks = options.frameworks ?? installedFrameworks(projectRoot);
  const key = `${projectRoot}\0${frameworks.map((framework) => framework.id).join(',')}`;
  let byKey = cache.get(program);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(program, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  let handlers: Map<FunctionNode, HandlerInfo> | undefined;
  const all = (): Map<FunctionNode, HandlerInfo> => {
    if (handlers !== undefined) return handlers;
    handlers = new Map();
    const context = { checker: program.getTypeChecker(), projectRoot, frameworks };
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
      for (const [fn, info] of findHandlers(file, context)) if (!handlers.has(fn)) handlers.set(fn, info);
    }
    return handlers;
  };
  const index: HandlerIndex = {
    handlerOf: (fn) => all().get(fn),
    enclosingHandler(node) {
      for (let current: ts.Node = node; !ts.isSourceFile(current); ) {
        current = current.parent;
        if (!isFunctionNode(current)) continue;
        const info = all().get(current);
        if (info !== undefined) return { fn: current, info };
      }
      return undefined;
    },
  };
  byKey.set(key, index);
  return index;
}
