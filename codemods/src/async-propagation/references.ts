import ts from 'typescript';

import type { FunctionNode } from '@loopguard/core/analysis';

/** How a function is referred to. */
export type Reference =
  /** Called directly: `f(x)`, `store.read(x)`, `this.read(x)`. */
  | { readonly kind: 'call'; readonly node: ts.Identifier | ts.PrivateIdentifier; readonly call: ts.CallExpression }
  /** Used as a value: passed, assigned, `.bind`-ed, called with `new` or as a tag. */
  | { readonly kind: 'value'; readonly node: ts.Identifier | ts.PrivateIdentifier }
  /** Used in a type: `typeof f`, `ReturnType<typeof f>`. */
  | { readonly kind: 'type'; readonly node: ts.Identifier | ts.PrivateIdentifier };

/** The name a function is declared under, or undefined for an inline function expression. */
export function declaredName(fn: FunctionNode): ts.Identifier | ts.PrivateIdentifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name !== undefined) {
    return ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name) ? fn.name : undefined;
  }
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    let holder: ts.Node = fn.parent;
    while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder)) holder = holder.parent;
    if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && (ts.isIdentifier(holder.name) || ts.isPrivateIdentifier(holder.name))) {
      return holder.name;
    }
  }
  return undefined;
}

/**
 * Every identifier of the program indexed by its text, built once, so finding the references of a
 * function costs a map lookup and a symbol resolution per same-named identifier instead of a
 * language-service search per function.
 */
export class ReferenceIndex {
  readonly #checker: ts.TypeChecker;
  readonly #byName = new Map<string, (ts.Identifier | ts.PrivateIdentifier)[]>();

  constructor(files: readonly ts.SourceFile[], checker: ts.TypeChecker, names: ReadonlySet<string>) {
    this.#checker = checker;
    const visit = (node: ts.Node): void => {
      if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && names.has(node.text)) {
        let list = this.#byName.get(node.text);
        if (list === undefined) {
          list = [];
          this.#byName.set(node.text, list);
        }
        list.push(node);
      }
      ts.forEachChild(node, visit);
    };
    for (const file of files) visit(file);
  }

  /** The references to a function declared under a name; an inline function expression has none. */
  referencesOf(fn: FunctionNode): Reference[] {
    const name = declaredName(fn);
    if (name === undefined) return [];
    // Compared by declaration: members reached through an instantiated or mapped type are transient
    // copies of the declared symbol.
    const declaration = name.parent;
    const references: Reference[] = [];
    for (const identifier of this.#byName.get(name.text) ?? []) {
      if (identifier === name || isDeclarationOrModuleSyntax(identifier)) continue;
      if (!(this.#symbolOf(identifier)?.declarations?.includes(declaration as ts.Declaration) ?? false)) continue;
      references.push(classify(identifier));
    }
    return references;
  }

  #symbolOf(identifier: ts.Identifier | ts.PrivateIdentifier): ts.Symbol | undefined {
    const parent = identifier.parent;
    let symbol = ts.isShorthandPropertyAssignment(parent) && parent.name === identifier
      ? this.#checker.getShorthandAssignmentValueSymbol(parent)
      : this.#checker.getSymbolAtLocation(identifier);
    if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = this.#checker.getAliasedSymbol(symbol);
    return symbol;
  }
}

function isDeclarationOrModuleSyntax(identifier: ts.Identifier | ts.PrivateIdentifier): boolean {
  const parent = identifier.parent;
  return (
    ts.isImportSpecifier(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isImportEqualsDeclaration(parent) ||
    ts.isExportAssignment(parent) ||
    (ts.isFunctionDeclaration(parent) && parent.name === identifier) ||
    (ts.isMethodDeclaration(parent) && parent.name === identifier) ||
    (ts.isMethodSignature(parent) && parent.name === identifier) ||
    (ts.isVariableDeclaration(parent) && parent.name === identifier) ||
    (ts.isPropertyAssignment(parent) && parent.name === identifier) ||
    (ts.isPropertyDeclaration(parent) && parent.name === identifier) ||
    (ts.isPropertySignature(parent) && parent.name === identifier) ||
    ts.isJSDoc(parent) ||
    ts.isJSDocLinkLike(parent)
  );
}

function classify(identifier: ts.Identifier | ts.PrivateIdentifier): Reference {
  for (let current: ts.Node = identifier.parent; !ts.isSourceFile(current); current = current.parent) {
    if (ts.isTypeQueryNode(current)) return { kind: 'type', node: identifier };
    if (ts.isExpression(current) || ts.isStatement(current)) break;
  }
  // The callee of `f(x)`, `a.f(x)`, `this.#f(x)` (also through parentheses or `!`).
  let callee: ts.Node = identifier;
  if (ts.isPropertyAccessExpression(identifier.parent) && identifier.parent.name === identifier) callee = identifier.parent;
  while (ts.isParenthesizedExpression(callee.parent) || ts.isNonNullExpression(callee.parent)) callee = callee.parent;
  const parent = callee.parent;
  if (ts.isCallExpression(parent) && parent.expression === callee) return { kind: 'call', node: identifier, call: parent };
  return { kind: 'value', node: identifier };
}
