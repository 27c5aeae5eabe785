import ts from 'typescript';

import { isFunctionNode } from './functions.js';
import { skipWrappers } from './import-binding.js';

// Awaits in one expression (`res.json({ user: await getUser(id), posts: await getPosts(id) })`):
// which list an await is a member of, and what a statement evaluates before that list, by syntax.
// The concurrent-awaits analysis groups these awaits and decides where one combined await can go.

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  NodeFlags, SyntaxKind, isArrayLiteralExpression, isAsExpression, isBlock, isCallExpression,
  isAwaitExpression, isComputedPropertyName, isElementAccessExpression, isIdentifier, isLiteralExpression,
  isMethodDeclaration, isNewExpression, isNoSubstitutionTemplateLiteral, isNonNullExpression,
  isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression,
  isPropertyAssignment, isSatisfiesExpression, isShorthandPropertyAssignment,
} = ts;

/** An object literal, array literal or argument list whose members are evaluated in order. */
export type OperandList = ts.ObjectLiteralExpression | ts.ArrayLiteralExpression | ts.CallExpression | ts.NewExpression;

/**
 * The list an await is a member of: a property's value, an array element, an argument, also read
 * through (`(await getUser(id)).name`, `(await count())!`), which is evaluated first in the member.
 *
 * @example
 * operandListOf(awaitNode); // the `{ … }` of `res.json({ user: await getUser(id), … })`
 */
export function operandListOf(node: ts.AwaitExpression): OperandList | undefined {
  let child: ts.Node = node;
  let parent = node.parent;
  while (isReadThrough(parent, child)) {
    child = parent;
    parent = parent.parent;
  }
  if (isPropertyAssignment(parent)) return parent.initializer === child ? parent.parent : undefined;
  if (isArrayLiteralExpression(parent)) return parent;
  if ((isCallExpression(parent) || isNewExpression(parent)) && parent.expression !== child) return parent;
  return undefined;
}

/** Does `parent` read its value from `child`, evaluated first (`(child)`, `child.name`, `child[0]`, `child!`, `child as T`)? */
function isReadThrough(parent: ts.Node, child: ts.Node): boolean {
  if (isParenthesizedExpression(parent) || isNonNullExpression(parent) || isAsExpression(parent) || isSatisfiesExpression(parent)) return true;
  return (isPropertyAccessExpression(parent) || isElementAccessExpression(parent)) && parent.expression === child;
}

/**
 * The members of a list in the order they are evaluated: properties, elements or arguments.
 *
 * @example
 * listMembers(objectLiteral).length;
 */
export function listMembers(list: OperandList): readonly ts.Node[] {
  if (isObjectLiteralExpression(list)) return list.properties;
  if (isArrayLiteralExpression(list)) return list.elements;
  return list.arguments ?? [];
}

/**
 * The await a member is, or reads through (`(await getUser(id)).name`), if any.
 *
 * @example
 * memberValue(property); // the await of `name: (await getUser(id)).name`
 */
export function memberValue(member: ts.Node): ts.AwaitExpression | undefined {
  let value: ts.Node = isPropertyAssignment(member) ? member.initializer : member;
  while (isParenthesizedExpression(value) || isNonNullExpression(value) || isAsExpression(value) || isSatisfiesExpression(value) || isPropertyAccessExpression(value) || isElementAccessExpression(value)) value = value.expression;
  return isAwaitExpression(value) ? value : undefined;
}


/**
 * The statement holding a list, when nothing it evaluates before the list has an effect: walking
 * up, the list is an argument of a call whose callee is a path of property names (`res.json(…)`)
 * after inert arguments, a member of an outer literal after inert members, the right side of
 * `=` with a target of property names (`ctx.body = …`), or the value of a `return` or of a lone
 * declaration. The statement must sit in a block, where another can go before it.
 *
 * @example
 * statementEvaluatingFirst(objectLiteral, isInert); // the `res.json({ … });` statement, or undefined
 */
export function statementEvaluatingFirst(list: OperandList, isInert: (member: ts.Node) => boolean): ts.Statement | undefined {
  let child: ts.Node = list;
  for (let node: ts.Node = list.parent; ; child = node, node = node.parent) {
    switch (node.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.NonNullExpression:
        continue;
      case SyntaxKind.PropertyAssignment: {
        const property = node as ts.PropertyAssignment;
        if (property.initializer !== child || isComputedPropertyName(property.name)) return undefined;
        continue;
      }
      case SyntaxKind.ObjectLiteralExpression:
      case SyntaxKind.ArrayLiteralExpression:
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression: {
        const outer = node as OperandList;
        // `onResult?.(…)` evaluates its arguments only when there is a function to call.
        if ((isCallExpression(outer) || isNewExpression(outer)) && (outer.expression === child || (outer.flags & NodeFlags.OptionalChain) !== 0 || !isMethodPath(outer.expression))) return undefined;
        const members = listMembers(outer);
        const index = members.indexOf(child);
        if (index === -1 || !members.slice(0, index).every(isInert)) return undefined;
        continue;
      }
      case SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        if (binary.operatorToken.kind !== SyntaxKind.EqualsToken || binary.right !== child || !isMethodPath(binary.left)) return undefined;
        continue;
      }
      case SyntaxKind.VariableDeclaration:
        if ((node as ts.VariableDeclaration).initializer !== child) return undefined;
        continue;
      case SyntaxKind.VariableDeclarationList:
        if ((node as ts.VariableDeclarationList).declarations.length !== 1 || (node.flags & NodeFlags.Using) !== 0) return undefined;
        continue;
      case SyntaxKind.VariableStatement:
      case SyntaxKind.ExpressionStatement:
      case SyntaxKind.ReturnStatement:
        // Not a `case`: its declarations share the whole switch's scope (two such rewrites would clash).
        return isBlock(node.parent) ? (node as ts.Statement) : undefined;
      default:
        return undefined;
    }
  }
}

/**
 * A name or a chain of property names with no call and no `?.` (`res.json`, `ctx.body`): what
 * evaluating it before or after the awaits reads is a method or an object, not a result. A call in
 * it (`res.status(201).json`) would run after the awaits instead of before, and the status it sets
 * would be missing if one of them failed.
 */
function isMethodPath(expression: ts.Expression): boolean {
  let current = skipWrappers(expression);
  while (isPropertyAccessExpression(current) && current.questionDotToken === undefined) current = skipWrappers(current.expression);
  return isIdentifier(current) || current.kind === SyntaxKind.ThisKeyword;
}

/**
 * A member that reads nothing an await could change when it moves after them, by its syntax: a
 * name, a literal, a function, a shorthand property (the caller asks whether each name can change).
 * Member reads (a getter such as `timer.elapsed`, `this.hits`) and spreads are left where they are.
 *
 * @example
 * isInertMember(property); // true for `id`, `kind: 'user'`, `format() {}`; false for `at: Date.now()`
 */
export function isInertMember(member: ts.Node): boolean {
  if (isShorthandPropertyAssignment(member) || isMethodDeclaration(member) || member.kind === SyntaxKind.GetAccessor || member.kind === SyntaxKind.SetAccessor) return true;
  if (isPropertyAssignment(member)) return !isComputedPropertyName(member.name) && isInertExpression(member.initializer);
  return member.kind !== SyntaxKind.SpreadAssignment && member.kind !== SyntaxKind.SpreadElement && isInertExpression(member as ts.Expression);
}

function isInertExpression(node: ts.Expression): boolean {
  const inner = skipWrappers(node);
  switch (inner.kind) {
    case SyntaxKind.Identifier:
    case SyntaxKind.ThisKeyword:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
    case SyntaxKind.OmittedExpression:
      return true;
    default:
      return isLiteralExpression(inner) || isNoSubstitutionTemplateLiteral(inner) || isFunctionNode(inner);
  }
}
