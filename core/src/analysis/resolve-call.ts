import ts from 'typescript';

import type { BlockingApi } from '../catalog/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { functionOfDeclaration, type FunctionNode } from './functions.js';
import { findLocalDeclaration, importedPath, skipWrappers } from './import-binding.js';
import { declarationOrigin } from './module-origin.js';

/** What a call runs: a catalogued blocking API, or a function of the project (followed for transitive findings). */
export type CallTarget =
  | { readonly kind: 'blocking'; readonly api: BlockingApi }
  | { readonly kind: 'function'; readonly declaration: FunctionNode };

/** What call resolution needs: the catalog and, when the program is typed, its checker. */
export interface ResolveContext {
  readonly catalog: Catalog;
  readonly checker?: ts.TypeChecker | undefined;
}

/**
 * Resolves the callee of a call or `new` to a catalogued blocking API or a project function.
 * Imports in every form are followed syntactically first (`import { readFileSync as read }`,
 * `import * as fs`, default imports, `require` destructuring, `fs.default.x`); with a checker the
 * callee's symbol is then followed to its declaration, which also covers re-exports through local
 * modules and methods of declared types (`db.prepare(sql).all()`).
 *
 * @example
 * resolveCall(callNode, { catalog: defaultCatalog, checker })?.kind; // 'blocking'
 */
export function resolveCall(call: ts.CallExpression | ts.NewExpression, context: ResolveContext): CallTarget | undefined {
  const callee = skipWrappers(call.expression);
  const isNew = ts.isNewExpression(call);
  const imported = importedPath(callee, context.checker);
  if (imported !== undefined) {
    const api = context.catalog.findExport(imported.specifier, imported.path);
    if (api !== undefined && invocationMatches(api, isNew)) return { kind: 'blocking', api };
  }
  const globalPath = globalAccessPath(callee, context.checker);
  if (globalPath !== undefined) {
    const api = context.catalog.findGlobal(globalPath);
    if (api !== undefined) return { kind: 'blocking', api };
  }
  if (context.checker !== undefined) {
    const typed = resolveBySymbol(callee, isNew, context.catalog, context.checker);
    if (typed !== undefined) return typed;
  } else {
    const local = resolveLocalFunction(callee);
    if (local !== undefined) return { kind: 'function', declaration: local };
  }
  return undefined;
}

function invocationMatches(api: BlockingApi, isNew: boolean): boolean {
  // Constructors that block (`new DatabaseSync()`) also block when called without `new` where allowed.
  return api.invocation === 'construct' || !isNew;
}

/** `Atomics.wait` / `globalThis.Atomics.wait` when `Atomics` is not shadowed by a local binding. */
function globalAccessPath(callee: ts.Expression, checker: ts.TypeChecker | undefined): string | undefined {
  const parts: string[] = [];
  let current = callee;
  while (ts.isPropertyAccessExpression(current)) {
    parts.unshift(current.name.text);
    current = skipWrappers(current.expression);
  }
  if (!ts.isIdentifier(current) || parts.length === 0) return undefined;
  if (checker === undefined ? findLocalDeclaration(current) !== undefined : isLocallyDeclared(current, checker)) return undefined;
  return [current.text, ...parts].join('.');
}

function isLocallyDeclared(identifier: ts.Identifier, checker: ts.TypeChecker): boolean {
  const declarations = checker.getSymbolAtLocation(identifier)?.declarations ?? [];
  return declarations.some((declaration) => !declaration.getSourceFile().isDeclarationFile);
}

function resolveBySymbol(callee: ts.Expression, isNew: boolean, catalog: Catalog, checker: ts.TypeChecker): CallTarget | undefined {
  const location = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  let symbol = checker.getSymbolAtLocation(location);
  if (symbol === undefined) return undefined;
  if ((symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
  for (const declaration of symbol.declarations ?? []) {
    const source = declaration.getSourceFile();
    if (source.isDeclarationFile || source.fileName.includes('/node_modules/')) {
      const origin = declarationOrigin(declaration);
      if (origin === undefined) continue;
      const api = origin.kind === 'global' ? catalog.findGlobal(origin.path) : findByOrigin(catalog, origin.module, origin.path);
      if (api !== undefined && invocationMatches(api, isNew)) return { kind: 'blocking', api };
      continue;
    }
    const fn = functionOfDeclaration(declaration);
    if (fn !== undefined) return { kind: 'function', declaration: fn };
  }
  return undefined;
}

function findByOrigin(catalog: Catalog, module: string, path: string): BlockingApi | undefined {
  const hash = path.indexOf('#');
  if (hash === -1) return catalog.findExport(module, path);
  return catalog.findMember(module, path.slice(0, hash), path.slice(hash + 1));
}

function resolveLocalFunction(callee: ts.Expression): FunctionNode | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = findLocalDeclaration(callee);
  return declaration === undefined ? undefined : functionOfDeclaration(declaration);
}
