import ts from 'typescript';

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
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

/** Is the function declared `async`? */
export function isAsyncFunction(node: FunctionNode): boolean {
  return ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
}

/** The innermost function that contains a node, or undefined at module top level. */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let current = node.parent as ts.Node | undefined; current !== undefined; current = current.parent) {
    if (isFunctionNode(current)) return current;
    if (ts.isClassStaticBlockDeclaration(current)) return undefined;
  }
  return undefined;
}

/**
 * A readable name for a function, as users would write its call: `loadTemplate`, `UsersService.find`,
 * or the variable or property an arrow function is assigned to.
 */
export function functionName(node: FunctionNode): string {
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name !== undefined) return node.name.text;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const owner = node.parent;
    const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name) ? node.name.text : 'method';
    return (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) && owner.name !== undefined ? `${owner.name.text}.${name}` : name;
  }
  if (ts.isConstructorDeclaration(node)) {
    const owner = node.parent;
    return `new ${ts.isClassDeclaration(owner) && owner.name !== undefined ? owner.name.text : 'class'}`;
  }
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return 'anonymous function';
}

/** The function a value declaration holds: a function declaration, or a variable/property initialised with one. */
export function functionOfDeclaration(declaration: ts.Node): FunctionNode | undefined {
  if (isFunctionNode(declaration)) return declaration;
  if (
    (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) &&
    declaration.initializer !== undefined
  ) {
    let initializer: ts.Expression = declaration.initializer;
    while (ts.isParenthesizedExpression(initializer) || ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer)) {
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
  if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    const keyword = fn.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword);
    return (keyword ?? fn).getStart(sourceFile);
  }
  if (ts.isMethodDeclaration(fn)) return fn.name.getStart(sourceFile);
  return fn.getStart(sourceFile);
}
