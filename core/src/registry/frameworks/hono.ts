import { honoShorthandMethods } from '../http-methods.js';
import type { FrameworkDefinition } from '../types.js';

/** Hono 3 and 4: handlers `(c, next)` return a `Response`, usually built by `c.json()`/`c.text()`. */
export const hono: FrameworkDefinition = {
  id: 'hono',
  displayName: 'Hono',
  packages: [{ name: 'hono', majors: { min: 3 } }],
  receivers: [
    {
      name: 'app',
      types: [{ packages: ['hono'], names: ['Hono'] }],
      factories: [
        { kind: 'export', module: 'hono', export: 'Hono', invocation: 'construct' },
        { kind: 'export', module: 'hono/tiny', export: 'Hono', invocation: 'construct' },
        { kind: 'export', module: 'hono/quick', export: 'Hono', invocation: 'construct' },
      ],
      conventionalNames: ['app', 'api'],
    },
    { name: 'context', types: [{ packages: ['hono'], names: ['Context'] }], factories: [], conventionalNames: ['c', 'ctx', 'context'] },
  ],
  registrations: [
    { kind: 'method-call', receivers: ['app'], methods: [...honoShorthandMethods, 'on'], role: 'handler', handlerArguments: 'all-functions' },
    { kind: 'method-call', receivers: ['app'], methods: ['use'], role: 'middleware', handlerArguments: 'all-functions' },
    { kind: 'method-call', receivers: ['app'], methods: ['onError'], role: 'error-handler', handlerArguments: 'last-function' },
    { kind: 'method-call', receivers: ['app'], methods: ['notFound'], role: 'handler', handlerArguments: 'last-function' },
  ],
  handlerParams: ['context', 'next'],
  errorHandlerParams: ['error', 'context'],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: true },
  responseSinks: [
    { kind: 'method', receiver: 'context', methods: ['json', 'text', 'html', 'body', 'newResponse'], argument: 0 },
    { kind: 'return' },
  ],
  keepAlive: [{ kind: 'member', receiver: 'context', path: 'executionCtx.waitUntil' }],
  docs: 'https://hono.dev/docs/api/routing',
};
