import ts from 'typescript';

/** Where a declaration lives: a module (`fs`, `better-sqlite3`) or the global scope, and its path there. */
export type DeclarationOrigin =
  | { readonly kind: 'module'; readonly module: string; readonly path: string }
  | { readonly kind: 'global'; readonly path: string };

/**
 * The npm package folder a file belongs to, as named on disk (`@types/express-serve-static-core`,
 * `fastify`), from its last `node_modules/` segment.
 *
 * @example
 * packageDirName('/app/node_modules/@types/node/fs.d.ts'); // '@types/node'
 */
export function packageDirName(fileName: string): string | undefined {
  const normalized = fileName.replaceAll('\\', '/');
  const index = normalized.lastIndexOf('/node_modules/');
  if (index === -1) return undefined;
  const parts = normalized.slice(index + '/node_modules/'.length).split('/');
  const first = parts[0];
  if (first === undefined) return undefined;
  return first.startsWith('@') && parts[1] !== undefined ? `${first}/${parts[1]}` : first;
}

/**
 * The module specifier a package's declarations describe: `@types/fs-extra` describes `fs-extra`,
 * `@types/koa__router` describes `@koa/router` (DefinitelyTyped's naming).
 *
 * @example
 * moduleNameOfPackage('@types/koa__router'); // '@koa/router'
 */
export function moduleNameOfPackage(packageName: string): string {
  if (!packageName.startsWith('@types/')) return packageName;
  const bare = packageName.slice('@types/'.length);
  const scoped = bare.split('__');
  return scoped.length === 2 ? `@${scoped[0] ?? ''}/${scoped[1] ?? ''}` : bare;
}

function isLibFile(fileName: string): boolean {
  return /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(fileName);
}

function declarationName(node: ts.Node): string | undefined {
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isModuleDeclaration(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isMethodSignature(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isPropertySignature(node) ||
      ts.isPropertyDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node)) &&
    node.name !== undefined &&
    (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
  ) {
    return node.name.text;
  }
  return undefined;
}

/** The identifier of `export = X` in a module body or file, if any. */
function exportEqualsName(statements: readonly ts.Statement[]): string | undefined {
  for (const statement of statements) {
    if (ts.isExportAssignment(statement) && statement.isExportEquals && ts.isIdentifier(statement.expression)) {
      return statement.expression.text;
    }
  }
  return undefined;
}

/**
 * Follows a declaration up to the module that declares it and names its path there, in the catalog's
 * export-path forms: `readFileSync`, `realpathSync.native` (namespace member), `Statement#all`
 * (member of a declared type), `default` (the `export =` target). Declarations in TypeScript's own
 * lib files are globals (`Atomics.wait`). Project files have no origin.
 *
 * @example
 * declarationOrigin(checker.getAliasedSymbol(symbol).declarations[0]); // { kind: 'module', module: 'fs', path: 'readFileSync' }
 */
export function declarationOrigin(declaration: ts.Node): DeclarationOrigin | undefined {
  const names: string[] = [];
  let memberOf: string | undefined;
  const ownName = declarationName(declaration);
  if (ownName === undefined) return undefined;
  let node: ts.Node = declaration;
  let isMember = false;
  if (ts.isMethodSignature(node) || ts.isMethodDeclaration(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) {
    const owner = node.parent;
    if ((ts.isInterfaceDeclaration(owner) || ts.isClassDeclaration(owner)) && owner.name !== undefined) {
      memberOf = owner.name.text;
      isMember = true;
      node = owner;
    } else if (ts.isTypeLiteralNode(owner)) {
      return undefined;
    }
  }
  if (ts.isVariableDeclaration(node)) node = node.parent.parent;
  for (let current = node.parent as ts.Node | undefined; current !== undefined; current = current.parent as ts.Node | undefined) {
    if (ts.isModuleBlock(current)) continue;
    if (ts.isModuleDeclaration(current)) {
      if (ts.isStringLiteral(current.name)) {
        const body = current.body !== undefined && ts.isModuleBlock(current.body) ? current.body.statements : [];
        return finish({ kind: 'module', module: current.name.text }, names, ownName, memberOf, isMember, exportEqualsName(body));
      }
      if (!isGlobalAugmentation(current)) names.unshift(current.name.text);
      continue;
    }
    if (ts.isSourceFile(current)) {
      if (isLibFile(current.fileName)) {
        if (!isMember && names.length === 0) return { kind: 'global', path: ownName };
        return { kind: 'global', path: [...names, memberOf ?? '', ownName].filter((part) => part !== '').join('.') };
      }
      const packageName = packageDirName(current.fileName);
      if (packageName === undefined) return undefined;
      return finish({ kind: 'module', module: moduleNameOfPackage(packageName) }, names, ownName, memberOf, isMember, exportEqualsName(current.statements));
    }
  }
  return undefined;
}

function isGlobalAugmentation(node: ts.ModuleDeclaration): boolean {
  return (node.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
}

function finish(
  origin: { kind: 'module'; module: string },
  namespaces: string[],
  ownName: string,
  memberOf: string | undefined,
  isMember: boolean,
  exportEquals: string | undefined,
): DeclarationOrigin {
  // `declare function spawn(); declare namespace spawn { function sync() }; export = spawn`: the
  // namespace *is* the module, so `spawn.sync` is the module's `sync`.
  const path = exportEquals !== undefined && namespaces[0] === exportEquals ? namespaces.slice(1) : namespaces;
  if (isMember && memberOf !== undefined) return { ...origin, path: `${memberOf}#${ownName}` };
  if (path.length === 0 && exportEquals === ownName) return { ...origin, path: 'default' };
  return { ...origin, path: [...path, ownName].join('.') };
}
