import { coreError } from '../errors.js';
import { awsLambda } from './frameworks/aws-lambda.js';
import { express4, express5 } from './frameworks/express.js';
import { fastify } from './frameworks/fastify.js';
import { hono } from './frameworks/hono.js';
import { koa, koaRouter } from './frameworks/koa.js';
import { nestjs } from './frameworks/nest.js';
import { nextAppRouter, nextPagesApi } from './frameworks/next.js';
import { nodeHttp } from './frameworks/node-http.js';
import type {
  EventListenerRegistration,
  ExportRegistration,
  FrameworkDefinition,
  FrameworkId,
  MethodRegistration,
  Receiver,
  SerializationSink,
} from './types.js';

/** Every framework the registry describes. */
export const frameworks: readonly FrameworkDefinition[] = [
  express4,
  express5,
  fastify,
  koa,
  koaRouter,
  hono,
  nextAppRouter,
  nextPagesApi,
  nestjs,
  nodeHttp,
  awsLambda,
];

/** Calls that serialise their argument whatever the framework; a promise there ships `{}`. */
export const serializationSinks: readonly SerializationSink[] = [
  { callee: 'JSON.stringify', invocation: 'call', argument: 0 },
  { callee: 'Response.json', invocation: 'call', argument: 0 },
  { callee: 'Response', invocation: 'construct', argument: 0 },
  { module: 'next/server', callee: 'NextResponse.json', invocation: 'call', argument: 0 },
  { module: 'next/server', callee: 'NextResponse', invocation: 'construct', argument: 0 },
];

/** A framework together with one of its receivers. */
export interface ReceiverMatch {
  readonly framework: FrameworkDefinition;
  readonly receiver: Receiver;
}

/**
 * The framework with this id.
 *
 * @example
 * getFramework('express4').promiseHandling.awaitsReturnedPromise; // false
 */
export function getFramework(id: FrameworkId): FrameworkDefinition {
  const found = frameworks.find((framework) => framework.id === id);
  if (found === undefined) {
    throw coreError(`find framework '${id}'`, 'no such framework', `Use one of ${frameworks.map((framework) => `'${framework.id}'`).join(', ')}`);
  }
  return found;
}

/**
 * Frameworks an npm package brings in; with a version (`4.21.2`, `^5.0.0`) only those covering its major.
 *
 * @example
 * frameworksForPackage('express', '^4.21.0').map((f) => f.id); // ['express4']
 */
export function frameworksForPackage(name: string, version?: string): readonly FrameworkDefinition[] {
  const major = version === undefined ? undefined : majorOf(version);
  return frameworks.filter((framework) =>
    framework.packages.some(
      (pkg) =>
        pkg.name === name &&
        (major === undefined || (major >= pkg.majors.min && (pkg.majors.max === undefined || major <= pkg.majors.max))),
    ),
  );
}

function majorOf(version: string): number | undefined {
  const match = /(\d+)/.exec(version);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Receivers identified by a type name declared in a package (`Router` from `@types/express-serve-static-core`).
 *
 * @example
 * receiversForType('FastifyInstance', 'fastify')[0]?.receiver.name; // 'instance'
 */
export function receiversForType(typeName: string, packageName: string, candidates = frameworks): readonly ReceiverMatch[] {
  return candidates.flatMap((framework) =>
    framework.receivers
      .filter((receiver) => receiver.types.some((ref) => ref.names.includes(typeName) && ref.packages.includes(packageName)))
      .map((receiver) => ({ framework, receiver })),
  );
}

/**
 * Receivers produced by calling or constructing a module export (`express()`, `new Koa()`, `Router()`).
 * `exportPath` is the access path from the import, so a default import's member is `default.Router`.
 *
 * @example
 * receiversForFactory('express', 'default', 'call').map((m) => m.receiver.name); // ['app', 'app'] (Express 4 and 5)
 */
export function receiversForFactory(
  module: string,
  exportPath: string,
  invocation: 'call' | 'construct',
  candidates = frameworks,
): readonly ReceiverMatch[] {
  return candidates.flatMap((framework) =>
    framework.receivers
      .filter((receiver) =>
        receiver.factories.some(
          (factory) =>
            factory.kind === 'export' && factory.module === module && factory.export === exportPath && factory.invocation === invocation,
        ),
      )
      .map((receiver) => ({ framework, receiver })),
  );
}

/**
 * Receivers produced by calling `method` on another receiver of the same framework (`app.route('/x')`).
 *
 * @example
 * receiversForMethod(getFramework('express5'), 'router', 'route')[0]?.name; // 'route'
 */
export function receiversForMethod(framework: FrameworkDefinition, receiver: string, method: string): readonly Receiver[] {
  return framework.receivers.filter((candidate) =>
    candidate.factories.some((factory) => factory.kind === 'method' && factory.receiver === receiver && factory.method === method),
  );
}

/**
 * The registrations a method call on a receiver makes (`router.get` registers a handler, `app.use` middleware).
 *
 * @example
 * registrationsForCall(getFramework('fastify'), 'instance', 'addHook')[0]?.role; // 'hook'
 */
export function registrationsForCall(
  framework: FrameworkDefinition,
  receiver: string,
  method: string,
): readonly (MethodRegistration | EventListenerRegistration)[] {
  return framework.registrations.filter(
    (registration): registration is MethodRegistration | EventListenerRegistration =>
      (registration.kind === 'method-call' || registration.kind === 'event-listener') &&
      registration.receivers.includes(receiver) &&
      registration.methods.includes(method),
  );
}

/** A file whose exports a framework calls as handlers, and which exports those are. */
export interface HandlerFileMatch {
  readonly framework: FrameworkDefinition;
  readonly registration: ExportRegistration;
}

/**
 * Frameworks that treat a file as a handler file by its location, given its path relative to the
 * project root (`src/app/api/users/[id]/route.ts`, `pages/api/login.ts`).
 *
 * @example
 * matchHandlerFile('src/app/api/users/route.ts')[0]?.registration.exports; // ['GET', 'HEAD', …]
 */
export function matchHandlerFile(relativePath: string, candidates = frameworks): readonly HandlerFileMatch[] {
  const path = relativePath.replaceAll('\\', '/').replace(/^\.\//, '');
  return candidates.flatMap((framework) =>
    framework.registrations
      .filter((registration): registration is ExportRegistration => registration.kind === 'file-export' && registration.files !== undefined)
      .filter((registration) => {
        const files = registration.files;
        if (files === undefined) return false;
        const extension = files.extensions.find((candidate) => path.endsWith(candidate));
        if (extension === undefined) return false;
        if (path.endsWith('.d.ts') || path.endsWith('.d.mts') || path.endsWith('.d.cts')) return false;
        const root = files.roots.find((candidate) => path.startsWith(`${candidate}/`) || path.includes(`/${candidate}/`));
        if (root === undefined) return false;
        if (files.baseName === undefined) return true;
        const fileName = path.slice(path.lastIndexOf('/') + 1, -extension.length);
        return fileName === files.baseName;
      })
      .map((registration) => ({ framework, registration })),
  );
}

/**
 * Frameworks whose handlers are exports recognisable anywhere by name (AWS Lambda's `handler`).
 *
 * @example
 * exportedHandlerNames(); // ['handler']
 */
export function exportedHandlerNames(candidates = frameworks): readonly string[] {
  return [
    ...new Set(
      candidates.flatMap((framework) =>
        framework.registrations.flatMap((registration) =>
          registration.kind === 'file-export' && registration.files === undefined ? registration.exports : [],
        ),
      ),
    ),
  ];
}
