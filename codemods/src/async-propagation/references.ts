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

  readonly #aliases: Aliases;

  constructor(files: readonly ts.SourceFile[], checker: ts.TypeChecker, declaredNames: ReadonlySet<string>) {
    this.#checker = checker;
    this.#aliases = collectAliases(files);
    const names = new Set(declaredNames);
    for (const set of this.#aliases.renamed.values()) for (const alias of set) names.add(alias);
    for (const alias of this.#aliases.defaults) names.add(alias);
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

  /**
   * The types instances of a class are used as: the contextual type of each `new C()` (a typed
   * variable, a parameter, a property), when it is not the class itself.
   */
  instanceSlots(owner: ts.ClassLikeDeclaration): ts.Type[] {
    const name = owner.name;
    if (name === undefined) return [];
    const slots: ts.Type[] = [];
    const own = this.#checker.getTypeAtLocation(name);
    for (const identifier of this.#byName.get(name.text) ?? []) {
      const parent = identifier.parent;
      if (!ts.isNewExpression(parent) || parent.expression !== identifier) continue;
      if (!(this.#symbolOf(identifier)?.declarations?.includes(owner) ?? false)) continue;
      const expected = this.#checker.getContextualType(parent);
      if (expected !== undefined && expected !== own && (expected.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) === 0) slots.push(expected);
    }
    return slots;
  }

  /** The references to a function declared under a name; an inline function expression has none. */
  referencesOf(fn: FunctionNode): Reference[] {
    const name = declaredName(fn);
    if (name === undefined) return [];
    // Compared by declaration: members reached through an instantiated or mapped type are transient
    // copies of the declared symbol.
    const declaration = name.parent;
    const references: Reference[] = [];
    const identifiers = [...namesOf(name.text, this.#aliases, isDefaultExported(fn))].flatMap((alias) => this.#byName.get(alias) ?? []);
    for (const identifier of identifiers) {
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
    // `const { load } = lib`: the local binding stands for the property it was destructured from.
    const declaration = symbol?.valueDeclaration;
    if (declaration !== undefined && ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
      const property = (declaration.propertyName ?? declaration.name).getText();
      let source = this.#checker.getTypeAtLocation(declaration.parent).getProperty(property);
      if (source !== undefined && (source.flags & ts.SymbolFlags.Alias) !== 0) source = this.#checker.getAliasedSymbol(source);
      return source ?? symbol;
    }
    return symbol;
  }
}

/** The other names functions are reachable under, by the name they are imported or destructured from. */
interface Aliases {
  /** `import { load as read }`, `export { load as read }`, `const { load: read } = lib`: load → read. */
  readonly renamed: Map<string, Set<string>>;
  /** Local names of default imports: any default-exported function may hide behind one. */
  readonly defaults: Set<string>;
}

function collectAliases(files: readonly ts.SourceFile[]): Aliases {
  const aliases: Aliases = { renamed: new Map(), defaults: new Set() };
  const add = (from: string, to: string): void => {
    if (from === to) return;
    const set = aliases.renamed.get(from) ?? new Set();
    set.add(to);
    aliases.renamed.set(from, set);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) && node.propertyName !== undefined) add(node.propertyName.text, node.name.text);
    else if (ts.isImportClause(node) && node.name !== undefined) aliases.defaults.add(node.name.text);
    else if (ts.isBindingElement(node) && ts.isIdentifier(node.name) && node.propertyName !== undefined && ts.isIdentifier(node.propertyName)) add(node.propertyName.text, node.name.text);
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(file);
  return aliases;
}

/** Every name a declared name is reachable under, following renames of renames. */
function namesOf(name: string, aliases: Aliases, defaultExported: boolean): Set<string> {
  const names = new Set([name]);
  const queue = [name, ...(defaultExported ? aliases.defaults : [])];
  for (const extra of defaultExported ? aliases.defaults : []) names.add(extra);
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === undefined) break;
    for (const next of aliases.renamed.get(current) ?? []) {
      if (names.has(next)) continue;
      names.add(next);
      queue.push(next);
    }
  }
  return names;
}

function isDefaultExported(fn: FunctionNode): boolean {
  const modifiers = ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined;
  if (modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword) === true) return true;
  const name = declaredName(fn);
  return name !== undefined && fn.getSourceFile().statements.some((statement) => ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression) && statement.expression.text === name.text);
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
    (ts.isBindingElement(parent) && (parent.name === identifier || parent.propertyName === identifier)) ||
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
