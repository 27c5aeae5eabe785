import ts from 'typescript';

import { findLocalDeclaration } from './import-binding.js';

// Which bindings syntax declares, reads and assigns, without a type checker: shared by the
// concurrent-awaits analysis, its check for narrowings a callback would lose, and the rewrite's
// check that the constants it declares take names nothing else uses.

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  SyntaxKind, forEachChild, identifierToKeywordKind, isArrayLiteralExpression, isBinaryExpression, isBindingElement,
  isBreakOrContinueStatement, isClassDeclaration, isForInStatement, isForOfStatement,
  isFunctionDeclaration, isIdentifier, isLabeledStatement, isMethodDeclaration,
  isObjectLiteralExpression, isOmittedExpression, isParameter, isParenthesizedExpression,
  isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression,
  isPropertyAssignment, isPropertyDeclaration, isPropertySignature, isQualifiedName,
  isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isTypeReferenceNode,
  isVariableDeclaration, isVariableDeclarationList,
} = ts;

/** Is `inner` inside `outer` (by their ranges in the file)? */
export function encloses(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end;
}

/**
 * Is the binding an identifier refers to declared inside the loop: in its body (also by a function
 * nested there), or as a `for…of`'s own variable? A counting `for`'s counter is not: the header
 * carries it from one iteration to the next.
 */
export function declaredInLoop(identifier: ts.Identifier, loop: ts.ForOfStatement | ts.ForStatement): boolean {
  // Only the scopes inside the loop are searched: a name they do not declare is declared outside.
  const declaration = findLocalDeclaration(identifier, loop);
  if (declaration === undefined) return false;
  return encloses(loop.statement, declaration) || (isForOfStatement(loop) && encloses(loop.initializer, declaration));
}

/** The identifiers a binding name or pattern declares (`a`, `{ a, b: [c] }`). */
export function bindingIdentifiers(name: ts.BindingName): ts.Identifier[] {
  if (isIdentifier(name)) return [name];
  return name.elements.flatMap((element) => (isOmittedExpression(element) ? [] : bindingIdentifiers(element.name)));
}

/** An identifier that refers to a binding (not a property name, a declaration's own name or a label). */
export function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((isPropertyAssignment(parent) || isPropertyDeclaration(parent) || isMethodDeclaration(parent) || isPropertySignature(parent)) && parent.name === identifier) return false;
  if ((isVariableDeclaration(parent) || isParameter(parent) || isFunctionDeclaration(parent) || isClassDeclaration(parent)) && parent.name === identifier) return false;
  if (isBindingElement(parent) && (parent.name === identifier || parent.propertyName === identifier)) return false;
  if (isLabeledStatement(parent) || isBreakOrContinueStatement(parent)) return false;
  if (isTypeReferenceNode(parent) || isQualifiedName(parent)) return false;
  return true;
}

/** `=` (not `==`, `=>`, `<=`), a compound assignment, `++` or `--`, as text. */
export const assignmentOperator = /(?<![=!<>])=(?![=>])|<<=|>>=|\+\+|--/;

/** Could the text assign a binding (`=`, a compound assignment, `++`, `--`, a `for…of`/`for…in` head)? A test before a walk. */
export function mayAssign(text: string): boolean {
  return assignmentOperator.test(text) || /\b(?:of|in)\b/.test(text);
}

/**
 * Calls `visit` with every identifier the node assigns, in source order, until it returns true:
 * targets of `=` and compound assignments (through array and object destructuring and their
 * defaults), of `++` and `--`, and of `for…of`/`for…in` heads that assign existing bindings.
 * `x.y = …` assigns no identifier.
 */
export function forEachAssignedIdentifier(node: ts.Node, visit: (identifier: ts.Identifier) => boolean): boolean {
  const targets = (target: ts.Node): boolean => {
    if (isIdentifier(target)) return visit(target);
    if (isArrayLiteralExpression(target) || isObjectLiteralExpression(target) || isParenthesizedExpression(target) || isSpreadElement(target) || isSpreadAssignment(target) || isShorthandPropertyAssignment(target)) {
      return forEachChild(target, targets) === true;
    }
    if (isPropertyAssignment(target)) return targets(target.initializer);
    return isBinaryExpression(target) && target.operatorToken.kind === SyntaxKind.EqualsToken && targets(target.left);
  };
  const walk = (current: ts.Node): boolean => {
    if (isBinaryExpression(current) && current.operatorToken.kind >= SyntaxKind.FirstAssignment && current.operatorToken.kind <= SyntaxKind.LastAssignment && targets(current.left)) return true;
    if ((isPrefixUnaryExpression(current) || isPostfixUnaryExpression(current)) && (current.operator === SyntaxKind.PlusPlusToken || current.operator === SyntaxKind.MinusMinusToken) && targets(current.operand)) return true;
    if ((isForOfStatement(current) || isForInStatement(current)) && !isVariableDeclarationList(current.initializer) && targets(current.initializer)) return true;
    return forEachChild(current, walk) === true;
  };
  return walk(node);
}

/**
 * Names a constant cannot take, or should not, besides reserved words: `Promise` (the combined await
 * would read the constant before it is set), `__proto__` (as a shorthand property it no longer sets
 * the prototype), the globals strict code treats specially, and CommonJS's module names (compiled to
 * CommonJS, an `import()` below would call the constant `require`).
 */
const unusableNames = new Set(['arguments', 'eval', 'undefined', 'NaN', 'Infinity', 'Promise', '__proto__', 'require', 'module', 'exports', '__dirname', '__filename']);

/** A reserved word (`default`, `class`, `let`, `await`); contextual keywords (`type`, `of`, `async`) name constants fine. */
function isReservedWord(key: ts.Identifier): boolean {
  const kind = identifierToKeywordKind(key);
  return kind !== undefined && (kind <= SyntaxKind.LastFutureReservedWord || kind === SyntaxKind.AwaitKeyword);
}

/**
 * Can constants of these names (the properties' keys) go in the function? None is a keyword, and
 * the function neither declares nor refers to any of them elsewhere: the constant would clash with
 * a declaration, shadow an outer binding read there, or be read before it is set. A property name
 * (`req.profile`, `{ profile: string }` in a type) is neither.
 *
 * @example
 * areFreshConstantNames([key], fn, sourceFile); // false when `fn` also declares a `profile`
 */
export function areFreshConstantNames(keys: readonly ts.Identifier[], fn: ts.Node, sourceFile: ts.SourceFile): boolean {
  // `__…` names are the compiler's helpers' (`__awaiter`, `__importStar`) as much as anyone's.
  if (keys.some((key) => unusableNames.has(key.text) || key.text.startsWith('__') || isReservedWord(key)) || new Set(keys.map((key) => key.text)).size !== keys.length) return false;
  const text = sourceFile.text.slice(fn.getStart(sourceFile), fn.end);
  // Most keys appear in the function's text once, as themselves: no walk.
  if (keys.every((key) => text.split(key.text).length === 2)) return true;
  const names = new Set(keys.map((key) => key.text));
  let clash = false;
  const visit = (node: ts.Node): void => {
    if (clash) return;
    if (isIdentifier(node)) clash = names.has(node.text) && !keys.includes(node) && !isPropertyName(node);
    else forEachChild(node, visit);
  };
  visit(fn);
  return !clash;
}

/** An identifier that names a property, member, label or type rather than a value's binding. */
function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  switch (parent.kind) {
    case SyntaxKind.PropertyAccessExpression:
    case SyntaxKind.PropertyAssignment:
    case SyntaxKind.PropertyDeclaration:
    case SyntaxKind.PropertySignature:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.MethodSignature:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
    case SyntaxKind.EnumMember:
    case SyntaxKind.JsxAttribute:
      return (parent as ts.NamedDeclaration).name === identifier;
    case SyntaxKind.BindingElement:
      return (parent as ts.BindingElement).propertyName === identifier;
    // `typeof config.value` reads `config`: only the right of a qualified name is a property.
    case SyntaxKind.QualifiedName:
      return (parent as ts.QualifiedName).right === identifier;
    case SyntaxKind.LabeledStatement:
    case SyntaxKind.BreakStatement:
    case SyntaxKind.ContinueStatement:
    case SyntaxKind.TypeReference:
      return true;
    default:
      return false;
  }
}
