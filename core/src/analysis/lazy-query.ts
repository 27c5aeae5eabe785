import ts from 'typescript';

import { lazyQueryLibraries, type LazyQueryLibrary } from '../registry/lazy-queries.js';
import { packageDirName } from './module-origin.js';

/**
 * The package a declaration belongs to: the `declare module 'name'` around it (how typings without
 * their package, and tests, declare one), else the `node_modules` package its file is in.
 *
 * @example
 * declaringPackage(symbol.declarations[0]); // 'knex'
 */
export function declaringPackage(declaration: ts.Declaration): string | undefined {
  for (let current: ts.Node = declaration; !ts.isSourceFile(current); current = current.parent) {
    if (ts.isModuleDeclaration(current) && ts.isStringLiteral(current.name)) return current.name.text;
  }
  const fileName = declaration.getSourceFile().fileName.replaceAll('\\', '/');
  const generated = /\/node_modules\/(\.prisma\/client)\//.exec(fileName);
  return generated?.[1] ?? packageDirName(fileName);
}

const lazyTypeNames = new Set(lazyQueryLibraries.flatMap((library) => library.types));
const bySymbol = new WeakMap<ts.Symbol, LazyQueryLibrary | null>();
const byType = new WeakMap<ts.Type, LazyQueryLibrary | null>();

function libraryOf(symbol: ts.Symbol): LazyQueryLibrary | undefined {
  if (!lazyTypeNames.has(symbol.name)) return undefined;
  const cached = bySymbol.get(symbol);
  if (cached !== undefined) return cached ?? undefined;
  const found = findLibrary(symbol);
  bySymbol.set(symbol, found ?? null);
  return found;
}

function findLibrary(symbol: ts.Symbol): LazyQueryLibrary | undefined {
  for (const declaration of symbol.declarations ?? []) {
    const owner = declaringPackage(declaration);
    if (owner === undefined) continue;
    const library = lazyQueryLibraries.find(
      (candidate) => candidate.types.includes(symbol.name) && (owner === candidate.package || owner.startsWith(`${candidate.package}/`) || (candidate.declaredIn ?? []).some((other) => owner === other || owner.startsWith(`${other}/`))),
    );
    if (library !== undefined) return library;
  }
  return undefined;
}

/**
 * The lazy query library a value's type comes from (a Prisma, Knex, Drizzle, Mongoose or Kysely
 * builder, or a class extending one), or undefined.
 *
 * @example
 * lazyQueryOf(checker.getTypeAtLocation(node), checker)?.package; // 'kysely'
 */
export function lazyQueryOf(type: ts.Type, checker: ts.TypeChecker): LazyQueryLibrary | undefined {
  // Asked of every expression statement and operand: answered once per type.
  const cached = byType.get(type);
  if (cached !== undefined) return cached ?? undefined;
  const found = searchType(type, checker);
  byType.set(type, found ?? null);
  return found;
}

function searchType(type: ts.Type, checker: ts.TypeChecker): LazyQueryLibrary | undefined {
  const seen = new Set<ts.Type>();
  const visit = (current: ts.Type): LazyQueryLibrary | undefined => {
    if (seen.has(current)) return undefined;
    seen.add(current);
    if (current.isUnionOrIntersection()) {
      for (const part of current.types) {
        const found = visit(part);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const symbol = current.getSymbol() ?? current.aliasSymbol;
    const direct = symbol === undefined ? undefined : libraryOf(symbol);
    if (direct !== undefined) return direct;
    const target = (current as ts.TypeReference).target as ts.Type | undefined;
    const classLike = target !== undefined && target !== current ? target : current;
    if (!classLike.isClassOrInterface()) return undefined;
    for (const base of checker.getBaseTypes(classLike)) {
      const found = visit(base);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(type);
}
