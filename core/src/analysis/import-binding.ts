import ts from 'typescript';

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  NodeFlags, SyntaxKind, getCombinedNodeFlags, isAsExpression, isAwaitExpression, isBindingElement,
  isBlock, isCallExpression, isCaseClause, isCatchClause, isClassDeclaration, isDefaultClause,
  isElementAccessExpression, isExternalModuleReference, isForInStatement, isForOfStatement,
  isForStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier,
  isImportClause, isImportDeclaration, isImportEqualsDeclaration, isImportSpecifier, isModuleBlock,
  isNamedImports, isNamespaceImport, isNonNullExpression, isObjectBindingPattern,
  isOmittedExpression, isParenthesizedExpression, isPropertyAccessExpression,
  isSatisfiesExpression, isSourceFile, isStringLiteral, isStringLiteralLike,
  isTypeAssertionExpression, isVariableDeclaration, isVariableDeclarationList, isVariableStatement,
} = ts;

/** A value reached from a module import: the specifier as written and the access path from it. */
export interface ImportedPath {
  readonly specifier: string;
  /** Dotted path from the module namespace: `readFileSync`, `default.readFileSync`, `promises.readFile`, `` (the namespace). */
  readonly path: string;
}

/** Removes wrappers that do not change which value an expression denotes: `(x)`, `x!`, `x as T`, `x satisfies T`. */
export function skipWrappers(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    isParenthesizedExpression(current) ||
    isNonNullExpression(current) ||
    isAsExpression(current) ||
    isSatisfiesExpression(current) ||
    isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** `require('m')` or `await import('m')`: the specifier, else undefined. */
export function moduleLoadSpecifier(expression: ts.Expression): string | undefined {
  let current = skipWrappers(expression);
  if (isAwaitExpression(current)) current = skipWrappers(current.expression);
  if (!isCallExpression(current)) return undefined;
  const [argument] = current.arguments;
  if (argument === undefined || !isStringLiteralLike(argument)) return undefined;
  const isRequire = isIdentifier(current.expression) && current.expression.text === 'require';
  const isImport = current.expression.kind === SyntaxKind.ImportKeyword;
  return isRequire || isImport ? argument.text : undefined;
}

/**
 * Splits `a.b.c` (also `a['b']`) into its root and member names.
 *
 * @example
 * accessChain(parse('fs.default.readFileSync')); // { root: Identifier(fs), members: ['default', 'readFileSync'] }
 */
export function accessChain(expression: ts.Expression): { root: ts.Expression; members: string[] } {
  const members: string[] = [];
  let current = skipWrappers(expression);
  for (;;) {
    if (isPropertyAccessExpression(current) && isIdentifier(current.name)) {
      members.unshift(current.name.text);
      current = skipWrappers(current.expression);
    } else if (isElementAccessExpression(current) && isStringLiteralLike(current.argumentExpression)) {
      members.unshift(current.argumentExpression.text);
      current = skipWrappers(current.expression);
    } else {
      return { root: current, members };
    }
  }
}

/**
 * Finds the declaration an identifier refers to by walking the enclosing scopes, for code without a
 * type checker. Parameters and local declarations shadow imports, as in JavaScript. With `within`,
 * only the scopes up to that node (itself included) are searched: undefined then means the binding
 * is declared outside it, or nowhere in the file.
 *
 * @example
 * findLocalDeclaration(reference); // the `const user = …` the reference reads
 * findLocalDeclaration(reference, loop) === undefined; // declared outside the loop
 */
export function findLocalDeclaration(identifier: ts.Identifier, within?: ts.Node): ts.Declaration | undefined {
  const name = identifier.text;
  const end = within?.parent;
  for (let scope = identifier.parent as ts.Node | undefined; scope !== undefined && scope !== end; scope = scope.parent as ts.Node | undefined) {
    if (isFunctionLike(scope)) {
      for (const parameter of scope.parameters) {
        const found = findInBindingName(parameter.name, name);
        if (found !== undefined) return found;
      }
      // A named function expression's name is bound inside its own body.
      if (isFunctionExpression(scope) && scope.name?.text === name) return scope;
    }
    if (isBlock(scope) || isSourceFile(scope) || isModuleBlock(scope) || isCaseClause(scope) || isDefaultClause(scope)) {
      const found = findInStatements(scope.statements, name);
      if (found !== undefined) return found;
    }
    const loopInitializer = isForStatement(scope) || isForOfStatement(scope) || isForInStatement(scope) ? scope.initializer : undefined;
    if (loopInitializer !== undefined && isVariableDeclarationList(loopInitializer)) {
      for (const declaration of loopInitializer.declarations) {
        const found = findInBindingName(declaration.name, name);
        if (found !== undefined) return found;
      }
    }
    if (isCatchClause(scope) && scope.variableDeclaration !== undefined) {
      const found = findInBindingName(scope.variableDeclaration.name, name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function findInBindingName(binding: ts.BindingName, name: string): ts.Declaration | undefined {
  if (isIdentifier(binding)) return binding.text === name ? (binding.parent as ts.Declaration) : undefined;
  for (const element of binding.elements) {
    if (isOmittedExpression(element)) continue;
    const found = findInBindingName(element.name, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findInStatements(statements: readonly ts.Statement[], name: string): ts.Declaration | undefined {
  for (const statement of statements) {
    if (isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause === undefined) continue;
      if (clause.name?.text === name) return clause;
      const bindings = clause.namedBindings;
      if (bindings !== undefined && isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
      if (bindings !== undefined && isNamedImports(bindings)) {
        const element = bindings.elements.find((candidate) => candidate.name.text === name);
        if (element !== undefined) return element;
      }
    } else if (isImportEqualsDeclaration(statement) && statement.name.text === name) {
      return statement;
    } else if (isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const found = findInBindingName(declaration.name, name);
        if (found !== undefined) return found;
      }
    } else if ((isFunctionDeclaration(statement) || isClassDeclaration(statement)) && statement.name?.text === name) {
      return statement;
    }
  }
  return undefined;
}

/**
 * The module import an expression denotes, following import bindings, `require` (also destructured),
 * `import x = require()`, `await import()`, and local aliases (`const read = fs.readFileSync`).
 * With a checker, identifiers resolve by symbol; without one, by walking scopes.
 *
 * @example
 * importedPath(parse('read'), checker); // for `import { readFileSync as read } from 'fs'`: { specifier: 'fs', path: 'readFileSync' }
 */
export function importedPath(expression: ts.Expression, checker?: ts.TypeChecker, depth = 0): ImportedPath | undefined {
  if (depth > 4) return undefined;
  const { root, members } = accessChain(expression);
  const direct = moduleLoadSpecifier(root);
  if (direct !== undefined) return { specifier: direct, path: members.join('.') };
  if (!isIdentifier(root)) return undefined;
  const declaration = identifierDeclaration(root, checker);
  if (declaration === undefined) return undefined;
  const base = bindingBase(declaration, checker, depth);
  if (base === undefined) return undefined;
  return { specifier: base.specifier, path: [base.path, ...members].filter((part) => part !== '').join('.') };
}

function identifierDeclaration(identifier: ts.Identifier, checker: ts.TypeChecker | undefined): ts.Declaration | undefined {
  if (checker === undefined) return findLocalDeclaration(identifier);
  const symbol = checker.getSymbolAtLocation(identifier);
  return symbol?.declarations?.[0] ?? findLocalDeclaration(identifier);
}

function bindingBase(declaration: ts.Declaration, checker: ts.TypeChecker | undefined, depth: number): ImportedPath | undefined {
  if (isImportSpecifier(declaration)) {
    const specifier = declaration.parent.parent.parent.moduleSpecifier;
    if (!isStringLiteral(specifier)) return undefined;
    return { specifier: specifier.text, path: (declaration.propertyName ?? declaration.name).text };
  }
  if (isImportClause(declaration)) {
    const specifier = declaration.parent.moduleSpecifier;
    return isStringLiteral(specifier) ? { specifier: specifier.text, path: 'default' } : undefined;
  }
  if (isNamespaceImport(declaration)) {
    const specifier = declaration.parent.parent.moduleSpecifier;
    return isStringLiteral(specifier) ? { specifier: specifier.text, path: '' } : undefined;
  }
  if (isImportEqualsDeclaration(declaration)) {
    const reference = declaration.moduleReference;
    if (isExternalModuleReference(reference) && isStringLiteral(reference.expression)) {
      return { specifier: reference.expression.text, path: '' };
    }
    return undefined;
  }
  if (isBindingElement(declaration)) {
    const pattern = declaration.parent;
    if (!isObjectBindingPattern(pattern) || !isVariableDeclaration(pattern.parent) || pattern.parent.initializer === undefined) {
      return undefined;
    }
    const property = declaration.propertyName ?? declaration.name;
    if (!isIdentifier(property) && !isStringLiteral(property)) return undefined;
    const source = importedPath(pattern.parent.initializer, checker, depth + 1);
    if (source === undefined) return undefined;
    return { specifier: source.specifier, path: [source.path, property.text].filter((part) => part !== '').join('.') };
  }
  if (isVariableDeclaration(declaration) && declaration.initializer !== undefined && isIdentifier(declaration.name)) {
    // Only constants: a `let` may be reassigned to something else before the call.
    if ((getCombinedNodeFlags(declaration) & NodeFlags.Const) === 0) return undefined;
    return importedPath(declaration.initializer, checker, depth + 1);
  }
  return undefined;
}
