import { nextRouteMethodExports } from '../http-methods.js';
import type { FrameworkDefinition, KeepAliveApi } from '../types.js';

const extensions = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.mts', '.cjs', '.cts'];

const nextKeepAlive: readonly KeepAliveApi[] = [
  { kind: 'import', module: 'next/server', export: 'after' },
  { kind: 'import', module: '@vercel/functions', export: 'waitUntil' },
];

/** Next.js App Router: `GET`…`OPTIONS` exported from `app/**\/route.ts`, returning a `Response`. */
export const nextAppRouter: FrameworkDefinition = {
  id: 'next-app-router',
  displayName: 'Next.js App Router',
  packages: [{ name: 'next', majors: { min: 13 } }],
  receivers: [],
  registrations: [
    { kind: 'file-export', files: { roots: ['app', 'src/app'], baseName: 'route', extensions }, exports: nextRouteMethodExports, role: 'handler' },
  ],
  handlerParams: ['request', 'route-context'],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: true },
  responseSinks: [{ kind: 'return' }],
  keepAlive: nextKeepAlive,
  docs: 'https://nextjs.org/docs/app/api-reference/file-conventions/route',
};

/** Next.js pages API routes: the default export of any file under `pages/api`, `(req, res)`. */
export const nextPagesApi: FrameworkDefinition = {
  id: 'next-pages-api',
  displayName: 'Next.js pages API',
  packages: [{ name: 'next', majors: { min: 9 } }],
  receivers: [
    { name: 'request', types: [{ packages: ['next'], names: ['NextApiRequest'] }], factories: [], conventionalNames: ['req', 'request'] },
    { name: 'response', types: [{ packages: ['next'], names: ['NextApiResponse'] }], factories: [], conventionalNames: ['res', 'response'] },
  ],
  registrations: [{ kind: 'file-export', files: { roots: ['pages/api', 'src/pages/api'], extensions }, exports: ['default'], role: 'handler' }],
  handlerParams: ['request', 'response'],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: false },
  responseSinks: [{ kind: 'method', receiver: 'response', methods: ['json', 'send', 'end', 'write'], argument: 0 }],
  keepAlive: nextKeepAlive,
  docs: 'https://nextjs.org/docs/pages/building-your-application/routing/api-routes',
};
