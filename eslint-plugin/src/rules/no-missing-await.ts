import {
  asyncModifierPosition,
  findMissingAwaits,
  handlerIndexFor,
  needsParentheses,
  type MissingAwaitFinding,
  type MissingAwaitKind,
} from '@loopguard/core/analysis';
import type { TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { createRule } from '../util/create-rule.js';
import { locationOf, typedProgram } from '../util/source-file.js';

export type Options = [{ checkThenables?: boolean }];

export type MessageIds =
  | 'response'
  | 'serialized'
  | 'returned'
  | 'template'
  | 'concatenation'
  | 'condition'
  | 'comparison'
  | 'arithmetic'
  | 'lazyQuery'
  | 'lazyQueryNotExecuted'
  | 'returnInTry'
  | 'addAwait'
  | 'addAwaitAndAsync'
  | 'addExecute';

export default createRule<Options, MessageIds>({
  name: 'no-missing-await',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using a promise as if it were its value: in responses, strings, conditions, comparisons and arithmetic, and lazy queries that never run',
      recommended: true,
      requiresTypeChecking: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    defaultOptions: [{ checkThenables: false }],
    messages: {
      response: '`{{sink}}` receives a promise, not its value: the client gets `{}` (or `[object Promise]`) instead of the data. Add `await`.',
      serialized: '`{{sink}}` serialises a promise, not its value: it becomes `{}`. Add `await`.',
      returned:
        'This response contains a promise: the framework awaits what the handler returns, not what is nested inside it, so the client gets `{}`. Add `await`.',
      template: 'A promise in a template literal becomes `[object Promise]`. Add `await`.',
      concatenation: 'Concatenating a promise gives `[object Promise]`. Add `await`.',
      condition: 'A promise is always truthy, so this test never depends on its value. Add `await`.',
      comparison: 'This compares the promise object, never its value, so the result is fixed. Add `await`.',
      arithmetic: 'Arithmetic on a promise gives `NaN` (or a string). Add `await`.',
      lazyQuery: 'This {{library}} query is never awaited, so it never runs: a query builder only describes the query. Add `await`.',
      lazyQueryNotExecuted: 'Awaiting a {{library}} query builder does not run it: the query never reaches the database. Call `.execute()` on it.',
      returnInTry:
        'Returning a promise from inside `try` skips its `catch`: a rejection goes to the caller, and `finally` runs before the promise settles. Use `return await`.',
      addAwait: 'Add `await`.',
      addAwaitAndAsync: 'Add `await` and make the handler `async` (its framework awaits the returned promise).',
      addExecute: 'Call `.execute()`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkThenables: { type: 'boolean', description: 'Treat any object whose `then` takes a rejection callback as a promise, not only `Promise` and its subclasses (default false).' },
        },
      },
    ],
  },
  create(context, [options]) {
    const typed = typedProgram(context);
    if (typed === undefined) return {};
    const { program, sourceFile } = typed;
    return {
      Program() {
        for (const finding of findMissingAwaits(sourceFile, program, handlerIndexFor(program, { projectRoot: context.cwd }), { thenables: options.checkThenables ?? false })) {
          report(context, sourceFile, finding);
        }
      },
    };
  },
});

const messageOf: Record<MissingAwaitKind, MessageIds> = {
  response: 'response',
  serialized: 'serialized',
  returned: 'returned',
  template: 'template',
  concatenation: 'concatenation',
  condition: 'condition',
  comparison: 'comparison',
  arithmetic: 'arithmetic',
  'lazy-query': 'lazyQuery',
  'lazy-query-not-executed': 'lazyQueryNotExecuted',
  'return-in-try': 'returnInTry',
};

function awaited(node: ts.Expression, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile);
  const parent = node.parent;
  // `{ pending }` becomes `{ pending: await pending }`.
  if (ts.isShorthandPropertyAssignment(parent)) return `${text}: await ${text}`;
  // `a + await p` is fine; `(await p).x`, `!(await p)` keep the await on the promise.
  const wrap = needsParentheses(node) || (ts.isPrefixUnaryExpression(parent) && parent.operand === node);
  return wrap ? `(await ${text})` : `await ${text}`;
}

function report(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, sourceFile: ts.SourceFile, finding: MissingAwaitFinding): void {
  const node = finding.node;
  const range: [number, number] = [node.getStart(sourceFile), node.getEnd()];
  const loc = locationOf(context, range[0], range[1]);
  const data = { sink: finding.sink ?? '', library: finding.library?.package ?? '' };
  if (finding.kind === 'return-in-try') {
    context.report({ loc, messageId: 'returnInTry', data, fix: (fixer) => fixer.insertTextBeforeRange(range, 'await ') });
    return;
  }
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  if (finding.kind === 'lazy-query-not-executed') {
    const text = node.getText(sourceFile);
    suggest.push({ messageId: 'addExecute', fix: (fixer) => fixer.replaceTextRange(range, needsParentheses(node) ? `(${text}).execute()` : `${text}.execute()`) });
  } else if (finding.inAsyncFunction) {
    suggest.push({ messageId: 'addAwait', fix: (fixer) => fixer.replaceTextRange(range, awaited(node, sourceFile)) });
  } else if (finding.canMakeAsync !== undefined) {
    const fn = finding.canMakeAsync;
    suggest.push({
      messageId: 'addAwaitAndAsync',
      fix: (fixer) => [fixer.insertTextBeforeRange([asyncModifierPosition(fn, sourceFile), 0], 'async '), fixer.replaceTextRange(range, awaited(node, sourceFile))],
    });
  }
  context.report({ loc, messageId: messageOf[finding.kind], data, suggest });
}
