import {
  findDroppedRejections,
  handlerIndexFor,
  ImportSession,
  planForwardRejections,
  type DroppedRejectionFinding,
} from '@loopguard/core/analysis';
import type { TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { createRule } from '../util/create-rule.js';
import { locationOf, typedProgram } from '../util/source-file.js';

export type Options = [];

export type MessageIds = 'handler' | 'listener' | 'timer' | 'promiseExecutor' | 'forwardToNext';

export default createRule<Options, MessageIds>({
  name: 'no-dropped-rejections',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow async functions where nothing handles their rejection: Express 4 and node:http handlers, event listeners, timers, promise executors',
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    defaultOptions: [],
    messages: {
      handler:
        'This async {{where}} can reject, and {{framework}} ignores the promise it returns: a thrown error becomes an unhandled rejection (ending the process under Node.js defaults) and the request hangs. Catch errors inside it and pass them to `next`.',
      listener:
        'This async {{where}} can reject, and an `EventEmitter` ignores what listeners return: a thrown error becomes an unhandled rejection. Catch errors inside it.',
      timer:
        'This async `{{where}}` callback can reject, and timers ignore what callbacks return: a thrown error becomes an unhandled rejection. Catch errors inside it.',
      promiseExecutor:
        'An async `new Promise` executor: a throw after its first `await` never rejects the promise being built, which then never settles, and surfaces as an unhandled rejection. Await inside a plain async function instead.',
      forwardToNext: 'Wrap the body in `try`/`catch` that passes errors to `next`.',
    },
    schema: [],
  },
  create(context) {
    const typed = typedProgram(context);
    if (typed === undefined) return {};
    const { program, sourceFile } = typed;
    return {
      Program() {
        for (const finding of findDroppedRejections(sourceFile, program, handlerIndexFor(program, { projectRoot: context.cwd }))) report(context, sourceFile, finding);
      },
    };
  },
});

function report(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, sourceFile: ts.SourceFile, finding: DroppedRejectionFinding): void {
  const fn = finding.fn;
  // The function's head, up to its body: where `async` is.
  const loc = locationOf(context, fn.getStart(sourceFile), fn.body?.getStart(sourceFile) ?? fn.getEnd());
  const data = { where: finding.where, framework: finding.handler?.framework.displayName ?? '' };
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  const handler = finding.handler;
  if (finding.kind === 'handler' && handler?.framework.handlerParams.includes('next') === true) {
    const session = new ImportSession(sourceFile);
    const plan = planForwardRejections(fn, handler.framework, handler.role, sourceFile, session);
    if (plan !== undefined) {
      const edits = [...plan.edits, ...session.edits().map((edit) => ({ ...edit, order: 1 }))].sort((a, b) => a.start - b.start || a.order - b.order);
      suggest.push({
        messageId: 'forwardToNext',
        fix: (fixer) => edits.map((edit) => (edit.start === edit.end ? fixer.insertTextBeforeRange([edit.start, edit.start], edit.text) : fixer.replaceTextRange([edit.start, edit.end], edit.text))),
      });
    }
  }
  const messageId: MessageIds = finding.kind === 'promise-executor' ? 'promiseExecutor' : finding.kind;
  context.report({ loc, messageId, data, suggest });
}
