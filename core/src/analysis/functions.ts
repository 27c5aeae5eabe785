import ts from 'typescript';

import { testFunctionNames, testRunnerModules } from '../registry/test-runners.js';
import { importedPath } from './import-binding.js';

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  SyntaxKind, isAsExpression, isCallExpression, isClassDeclaration, isClassExpression,
  isClassStaticBlockDeclaration, isConstructorDeclaration, isFunctionDeclaration,
  isFunctionExpression, isGetAccessorDeclaration, isIdentifier, isMethodDeclaration,
  isParenthesizedExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment,
  isPropertyDeclaration, isSatisfiesExpression, isSetAccessorDeclaration, isStringLiteral, isVariableDeclaration,
} = ts;

/** A function with a body: what the call graph is made of. */
export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/** Is this node a function with a body? */
export function isFunctionNode(node: ts.Node): node is FunctionNode {
  // One switch on the kind: every walk of every analysis asks this of each node it passes.
  switch (node.kind) {
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Constructor:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
      return (node as FunctionNode).body !== undefined;
    default:
      return false;
  }
}

/** Is the function declared `async`? */
export function isAsyncFunction(node: FunctionNode): boolean {
  // The modifiers as written (decorators among them are never `async`): no filtered copy per call.
  const modifiers = node.modifiers;
  if (modifiers === undefined) return false;
  for (const modifier of modifiers) if (modifier.kind === SyntaxKind.AsyncKeyword) return true;
  return false;
}

/** The innermost function that contains a node, or undefined at module top level. */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let current = node.parent as ts.Node | undefined; current !== undefined; current = current.parent) {
    if (isFunctionNode(current)) return current;
    if (isClassStaticBlockDeclaration(current)) return undefined;
  }
  return undefined;
}

/**
 * A readable name for a function, as users would write its call: `loadTemplate`, `UsersService.find`,
 * or the variable or property an arrow function is assigned to.
 */
export function functionName(node: FunctionNode): string {
  if ((isFunctionDeclaration(node) || isFunctionExpression(node)) && node.name !== undefined) return node.name.text;
  if (isMethodDeclaration(node) || isGetAccessorDeclaration(node) || isSetAccessorDeclaration(node)) {
    const owner = node.parent;
    const name = isIdentifier(node.name) || isStringLiteral(node.name) || isPrivateIdentifier(node.name) ? node.name.text : 'method';
    return (isClassDeclaration(owner) || isClassExpression(owner)) && owner.name !== undefined ? `${owner.name.text}.${name}` : name;
  }
  if (isConstructorDeclaration(node)) {
    const owner = node.parent;
    return `new ${isClassDeclaration(owner) && owner.name !== undefined ? owner.name.text : 'class'}`;
  }
  const parent = node.parent;
  if ((isVariableDeclaration(parent) || isPropertyAssignment(parent) || isPropertyDeclaration(parent)) && isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return 'anonymous function';
}

/** The function a value declaration holds: a function declaration, or a variable/property initialised with one. */
export function functionOfDeclaration(declaration: ts.Node): FunctionNode | undefined {
  if (isFunctionNode(declaration)) return declaration;
  if (
    (isVariableDeclaration(declaration) || isPropertyAssignment(declaration) || isPropertyDeclaration(declaration)) &&
    declaration.initializer !== undefined
  ) {
    let initializer: ts.Expression = declaration.initializer;
    while (isParenthesizedExpression(initializer) || isAsExpression(initializer) || isSatisfiesExpression(initializer)) {
      initializer = initializer.expression;
    }
    return isFunctionNode(initializer) ? initializer : undefined;
  }
  return undefined;
}

/**
 * Where `async` goes to make a function async: before `function`, before a method's name (after
 * `static`, `public` and decorators), or before an arrow's parameters.
 *
 * @example
 * insertAt(asyncModifierPosition(fn, sourceFile), 'async ');
 */
export function asyncModifierPosition(fn: FunctionNode, sourceFile: ts.SourceFile): number {
  if (isFunctionDeclaration(fn) || isFunctionExpression(fn)) {
    const keyword = fn.getChildren(sourceFile).find((child) => child.kind === SyntaxKind.FunctionKeyword);
    return (keyword ?? fn).getStart(sourceFile);
  }
  if (isMethodDeclaration(fn)) return fn.name.getStart(sourceFile);
  return fn.getStart(sourceFile);
}

/**
 * A test's own body (`it('…', async () => …)`, `test.each(…)(…)`, hooks): its steps run in order on
 * purpose, one request or assertion after another, and the test runner bounds how long it may take.
 * The test function is a global, declared in the file, or imported from a test runner.
 *
 * @example
 * isTestCallback(fn); // true for the arrow of it('loads', async () => { … })
 */
export function isTestCallback(fn: FunctionNode): boolean {
  const call = fn.parent;
  if (!isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  let callee: ts.Expression = call.expression;
  for (;;) {
    if (isCallExpression(callee)) callee = callee.expression;
    else if (isPropertyAccessExpression(callee)) callee = callee.expression;
    else break;
  }
  if (!isIdentifier(callee) || !testFunctionNames.has(callee.text)) return false;
  const imported = importedPath(callee);
  return imported === undefined || testRunnerModules.has(imported.specifier);
}

/**
 * Is the function a test's body or hook, or nested in one?
 *
 * @example
 * insideTest(fn); // true for the callback of items.map(async (item) => …) inside it('…', …)
 */
export function insideTest(fn: FunctionNode): boolean {
  for (let current: FunctionNode | undefined = fn; current !== undefined; current = enclosingFunction(current)) {
    if (isTestCallback(current)) return true;
  }
  return false;
}
