import {
  findFloatingPromises,
  handlerIndexFor,
  ImportSession,
  type FloatingFinding,
  type FloatingKind,
} from '@loopguard/core/analysis';
import type { KeepAliveApi } from '@loopguard/core/registry';
import { typeMatchesSomeSpecifier, typeOrValueSpecifiersSchema, valueMatchesSomeSpecifier, type TypeOrValueSpecifier } from '@typescript-eslint/type-utils';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { createRule } from '../util/create-rule.js';
import { locationOf, typedProgram } from '../util/source-file.js';

export type Options = [
  {
    ignoreVoid?: boolean;
    ignoreIIFE?: boolean;
    checkThenables?: boolean;
    allowForKnownSafePromises?: TypeOrValueSpecifier[];
    allowForKnownSafeCalls?: TypeOrValueSpecifier[];
  },
];

export type MessageIds =
  | 'floating'
  | 'floatingVoided'
  | 'nonFunctionHandler'
  | 'promiseArray'
  | 'leftRunning'
  | 'unusedBinding'
  | 'asyncForEach'
  | 'unawaitedMap'
  | 'addAwait'
  | 'addVoid'
  | 'handToKeepAlive'
  | 'awaitAll';

export default createRule<Options, MessageIds>({
  name: 'no-floating-promises',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require every promise to be awaited, returned or handled, and no work left running when a handler responds',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    defaultOptions: [{ ignoreVoid: true, ignoreIIFE: false, checkThenables: false, allowForKnownSafePromises: [], allowForKnownSafeCalls: [] }],
    messages: {
      floating:
        'This promise is neither awaited, returned nor handled, so a rejection goes unseen (and ends the process under Node.js defaults). Add `await`, return it, or end it with `.catch(...)`; mark a deliberate fire-and-forget with `void`.',
      floatingVoided:
        'This promise is only `void`-ed, which this configuration does not accept: a rejection goes unseen. Add `await`, or end it with `.catch(...)`.',
      nonFunctionHandler:
        'The rejection handler given here is not a function, so a rejection is still unhandled. Pass a function to `.catch(...)` or as the second argument of `.then(...)`.',
      promiseArray:
        'This array of promises is neither awaited nor handled: the work runs unobserved and every rejection goes unseen. Wrap it in `await Promise.all(...)` (or `Promise.allSettled`).',
      leftRunning:
        'This work is still running when the {{framework}} handler sends its response{{voided}}: its outcome is lost, a rejection is unhandled, and it outlives the request. {{advice}}',
      unusedBinding:
        '`{{name}}` holds a promise that is never awaited, returned or handled: the work runs unobserved and a rejection goes unseen. Await it where its result is needed, or handle it.',
      asyncForEach:
        '`forEach` does not wait for the promises its async callback returns: the loop ends at once and every rejection goes unseen. Use `for…of` with `await`, or `await Promise.all(items.map(...))`.',
      unawaitedMap:
        'The promises this `map` creates never reach `Promise.all` (or a caller): the work runs unobserved and every rejection goes unseen. Wrap it in `await Promise.all(...)`.',
      addAwait: 'Add `await`.',
      addVoid: 'Mark it as deliberately not awaited with `void`.',
      handToKeepAlive: 'Hand it to `{{api}}`, which keeps it alive after the response.',
      awaitAll: 'Wrap it in `await Promise.all(...)`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          ignoreVoid: {
            type: 'boolean',
            description: 'Accept `void promise` as a deliberate fire-and-forget outside request handlers (default true). Inside handlers `void` never silences the report.',
          },
          ignoreIIFE: { type: 'boolean', description: 'Do not report immediately invoked async functions (default false).' },
          checkThenables: { type: 'boolean', description: 'Treat any object with a callable `then` as a promise, not only `Promise` and its subclasses (default false).' },
          allowForKnownSafePromises: {
            ...typeOrValueSpecifiersSchema,
            description: 'Promise types that may float, as typescript-eslint type specifiers (`{ from: "package", name: "Task", package: "tasks" }`).',
          },
          allowForKnownSafeCalls: {
            ...typeOrValueSpecifiersSchema,
            description: 'Functions whose returned promise may float, as typescript-eslint value specifiers (`{ from: "package", name: "test", package: "node:test" }`).',
          },
        },
      },
    ],
  },
  create(context, [options]) {
    const typed = typedProgram(context);
    if (typed === undefined) return {};
    const { program, sourceFile } = typed;
    const services = ESLintUtils.getParserServices(context);
    const checker = program.getTypeChecker();
    const safePromises = options.allowForKnownSafePromises ?? [];
    const safeCalls = options.allowForKnownSafeCalls ?? [];
    const isKnownSafe = (expression: ts.Expression): boolean => {
      if (safePromises.length > 0 && typeMatchesSomeSpecifier(checker.getTypeAtLocation(expression), safePromises, program)) return true;
      if (safeCalls.length === 0 || !ts.isCallExpression(expression)) return false;
      // type-utils may sit on a newer @typescript-eslint/types than utils; the node is the same object.
      const callee = services.tsNodeToESTreeNodeMap.get(expression.expression) as Parameters<typeof valueMatchesSomeSpecifier>[0] | undefined;
      return callee !== undefined && valueMatchesSomeSpecifier(callee, safeCalls, program, checker.getTypeAtLocation(expression.expression));
    };
    return {
      Program() {
        const findings = findFloatingPromises(sourceFile, program, handlerIndexFor(program, { projectRoot: context.cwd }), {
          ignoreVoid: options.ignoreVoid ?? true,
          ignoreIIFE: options.ignoreIIFE ?? false,
          thenables: options.checkThenables ?? false,
          isKnownSafe,
          ...(safePromises.length === 0 ? {} : { isSafeType: (type: ts.Type) => typeMatchesSomeSpecifier(type, safePromises, program) }),
        });
        for (const finding of findings) report(context, sourceFile, finding);
      },
    };
  },
});

const messageOf: Record<FloatingKind, MessageIds> = {
  floating: 'floating',
  'non-function-handler': 'nonFunctionHandler',
  'promise-array': 'promiseArray',
  'left-running': 'leftRunning',
  'unused-binding': 'unusedBinding',
  'async-for-each': 'asyncForEach',
  'unawaited-map': 'unawaitedMap',
};

function report(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, sourceFile: ts.SourceFile, finding: FloatingFinding): void {
  const node = finding.node;
  const loc = locationOf(context, node.getStart(sourceFile), node.getEnd());
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  const expression = finding.expression;
  const statementLevel = finding.kind === 'floating' || finding.kind === 'left-running' || finding.kind === 'promise-array';
  if (expression !== undefined && statementLevel && finding.inAsyncFunction) {
    const start = finding.voided ? node.getStart(sourceFile) : expression.getStart(sourceFile);
    const awaited = finding.kind === 'promise-array' ? `await Promise.all(${expression.getText(sourceFile)})` : `await ${operand(expression, sourceFile)}`;
    suggest.push({ messageId: finding.kind === 'promise-array' ? 'awaitAll' : 'addAwait', fix: (fixer) => fixer.replaceTextRange([start, expression.getEnd()], awaited) });
  }
  if (expression !== undefined && finding.kind === 'floating' && !finding.voided) {
    suggest.push({ messageId: 'addVoid', fix: (fixer) => fixer.replaceTextRange([expression.getStart(sourceFile), expression.getEnd()], `void ${operand(expression, sourceFile)}`) });
  }
  if (finding.kind === 'unawaited-map' && finding.inAsyncFunction) {
    suggest.push({ messageId: 'awaitAll', fix: (fixer) => fixer.replaceTextRange([node.getStart(sourceFile), node.getEnd()], `await Promise.all(${node.getText(sourceFile)})`) });
  }
  let data: Record<string, string> = {};
  if (finding.kind === 'unused-binding') data = { name: node.getText(sourceFile) };
  if (finding.kind === 'left-running' && finding.handler !== undefined && expression !== undefined) {
    const handler = finding.handler;
    const keepAlive = handler.keepAlive.map((api) => keepAliveEdit(api, handler.fn, sourceFile, expression, finding.voided ? node : expression)).find((edit) => edit !== undefined);
    if (keepAlive !== undefined) {
      suggest.unshift({ messageId: 'handToKeepAlive', data: { api: keepAlive.api }, fix: (fixer) => keepAlive.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text)) });
    }
    data = {
      framework: handler.info.framework.displayName,
      voided: finding.voided ? ' (`void` does not change that inside a handler)' : '',
      advice:
        keepAlive === undefined
          ? 'Await it before responding, or attach `.catch(...)` where finishing later is intended.'
          : `Await it before responding, or hand it to \`${keepAlive.api}\` to keep it alive after the response.`,
    };
  }
  context.report({ loc, messageId: messageOf[finding.kind], data, suggest });
}

/** The expression as the operand of a prefix (`await`, `void`): parenthesised unless it binds tighter. */
function operand(expression: ts.Expression, sourceFile: ts.SourceFile): string {
  const text = expression.getText(sourceFile);
  const tight = ts.isCallExpression(expression) || ts.isNewExpression(expression) || ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression) || ts.isParenthesizedExpression(expression);
  return tight ? text : `(${text})`;
}

interface KeepAliveEdit {
  readonly api: string;
  readonly edits: readonly { start: number; end: number; text: string }[];
}

/** The edits that hand `expression` to a framework's keep-alive API (`c.executionCtx.waitUntil`, Next's `after`). */
function keepAliveEdit(api: KeepAliveApi, handler: ts.Node, sourceFile: ts.SourceFile, expression: ts.Expression, replaced: ts.Node): KeepAliveEdit | undefined {
  const text = expression.getText(sourceFile);
  const range = { start: replaced.getStart(sourceFile), end: replaced.getEnd() };
  if (api.kind === 'member') {
    if (!ts.isFunctionLike(handler)) return undefined;
    const receiver = handler.parameters[0];
    if (receiver === undefined || !ts.isIdentifier(receiver.name)) return undefined;
    const call = `${receiver.name.text}.${api.path}`;
    return { api: call, edits: [{ ...range, text: `${call}(${text})` }] };
  }
  const session = new ImportSession(sourceFile);
  const local = session.binding(api.module, api.export);
  const wrapped = api.export === 'after' ? `${local}(() => ${text})` : `${local}(${text})`;
  return { api: api.export, edits: [{ ...range, text: wrapped }, ...session.edits()] };
}
