import { findUntimedUpstreamCalls, handlerIndexFor, planUpstreamTimeout } from '@loopguard/core/analysis';

import { createRule } from '../util/create-rule.js';
import { locationOf, typeScriptView } from '../util/source-file.js';

export type Options = [
  {
    /** The timeout the suggestion writes, in milliseconds (default 10 000). */
    timeoutMs?: number;
  },
];

export type MessageIds = 'inHandler' | 'untimed' | 'addTimeout';

export default createRule<Options, MessageIds>({
  name: 'require-upstream-timeout',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a timeout on outbound HTTP calls (fetch, axios, got, undici), so a hung upstream cannot hang the request',
      strict: true,
    },
    hasSuggestions: true,
    defaultOptions: [{ timeoutMs: 10_000 }],
    messages: {
      inHandler:
        '`{{call}}` has no timeout, inside a {{framework}} handler: when the upstream stops answering, this request hangs for as long as the socket stays open, holding its resources. Bound it with {{how}}.',
      untimed: '`{{call}}` has no timeout: when the upstream stops answering, whatever awaits it (a request, a job) hangs for as long as the socket stays open. Bound it with {{how}}.',
      addTimeout: 'Add `{{property}}`.',
    },
    schema: [
      {
        type: 'object',
        properties: { timeoutMs: { type: 'integer', minimum: 1, description: 'The timeout the suggestion writes, in milliseconds.' } },
        additionalProperties: false,
      },
    ],
  },
  create(context, [options]) {
    const { sourceFile, program } = typeScriptView(context);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return {
      Program() {
        const handlers = program === undefined ? undefined : handlerIndexFor(program, { projectRoot: context.cwd });
        for (const untimed of findUntimedUpstreamCalls(sourceFile, program, handlers)) {
          const how = untimed.add === 'signal' ? '`signal: AbortSignal.timeout(ms)`' : untimed.add === 'timeout' ? '`timeout: ms` (per call or on the instance)' : '`timeout: { request: ms }`';
          const edit = planUpstreamTimeout(untimed, sourceFile, timeoutMs);
          const property = untimed.add === 'signal' ? `signal: AbortSignal.timeout(${String(timeoutMs)})` : untimed.add === 'timeout' ? `timeout: ${String(timeoutMs)}` : `timeout: { request: ${String(timeoutMs)} }`;
          context.report({
            loc: locationOf(context, untimed.call.getStart(sourceFile), untimed.call.expression.getEnd()),
            messageId: untimed.handler === undefined ? 'untimed' : 'inHandler',
            data: { call: untimed.display, how, framework: untimed.handler?.framework.displayName ?? '' },
            suggest: edit === undefined ? [] : [{ messageId: 'addTimeout', data: { property }, fix: (fixer) => fixer.replaceTextRange([edit.start, edit.end], edit.text) }],
          });
        }
      },
    };
  },
});
