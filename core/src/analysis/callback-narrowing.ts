import ts from 'typescript';

import { bindingIdentifiers, declaredInLoop, forEachAssignedIdentifier, isReference, mayAssign } from './bindings.js';
import { isFunctionNode, type FunctionNode } from './functions.js';

// Why a loop rewrite can fail to type-check: `Promise.all(items.map(async (item) => …))` moves the
// body into a callback, and TypeScript carries only some narrowings into callbacks. This finds a
// read of the body that would lose one (`req.user.id` after `if (!req.user) return`), so the
// concurrent-awaits analysis offers no rewrite for that loop.

const {
  NodeFlags, SymbolFlags, SyntaxKind, TypeFlags, forEachChild, isBindingElement, isCatchClause, isElementAccessExpression,
  isExportDeclaration, isIdentifier, isLiteralExpression, isNamedExports, isNonNullExpression,
  isParameter, isParenthesizedExpression, isPropertyAccessExpression, isShorthandPropertyAssignment,
  isSourceFile, isVariableDeclaration, isVariableDeclarationList, isVariableStatement,
} = ts;

/** What the check reads of the file: a node's text, and the declaration an identifier refers to (cached by the caller). */
export interface SourceReads {
  textOf(node: ts.Node): string;
  declarationOf(identifier: ts.Identifier): ts.Node | undefined;
}

/**
 * A read of the loop (its body, or its header's defaults) that TypeScript narrows there but would
 * not narrow in the callback a rewrite moves it into, so the rewrite would not type-check:
 * - a member path rooted outside the loop (`req.user.id` after `if (!req.user) return`,
 *   `this.token`, `const { user } = req`): TypeScript never carries a member's narrowing into a
 *   callback;
 * - a `var`, an exported `let`, or a parameter, `catch` binding or `let` that the read is not past
 *   the last assignment of (counted to the end of the outermost statement holding it, and never
 *   passed when a nested function assigns it): `token` after `if (!token) return`, assigned again
 *   below the loop.
 * A read counts only when its declared type is not assignable to its type there (it is narrowed to
 * something the wider type would not fit), which takes the checker; a member path is asked about
 * only when the function spells it before the loop, where a narrowing must be.
 *
 * @example
 * losesNarrowing(loop, fn, reads, () => program.getTypeChecker(), false)?.getText(); // 'req.user'
 */
export function losesNarrowing(
  loop: ts.ForOfStatement | ts.ForStatement,
  fn: FunctionNode,
  reads: SourceReads,
  checkerOf: () => ts.TypeChecker | undefined,
  uncheckedIndex: boolean,
): ts.Identifier | ts.Expression | undefined {
  // `req?.user`, `req['user']` and `req.user!` are one path to TypeScript's narrowing.
  const spelledBefore = pathKey(reads.textOf(fn).slice(0, Math.max(0, loop.pos - fn.pos)));
  const names: ts.Identifier[] = [];
  const members: (ts.PropertyAccessExpression | ts.ElementAccessExpression)[] = [];
  const destructured: ts.BindingElement[] = [];
  const collect = (node: ts.Node): void => {
    if (isIdentifier(node)) {
      if (isReference(node) && !declaredInLoop(node, loop)) names.push(node);
      return;
    }
    if ((isPropertyAccessExpression(node) || (isElementAccessExpression(node) && isLiteralExpression(node.argumentExpression))) && isOuterMember(node, loop) && spelledBefore.includes(pathKey(reads.textOf(node)))) {
      members.push(node);
    }
    // `const { user } = req` reads `req.user` as narrowed, like the member path itself.
    if (isVariableDeclaration(node) && node.initializer !== undefined && node.name.kind === SyntaxKind.ObjectBindingPattern) {
      const source = pathKey(reads.textOf(node.initializer));
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (isIdentifier(key) && isIdentifier(element.name) && element.dotDotDotToken === undefined && spelledBefore.includes(`${source}.${key.text}`)) destructured.push(element);
      }
    }
    forEachChild(node, collect);
  };
  // The header's defaults move into the callback's parameters too.
  collect(loop.initializer ?? loop.statement);
  if (loop.initializer !== undefined) collect(loop.statement);
  // Which reads could lose a narrowing is a question of syntax; whether they have one, of types.
  const lastAssignments = new Map<ts.Node, number>();
  const candidates: ts.Expression[] = [...members];
  for (const name of names) {
    const declaration = reads.declarationOf(name);
    const root = declaration === undefined ? undefined : mutableRoot(declaration);
    if (declaration === undefined || root === undefined) continue;
    let last = lastAssignments.get(declaration);
    if (last === undefined) {
      last = neverKeptInCallbacks(root) ? Infinity : lastAssignmentEnd(declaration, root, reads);
      lastAssignments.set(declaration, last);
    }
    if (last >= name.pos) candidates.push(name);
  }
  const checker = candidates.length === 0 && destructured.length === 0 ? undefined : checkerOf();
  if (checker === undefined) return undefined;
  return candidates.find((read) => losesType(read, checker, uncheckedIndex)) ?? destructured.find((element) => losesDestructuredType(element, checker))?.name as ts.Identifier | undefined;
}

/** Would a name destructured from an outer object (`const { user } = req`) see a wider type in a callback? */
function losesDestructuredType(element: ts.BindingElement, checker: ts.TypeChecker): boolean {
  const declaration = element.parent.parent;
  const key = element.propertyName ?? element.name;
  if (!isVariableDeclaration(declaration) || declaration.initializer === undefined || !isIdentifier(key)) return false;
  const property = checker.getPropertyOfType(checker.getTypeAtLocation(declaration.initializer), key.text);
  return property === undefined || !checker.isTypeAssignableTo(checker.getTypeOfSymbol(property), checker.getTypeAtLocation(element.name));
}

/**
 * Would the read see a wider type in a callback? Its type without the narrowing (the binding's or
 * property's declared type, or an index signature's) is then not assignable to its type here:
 * `string | undefined` to `string`. A read of an `any` object, an enum member or a readonly literal
 * loses nothing.
 */
function losesType(read: ts.Expression, checker: ts.TypeChecker, uncheckedIndex: boolean): boolean {
  const here = checker.getTypeAtLocation(read);
  const member = isPropertyAccessExpression(read) || isElementAccessExpression(read) ? read : undefined;
  // `{ user }`: the name is the property's; the value read is the binding's.
  const symbol =
    member === undefined
      ? isShorthandPropertyAssignment(read.parent) ? checker.getShorthandAssignmentValueSymbol(read.parent) : checker.getSymbolAtLocation(read)
      : checker.getSymbolAtLocation(isPropertyAccessExpression(member) ? member.name : member.argumentExpression);
  // A property of an index signature declared in an interface (`ParsedQs`) has the signature's symbol, typed `any`: the signature decides.
  if (symbol !== undefined && (symbol.flags & SymbolFlags.Signature) === 0) return !checker.isTypeAssignableTo(checker.getTypeOfSymbol(symbol), here);
  if (member === undefined) return true;
  const object = checker.getTypeAtLocation(member.expression);
  if ((object.flags & TypeFlags.Any) !== 0) return false;
  // `req.params.owner`: a property of an index signature (`{ [key: string]: string }`), which
  // `noUncheckedIndexedAccess` reads as possibly `undefined`.
  const index = checker.getIndexInfosOfType(object)[0]?.type;
  return index === undefined || !checker.isTypeAssignableTo(index, here) || (uncheckedIndex && !checker.isTypeAssignableTo(checker.getUndefinedType(), here));
}

/**
 * A path's text as TypeScript's narrowing sees it: no spaces, `?.` and `!` dropped, `['user']` as
 * `.user`, other keys in one kind of quotes, `(req).user` as `req.user`.
 */
function pathKey(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/\?\.(?=[[(])/g, '')
    .replace(/\?\./g, '.')
    .replace(/(?<=[\w$)\]])!(?!=)/g, '')
    .replace(/\[(['"`])([A-Za-z_$][\w$]*)\1\]/g, '.$2')
    .replace(/\[(['"`])((?:(?!\1).)*)\1\]/g, '["$2"]')
    .replace(/\((this|[A-Za-z_$][\w$]*)\)(?=[.[])/g, '$1');
}

/** A member path whose root (`this`, or a name) is from outside the loop: `req.user`, `this.token`, `state['next']`. */
function isOuterMember(expression: ts.PropertyAccessExpression | ts.ElementAccessExpression, loop: ts.ForOfStatement | ts.ForStatement): boolean {
  let current: ts.Expression = expression;
  while (isPropertyAccessExpression(current) || isElementAccessExpression(current) || isParenthesizedExpression(current) || isNonNullExpression(current)) current = current.expression;
  return current.kind === SyntaxKind.ThisKeyword || (isIdentifier(current) && !declaredInLoop(current, loop));
}

/**
 * The parameter, `catch` or `let`/`var` declaration a declared name belongs to (through
 * destructuring); undefined for a `const`, an import or a function.
 *
 * @example
 * mutableRoot(findLocalDeclaration(reference)); // the `let token` a reference reads, or undefined for a const
 */
export function mutableRoot(declaration: ts.Node): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  let node = declaration;
  while (isBindingElement(node) || node.kind === SyntaxKind.ObjectBindingPattern || node.kind === SyntaxKind.ArrayBindingPattern) node = node.parent;
  if (isParameter(node) || (isVariableDeclaration(node) && isCatchClause(node.parent))) return node;
  // `var` and `let`; `const`, `using` and `await using` are never assigned.
  if (isVariableDeclaration(node) && isVariableDeclarationList(node.parent) && (node.parent.flags & (NodeFlags.Const | NodeFlags.Using)) === 0) return node;
  return undefined;
}

/**
 * A binding whose narrowing TypeScript never carries into a callback, wherever it is assigned: a
 * `var`, an exported `let` (also through `export { name }`), and a `let` at the top of a script (a
 * file that neither imports nor exports, whose top-level names other scripts share).
 */
function neverKeptInCallbacks(root: ts.ParameterDeclaration | ts.VariableDeclaration): boolean {
  if (!isVariableDeclaration(root) || !isVariableDeclarationList(root.parent)) return false;
  if ((root.parent.flags & NodeFlags.Let) === 0) return true;
  const statement = root.parent.parent;
  if (!isVariableStatement(statement) || !isSourceFile(statement.parent)) return false;
  if (statement.modifiers?.some((modifier) => modifier.kind === SyntaxKind.ExportKeyword) === true || !ts.isExternalModule(statement.parent)) return true;
  const names = new Set(bindingIdentifiers(root.name).map((identifier) => identifier.text));
  return statement.parent.statements.some(
    (candidate) => isExportDeclaration(candidate) && candidate.moduleSpecifier === undefined && candidate.exportClause !== undefined && isNamedExports(candidate.exportClause) && candidate.exportClause.elements.some((element) => names.has((element.propertyName ?? element.name).text)),
  );
}

/**
 * Where a binding's last assignment ends, as TypeScript counts it for narrowing in callbacks: the
 * end of the outermost statement holding it (within the declaring function), infinity when a
 * nested function assigns it, and 0 when nothing does.
 */
function lastAssignmentEnd(declaration: ts.Node, root: ts.ParameterDeclaration | ts.VariableDeclaration, reads: SourceReads): number {
  let container: ts.Node = root.parent;
  while (!isFunctionNode(container) && !isSourceFile(container)) container = container.parent;
  const name = (declaration as ts.NamedDeclaration).name;
  if (name === undefined || !isIdentifier(name) || !mayAssign(reads.textOf(container))) return 0;
  let last = 0;
  // Every assignment is looked at (the walk never stops early): the last one counts.
  forEachAssignedIdentifier(container, (target) => {
    if (target.text !== name.text || reads.declarationOf(target) !== declaration) return false;
    let scope: ts.Node = target.parent;
    while (!isFunctionNode(scope) && !isSourceFile(scope)) scope = scope.parent;
    if (scope !== container) {
      last = Infinity;
      return false;
    }
    let end = target.pos;
    for (let node: ts.Node = target; node.pos > root.pos && node !== container; node = node.parent) if (isStatementCountedByNarrowing(node)) end = node.end;
    last = Math.max(last, end);
    return false;
  });
  return last;
}

/** The statements whose end TypeScript takes as the position of an assignment inside them. */
function isStatementCountedByNarrowing(node: ts.Node): boolean {
  switch (node.kind) {
    case SyntaxKind.VariableStatement:
    case SyntaxKind.ExpressionStatement:
    case SyntaxKind.IfStatement:
    case SyntaxKind.DoStatement:
    case SyntaxKind.WhileStatement:
    case SyntaxKind.ForStatement:
    case SyntaxKind.ForInStatement:
    case SyntaxKind.ForOfStatement:
    case SyntaxKind.WithStatement:
    case SyntaxKind.SwitchStatement:
    case SyntaxKind.TryStatement:
    case SyntaxKind.ClassDeclaration:
      return true;
    default:
      return false;
  }
}
