import { nodeHttpMethods } from '../http-methods.js';
import type { FrameworkDefinition, Receiver, ResponseSink } from '../types.js';

const contextReceivers: readonly Receiver[] = [
  {
    name: 'context',
    types: [{ packages: ['@types/koa', 'koa'], names: ['Context', 'ParameterizedContext', 'DefaultContext', 'ExtendableContext', 'BaseContext'] }],
    factories: [],
    conventionalNames: ['ctx', 'context'],
  },
  { name: 'response', types: [{ packages: ['@types/koa', 'koa'], names: ['Response'] }], factories: [], conventionalNames: [] },
];

const koaSinks: readonly ResponseSink[] = [
  { kind: 'assignment', receiver: 'context', properties: ['body'] },
  { kind: 'assignment', receiver: 'response', properties: ['body'] },
];

// koa-compose wraps each middleware's result in a promise and the application answers 500 on rejection.
const koaPromiseHandling = { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: false } as const;

/** Koa 2 and 3: middleware `(ctx, next)`, the response is whatever is assigned to `ctx.body`. */
export const koa: FrameworkDefinition = {
  id: 'koa',
  displayName: 'Koa',
  packages: [{ name: 'koa', majors: { min: 2 } }],
  receivers: [
    {
      name: 'app',
      types: [{ packages: ['@types/koa', 'koa'], names: ['Application'] }],
      factories: [{ kind: 'export', module: 'koa', export: 'default', invocation: 'construct' }],
      conventionalNames: ['app'],
    },
    ...contextReceivers,
  ],
  registrations: [{ kind: 'method-call', receivers: ['app'], methods: ['use'], role: 'middleware', handlerArguments: 'all-functions' }],
  handlerParams: ['context', 'next'],
  promiseHandling: koaPromiseHandling,
  responseSinks: koaSinks,
  keepAlive: [],
  docs: 'https://koajs.com/#application',
};

/** @koa/router (and its predecessor koa-router): `router.get(path, ...middleware)`. */
export const koaRouter: FrameworkDefinition = {
  id: 'koa-router',
  displayName: '@koa/router',
  packages: [
    { name: '@koa/router', majors: { min: 8 } },
    { name: 'koa-router', majors: { min: 7 } },
  ],
  receivers: [
    {
      name: 'router',
      types: [{ packages: ['@koa/router', '@types/koa__router', '@types/koa-router', 'koa-router'], names: ['Router'] }],
      factories: [
        { kind: 'export', module: '@koa/router', export: 'default', invocation: 'construct' },
        { kind: 'export', module: '@koa/router', export: 'Router', invocation: 'construct' },
        { kind: 'export', module: 'koa-router', export: 'default', invocation: 'construct' },
      ],
      conventionalNames: ['router'],
    },
    ...contextReceivers,
  ],
  registrations: [
    { kind: 'method-call', receivers: ['router'], methods: [...nodeHttpMethods, 'all', 'del'], role: 'handler', handlerArguments: 'all-functions' },
    { kind: 'method-call', receivers: ['router'], methods: ['use'], role: 'middleware', handlerArguments: 'all-functions' },
    { kind: 'method-call', receivers: ['router'], methods: ['param'], role: 'middleware', handlerArguments: 'last-function' },
  ],
  handlerParams: ['context', 'next'],
  promiseHandling: koaPromiseHandling,
  responseSinks: koaSinks,
  keepAlive: [],
  docs: 'https://github.com/koajs/router/blob/master/API.md',
};
