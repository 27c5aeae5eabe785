import { fastifyShorthandMethods } from '../http-methods.js';
import type { FrameworkDefinition } from '../types.js';

/** Hooks that run for every request; application hooks (`onReady`, `onClose`, `onRoute`…) run at start-up and are left out. */
export const fastifyRequestHooks: readonly string[] = [
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'preSerialization',
  'onSend',
  'onResponse',
  'onError',
  'onTimeout',
  'onRequestAbort',
];

/** Fastify 4 and 5: an async handler's resolved value is the reply; a rejection becomes an error reply. */
export const fastify: FrameworkDefinition = {
  id: 'fastify',
  displayName: 'Fastify',
  packages: [{ name: 'fastify', majors: { min: 4 } }],
  receivers: [
    {
      name: 'instance',
      types: [{ packages: ['fastify'], names: ['FastifyInstance'] }],
      factories: [
        { kind: 'export', module: 'fastify', export: 'default', invocation: 'call' },
        { kind: 'export', module: 'fastify', export: 'fastify', invocation: 'call' },
      ],
      conventionalNames: ['fastify', 'app', 'server', 'instance'],
    },
    { name: 'request', types: [{ packages: ['fastify'], names: ['FastifyRequest'] }], factories: [], conventionalNames: ['request', 'req'] },
    { name: 'reply', types: [{ packages: ['fastify'], names: ['FastifyReply'] }], factories: [], conventionalNames: ['reply', 'res'] },
  ],
  registrations: [
    {
      kind: 'method-call',
      receivers: ['instance'],
      methods: fastifyShorthandMethods,
      role: 'handler',
      handlerArguments: 'last-function',
      handlerProperties: ['handler', ...fastifyRequestHooks],
    },
    {
      kind: 'method-call',
      receivers: ['instance'],
      methods: ['route'],
      role: 'handler',
      handlerArguments: 'last-function',
      handlerProperties: ['handler', ...fastifyRequestHooks],
    },
    { kind: 'method-call', receivers: ['instance'], methods: ['addHook'], role: 'hook', handlerArguments: 'last-function', events: fastifyRequestHooks },
    { kind: 'method-call', receivers: ['instance'], methods: ['setErrorHandler'], role: 'error-handler', handlerArguments: 'last-function' },
    { kind: 'method-call', receivers: ['instance'], methods: ['setNotFoundHandler'], role: 'handler', handlerArguments: 'last-function' },
  ],
  handlerParams: ['request', 'reply'],
  errorHandlerParams: ['error', 'request', 'reply'],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: true },
  responseSinks: [{ kind: 'method', receiver: 'reply', methods: ['send'], argument: 0 }, { kind: 'return' }],
  keepAlive: [],
  docs: 'https://fastify.dev/docs/latest/Reference/Routes/',
};
