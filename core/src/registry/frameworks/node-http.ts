import type { FrameworkDefinition } from '../types.js';

/** `node:http` (and https/http2) servers: the request listener's returned promise is ignored. */
export const nodeHttp: FrameworkDefinition = {
  id: 'node-http',
  displayName: 'node:http',
  packages: [],
  receivers: [
    {
      name: 'server',
      types: [{ packages: ['@types/node'], names: ['Server', 'Http2Server', 'Http2SecureServer'] }],
      factories: ['http', 'https', 'http2'].flatMap((name) => [
        { kind: 'export' as const, module: `node:${name}`, export: 'createServer', invocation: 'call' as const },
        { kind: 'export' as const, module: name, export: 'createServer', invocation: 'call' as const },
      ]),
      conventionalNames: ['server'],
    },
    { name: 'request', types: [{ packages: ['@types/node'], names: ['IncomingMessage', 'Http2ServerRequest'] }], factories: [], conventionalNames: ['req', 'request'] },
    { name: 'response', types: [{ packages: ['@types/node'], names: ['ServerResponse', 'Http2ServerResponse'] }], factories: [], conventionalNames: ['res', 'response'] },
  ],
  registrations: [
    {
      kind: 'factory-argument',
      factories: [
        ...['http', 'https', 'http2'].flatMap((name) => [
          { module: `node:${name}`, export: 'createServer', invocation: 'call' as const },
          { module: name, export: 'createServer', invocation: 'call' as const },
        ]),
        ...['http2'].flatMap((name) => [
          { module: `node:${name}`, export: 'createSecureServer', invocation: 'call' as const },
          { module: name, export: 'createSecureServer', invocation: 'call' as const },
        ]),
        ...['http', 'https'].flatMap((name) => [
          { module: `node:${name}`, export: 'Server', invocation: 'construct' as const },
          { module: name, export: 'Server', invocation: 'construct' as const },
        ]),
      ],
      role: 'handler',
    },
    { kind: 'event-listener', receivers: ['server'], methods: ['on', 'addListener', 'once', 'prependListener'], events: ['request'], role: 'handler' },
  ],
  handlerParams: ['request', 'response'],
  promiseHandling: { awaitsReturnedPromise: false, forwardsRejection: false, resolvedValueIsResponse: false },
  responseSinks: [{ kind: 'method', receiver: 'response', methods: ['end', 'write'], argument: 0 }],
  keepAlive: [],
  docs: 'https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener',
};
