import { readFile } from 'node:fs/promises';
import path from 'node:path';

import ts from 'typescript';

import { functionOfDeclaration } from '@loopguard/core/analysis';

function entryPaths(manifest: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(manifest.main);
  walk(manifest.module);
  walk(manifest.types);
  walk(manifest.exports);
  return found.filter((entry) => /\.[cm]?[jt]sx?$/.test(entry));
}

/** The source file behind a built entry (`./dist/index.js` → `src/index.ts` through outDir/rootDir). */
function sourceOfEntry(entry: string, packageDir: string, options: ts.CompilerOptions): string[] {
  const absolute = path.resolve(packageDir, entry);
  const candidates = [absolute];
  if (options.outDir !== undefined && absolute.startsWith(`${path.resolve(options.outDir)}${path.sep}`)) {
    const rootDir = path.resolve(options.rootDir ?? packageDir);
    candidates.push(path.join(rootDir, path.relative(path.resolve(options.outDir), absolute)));
  }
  return candidates.flatMap((candidate) => {
    const stem = candidate.replace(/\.d\.[cm]?ts$|\.[cm]?[jt]sx?$/, '');
    return ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs'].map((extension) => `${stem}${extension}`);
  });
}

/**
 * The functions callers outside the program can reach: everything exported from the entry points
 * in package.json (`main`, `exports`, …) of a package that is not `private`, methods of exported
 * classes included. An application (`"private": true`) has none.
 *
 * @example
 * const isPublicApi = await publicApi(program, '/srv/lib');
 * isPublicApi(fn); // true for `export function parse()` in src/index.ts
 */
export async function publicApi(program: ts.Program, projectRoot: string): Promise<(declaration: ts.Node) => boolean> {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // No readable package.json: nothing marks any export as published.
    return () => false;
  }
  if (manifest.private === true) return () => false;
  const checker = program.getTypeChecker();
  const publicNodes = new Set<ts.Node>();
  for (const entry of entryPaths(manifest)) {
    for (const candidate of sourceOfEntry(entry, projectRoot, program.getCompilerOptions())) {
      const sourceFile = program.getSourceFile(candidate);
      const moduleSymbol = sourceFile === undefined ? undefined : checker.getSymbolAtLocation(sourceFile);
      if (moduleSymbol === undefined) continue;
      for (let symbol of checker.getExportsOfModule(moduleSymbol)) {
        if ((symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
        for (const declaration of symbol.declarations ?? []) {
          const fn = functionOfDeclaration(declaration);
          if (fn !== undefined) publicNodes.add(fn);
          if (ts.isClassDeclaration(declaration)) for (const member of declaration.members) publicNodes.add(member);
        }
      }
    }
  }
  return (declaration) => publicNodes.has(declaration);
}
