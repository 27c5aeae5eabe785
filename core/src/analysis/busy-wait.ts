import ts from 'typescript';

import type { BusyWaitPattern } from '../catalog/types.js';
import { isFunctionNode } from './functions.js';
import { accessChain, skipWrappers } from './import-binding.js';

type LoopNode = ts.WhileStatement | ts.DoStatement | ts.ForStatement;

function loopKind(node: ts.Node): BusyWaitPattern['loops'][number] | undefined {
  if (ts.isWhileStatement(node)) return 'while';
  if (ts.isDoStatement(node)) return 'do-while';
  if (ts.isForStatement(node)) return 'for';
  return undefined;
}

/** The clock a call reads, in the pattern's notation (`Date.now`, `new Date().getTime`), if any. */
function clockOf(call: ts.CallExpression): string | undefined {
  const { root, members } = accessChain(call.expression);
  if (ts.isIdentifier(root)) return [root.text, ...members].join('.');
  const inner = skipWrappers(root);
  if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression)) return `new ${inner.expression.text}().${members.join('.')}`;
  return undefined;
}

function readsClock(expression: ts.Node, clocks: readonly string[]): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (ts.isCallExpression(node)) {
      const clock = clockOf(node);
      if (clock !== undefined && clocks.includes(clock)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function suspends(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/**
 * The busy-wait pattern a loop matches: it spins on a clock in its condition and never awaits.
 *
 * @example
 * matchBusyWait(whileNode, defaultCatalog.busyWaitPatterns)?.id; // 'busy-wait:clock-loop'
 */
export function matchBusyWait(node: ts.Node, patterns: readonly BusyWaitPattern[]): BusyWaitPattern | undefined {
  const kind = loopKind(node);
  if (kind === undefined) return undefined;
  const loop = node as LoopNode;
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (condition === undefined) return undefined;
  return patterns.find((pattern) => pattern.loops.includes(kind) && readsClock(condition, pattern.clocks) && !suspends(loop.statement));
}
