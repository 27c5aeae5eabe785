import { nodeHttpMethods } from '../http-methods.js';
import type { FrameworkDefinition, MethodRegistration, Receiver, ResponseSink } from '../types.js';

const expressTypes = ['@types/express-serve-static-core', '@types/express'];

const receivers: readonly Receiver[] = [
  {
    name: 'app',
    types: [{ packages: expressTypes, names: ['Express', 'Application'] }],
    factories: [{ kind: 'export', module: 'express', export: 'default', invocation: 'call' }],
    conventionalNames: ['app', 'server'],
  },
  {
    name: 'router',
    types: [{ packages: expressTypes, names: ['Router', 'IRouter'] }],
    factories: [
      { kind: 'export', module: 'express', export: 'Router', invocation: 'call' },
      { kind: 'export', module: 'express', export: 'default.Router', invocation: 'call' },
    ],
    conventionalNames: ['router', 'routes', 'api'],
  },
  {
    name: 'route',
    types: [{ packages: expressTypes, names: ['IRoute'] }],
    factories: [
      { kind: 'method', receiver: 'app', method: 'route' },
      { kind: 'method', receiver: 'router', method: 'route' },
    ],
    conventionalNames: [],
  },
  { name: 'request', types: [{ packages: expressTypes, names: ['Request'] }], factories: [], conventionalNames: ['req', 'request'] },
  { name: 'response', types: [{ packages: expressTypes, names: ['Response'] }], factories: [], conventionalNames: ['res', 'response'] },
];

const registrations: readonly MethodRegistration[] = [
  { kind: 'method-call', receivers: ['app', 'router'], methods: [...nodeHttpMethods, 'all'], role: 'handler', handlerArguments: 'all-functions' },
  { kind: 'method-call', receivers: ['app', 'router'], methods: ['use'], role: 'middleware', handlerArguments: 'all-functions' },
  { kind: 'method-call', receivers: ['app', 'router'], methods: ['param'], role: 'middleware', handlerArguments: 'last-function' },
  { kind: 'method-call', receivers: ['route'], methods: [...nodeHttpMethods, 'all'], role: 'handler', handlerArguments: 'all-functions' },
];

const responseSinks: readonly ResponseSink[] = [
  { kind: 'method', receiver: 'response', methods: ['json', 'jsonp', 'send', 'end', 'write'], argument: 0 },
  { kind: 'method', receiver: 'response', methods: ['render'], argument: 1 },
];

const shared = {
  displayName: 'Express',
  receivers,
  registrations,
  handlerParams: ['request', 'response', 'next'],
  errorHandlerParams: ['error', 'request', 'response', 'next'],
  responseSinks,
  keepAlive: [],
} as const;

/** Express 4: a promise returned by a handler is ignored, so its rejection is unhandled and the request hangs. */
export const express4: FrameworkDefinition = {
  ...shared,
  id: 'express4',
  displayName: 'Express 4',
  packages: [{ name: 'express', majors: { min: 4, max: 4 } }],
  promiseHandling: { awaitsReturnedPromise: false, forwardsRejection: false, resolvedValueIsResponse: false },
  docs: 'https://expressjs.com/en/4x/api.html#app.METHOD',
};

/** Express 5: a rejected promise returned by a handler or middleware is passed to `next(err)`. */
export const express5: FrameworkDefinition = {
  ...shared,
  id: 'express5',
  displayName: 'Express 5',
  packages: [{ name: 'express', majors: { min: 5 } }],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: false },
  docs: 'https://expressjs.com/en/guide/error-handling.html',
};
