import ts from 'typescript';

import { queryTextProperties, runnerMethodPattern, statementStartPattern, transactionNamePattern, writeMethodPattern, writeStatementPattern } from '../registry/ordered-scopes.js';
import { isFunctionNode } from './functions.js';
import { skipWrappers } from './import-binding.js';

// What an awaited call does besides returning its value, read from its syntax: whether it writes
// (so a call before or after it may see its effect) and whether it uses a transaction handed down
// (so it shares a connection with the other calls that do). The names and statements these answers
// rest on are the registry's (`registry/ordered-scopes.ts`).

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  SyntaxKind, forEachChild, isBinaryExpression, isCallExpression, isIdentifier, isNewExpression,
  isNoSubstitutionTemplateLiteral, isObjectLiteralExpression, isPropertyAccessExpression,
  isPropertyAssignment, isStringLiteral, isTaggedTemplateExpression, isTemplateExpression, isTypeNode,
} = ts;

/**
 * Must the later await wait for the earlier one though it reads none of its values? Not when either
 * writes (an awaited call of a write-like method: `db.orders.create(o)`): a call after a write may
 * read what it changed, and a read before one may see its effect if they run together, through the
 * database or a service, which no binding shows. Nor when both use one transaction handed down:
 * its statements share a connection and run one at a time anyway.
 *
 * @example
 * orderedByEffect(insertCall, findCall); // true: `await db.users.insert(row)`, then `await db.users.find(id)`
 */
export function orderedByEffect(earlier: ts.Expression, later: ts.Expression): boolean {
  const first = callEffects(earlier);
  const second = callEffects(later);
  return first.writes || second.writes || (first.inTransaction && second.inTransaction);
}

/** What an awaited call does besides returning its value. */
export interface CallEffects {
  /** It writes: a write-like method or function, a use case or command named so, a query that writes. */
  readonly writes: boolean;
  /** It uses a transaction handed to the function (`tx.select()`, `{ transaction }`). */
  readonly inTransaction: boolean;
}

/**
 * What an awaited expression does besides its value, kept per node: a block's grouping asks it of
 * each earlier await for every later one.
 *
 * @example
 * callEffects(node.expression).writes; // true for `await db.users.insert(row)`
 */
export function callEffects(operand: ts.Expression): CallEffects {
  let effects = effectsByOperand.get(operand);
  if (effects === undefined) {
    effects = { writes: callsWriteMethod(operand), inTransaction: runsInTransaction(operand) };
    effectsByOperand.set(operand, effects);
  }
  return effects;
}

const effectsByOperand = new WeakMap<ts.Expression, CallEffects>();

/**
 * Does the awaited call use a transaction handed to the function (`tx.select()…`,
 * `getMonitor({ tx, id })`, `User.findOne({ where, transaction: t })`)? Two such calls share one
 * connection, whose statements run one at a time and in order, so starting them together gains
 * nothing, and some drivers refuse it. A transaction the call starts (`db.transaction(…)`) is not one.
 */
function runsInTransaction(operand: ts.Expression): boolean {
  if (!/tx|trx|txn|transaction/i.test(operand.getSourceFile().text.slice(operand.pos, operand.end))) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node) || isTypeNode(node)) return;
    if (isIdentifier(node)) {
      const { parent } = node;
      // A call of something so named (`getTransaction(id)`, `db.transaction(…)`) uses none.
      const called = isCallExpression(parent) ? parent.expression === node : isPropertyAccessExpression(parent) && parent.name === node && isCallExpression(parent.parent) && parent.parent.expression === parent;
      found = transactionNamePattern.test(node.text) && !called;
      return;
    }
    forEachChild(node, visit);
  };
  visit(operand);
  return found;
}

/**
 * Does the awaited expression call a method with a write-like name (`x.insert(…)`, `x.set(…)`),
 * also earlier in a chain (`db.delete(orders).where(…)`, `from('t').delete().eq(…)`), or run a
 * use case or command that names one (`this.createUser.execute(cmd)`,
 * `commandBus.execute(new DeleteOrderCommand(id))`)? Only names that are called count, so a receiver
 * named after a thing (`this.postRepository.find()`, `storeService.list()`) is no write.
 */
function callsWriteMethod(operand: ts.Expression): boolean {
  const inner = skipWrappers(operand);
  // A query in a tagged template (`` sql`insert …` ``) says what it does in its text.
  if (isTaggedTemplateExpression(inner)) return writesByQuery(inner.template.getText());
  if (!isCallExpression(inner) && !isNewExpression(inner)) return false;
  let current = skipWrappers(inner.expression);
  let call: ts.CallExpression | ts.NewExpression | undefined = inner;
  if (passesWriteStatement(inner)) return true;
  for (;;) {
    if (isPropertyAccessExpression(current)) {
      const name = current.name.text;
      if (call !== undefined) {
        if (writeMethodPattern.test(name)) return true;
        if (runnerMethodPattern.test(name)) {
          if (namesWrite(call.arguments?.[0])) return true;
          // The use case's own name says what it runs: `this.applyChange.execute(…)`.
          const receiver = skipWrappers(current.expression);
          if (isPropertyAccessExpression(receiver) && writeMethodPattern.test(receiver.name.text)) return true;
          if (isIdentifier(receiver) && writeMethodPattern.test(receiver.text)) return true;
        }
      }
      call = undefined;
      current = skipWrappers(current.expression);
    } else if (isCallExpression(current)) {
      call = current;
      if (passesWriteStatement(current)) return true;
      current = skipWrappers(current.expression);
    } else return call !== undefined && isIdentifier(current) && writeMethodPattern.test(current.text);
  }
}

/**
 * Is a query that writes passed to the call: `` pool.query(sql`delete from …`) ``,
 * `client.query('UPDATE users SET …', [id])`, `` db.execute(`insert into ${table} …`) ``, a string
 * built with `+`, or pg's `{ text: 'DELETE FROM …', values }`?
 */
function passesWriteStatement(call: ts.CallExpression | ts.NewExpression): boolean {
  return (call.arguments ?? []).some((argument) => {
    const inner = skipWrappers(argument);
    if (isObjectLiteralExpression(inner)) {
      return inner.properties.some((property) => isPropertyAssignment(property) && isIdentifier(property.name) && queryTextProperties.test(property.name.text) && isWriteQuery(property.initializer));
    }
    return isWriteQuery(inner);
  });
}

function isWriteQuery(expression: ts.Expression): boolean {
  const inner = skipWrappers(expression);
  if (isTaggedTemplateExpression(inner)) return writesByQuery(inner.template.getText());
  const text = queryText(inner);
  return text !== undefined && statementStartPattern.test(text) && writesByQuery(text);
}

/** The text of a string, a template or a `+` of them, as far as it is written out. */
function queryText(expression: ts.Expression): string | undefined {
  const inner = skipWrappers(expression);
  if (isStringLiteral(inner) || isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  if (isTemplateExpression(inner)) return inner.getText().slice(1, -1);
  if (isBinaryExpression(inner) && inner.operatorToken.kind === SyntaxKind.PlusToken) {
    const left = queryText(inner.left);
    return left === undefined ? undefined : `${left}${queryText(inner.right) ?? ' ? '}`;
  }
  return undefined;
}

/** Does a query's text write, once its quoted strings and identifiers are taken out? */
function writesByQuery(text: string): boolean {
  return writeStatementPattern.test(text.replace(/'(?:[^'\\]|\\.)*'|"[^"]*"/g, "''"));
}

/** A command whose class names a write: `new CreateOrderCommand(…)`, `ApplyChangeCommand.create(…)`. */
function namesWrite(argument: ts.Expression | undefined): boolean {
  if (argument === undefined) return false;
  const inner = skipWrappers(argument);
  if (!isCallExpression(inner) && !isNewExpression(inner)) return false;
  let callee = skipWrappers(inner.expression);
  if (isCallExpression(inner) && isPropertyAccessExpression(callee)) callee = skipWrappers(callee.expression);
  return isIdentifier(callee) && /^[A-Z]/.test(callee.text) && writeMethodPattern.test(callee.text);
}
