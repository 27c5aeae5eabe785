/** Every framework the registry describes. Express 4 and 5 are separate: they treat returned promises differently. */
export type FrameworkId =
  | 'express4'
  | 'express5'
  | 'fastify'
  | 'koa'
  | 'koa-router'
  | 'hono'
  | 'next-app-router'
  | 'next-pages-api'
  | 'nestjs'
  | 'node-http'
  | 'aws-lambda';

/** What a handler parameter is, by position: rules find the response object through it. */
export type ParamRole =
  | 'error'
  | 'request'
  | 'response'
  | 'next'
  | 'context'
  | 'reply'
  | 'route-context'
  | 'event'
  | 'lambda-context'
  | 'callback';

/** Names of types that identify a framework value when type information is available. */
export interface TypeRef {
  /** Packages whose declaration files declare the types (`@types/express-serve-static-core`, `fastify`). */
  readonly packages: readonly string[];
  readonly names: readonly string[];
}

/**
 * How an untyped analysis recognises a framework value by where it came from: the result of calling
 * (or constructing) an export, or of calling `method` on another receiver (`app.route('/x')`).
 */
export type FactoryRef =
  | { readonly kind: 'export'; readonly module: string; readonly export: string; readonly invocation: 'call' | 'construct' }
  | { readonly kind: 'method'; readonly receiver: string; readonly method: string };

/** A framework object that handlers are registered on (`app`, `router`, `fastify`) or that a handler receives (`reply`). */
export interface Receiver {
  readonly name: string;
  readonly types: readonly TypeRef[];
  readonly factories: readonly FactoryRef[];
  /** Parameter names the framework's docs use for it; the untyped fallback's last resort. */
  readonly conventionalNames: readonly string[];
}

/** A registration call on a receiver: `app.get(path, ...handlers)`, `fastify.addHook('onRequest', fn)`. */
export interface MethodRegistration {
  readonly kind: 'method-call';
  readonly receivers: readonly string[];
  readonly methods: readonly string[];
  readonly role: 'handler' | 'middleware' | 'hook' | 'error-handler';
  /**
   * Which arguments are handlers: every function argument (arrays of functions included, as Express
   * flattens them), or only the last one.
   */
  readonly handlerArguments: 'all-functions' | 'last-function';
  /** Properties of an object-literal argument that hold handlers (`{ handler, preHandler }`). */
  readonly handlerProperties?: readonly string[];
  /** For hooks: the first argument names the event; only these events run per request. */
  readonly events?: readonly string[];
}

/** A factory call whose function argument handles requests: `http.createServer(listener)`. */
export interface FactoryArgumentRegistration {
  readonly kind: 'factory-argument';
  readonly factories: readonly { readonly module: string; readonly export: string; readonly invocation: 'call' | 'construct' }[];
  readonly role: 'handler';
}

/** An event listener that handles requests: `server.on('request', listener)`. */
export interface EventListenerRegistration {
  readonly kind: 'event-listener';
  readonly receivers: readonly string[];
  readonly methods: readonly string[];
  readonly events: readonly string[];
  readonly role: 'handler';
}

/** Where a framework finds handlers by file location (Next.js), matched on `/`-separated paths. */
export interface FileConvention {
  /** Directory prefixes, relative to the project root (`app`, `src/app`). */
  readonly roots: readonly string[];
  /** The file's base name without extension (`route`); absent means any file under the root. */
  readonly baseName?: string;
  readonly extensions: readonly string[];
}

/** Exports that are handlers, in files matched by a convention or anywhere. */
export interface ExportRegistration {
  readonly kind: 'file-export';
  readonly files?: FileConvention;
  /** Export names (`GET`), or `default`. */
  readonly exports: readonly string[];
  readonly role: 'handler';
  /** Types that mark an export as a handler wherever it is (`APIGatewayProxyHandler`). */
  readonly types?: readonly TypeRef[];
}

/** A decorator from `module` applied to a function-like declaration or class. */
export interface DecoratorRef {
  readonly module: string;
  readonly names: readonly string[];
}

/** Methods of a decorated class that are handlers: `@Controller()` classes' `@Get()` methods. */
export interface DecoratedMethodRegistration {
  readonly kind: 'decorated-method';
  readonly classDecorators: readonly DecoratorRef[];
  readonly methodDecorators: readonly DecoratorRef[];
  readonly role: 'handler';
}

/** A method that runs per request because its class implements a framework interface (`NestMiddleware#use`). */
export interface ImplementedMethodRegistration {
  readonly kind: 'implemented-method';
  readonly interfaces: TypeRef;
  readonly method: string;
  readonly role: 'middleware' | 'hook';
}

export type HandlerRegistration =
  | MethodRegistration
  | FactoryArgumentRegistration
  | EventListenerRegistration
  | ExportRegistration
  | DecoratedMethodRegistration
  | ImplementedMethodRegistration;

/** A place a handler's result becomes the HTTP response; a promise there is a missing await. */
export type ResponseSink =
  | {
      readonly kind: 'method';
      /** The receiver (`response`, `reply`, `context`), found by type or by handler parameter role. */
      readonly receiver: string;
      readonly methods: readonly string[];
      /** Which argument is sent. */
      readonly argument: number;
    }
  | { readonly kind: 'assignment'; readonly receiver: string; readonly properties: readonly string[] }
  /** A call of a handler parameter itself, such as Lambda's `callback(null, result)`. */
  | { readonly kind: 'parameter-call'; readonly param: ParamRole; readonly argument: number }
  | { readonly kind: 'return' };

/** A call outside any one framework that serialises its argument (`JSON.stringify`, `Response.json`). */
export interface SerializationSink {
  /** Module that exports the callee; absent for globals. */
  readonly module?: string;
  /** Path from the global or the module's export (`Response.json`, `NextResponse.json`). */
  readonly callee: string;
  readonly invocation: 'call' | 'construct';
  readonly argument: number;
}

/** How the framework treats a promise returned by a handler. */
export interface PromiseHandling {
  /** The framework waits for the promise before it considers the request handled. */
  readonly awaitsReturnedPromise: boolean;
  /** A rejection reaches the framework's error handling (an error response); false means it is unhandled and the request hangs. */
  readonly forwardsRejection: boolean;
  /** The resolved value becomes the response body. */
  readonly resolvedValueIsResponse: boolean;
}

/** An API that keeps work alive after the response without blocking it (`ctx.waitUntil`, Next's `after`). */
export type KeepAliveApi =
  | { readonly kind: 'import'; readonly module: string; readonly export: string }
  | { readonly kind: 'member'; readonly receiver: string; readonly path: string };

/** The npm package a framework is installed as, and which major versions this definition covers. */
export interface FrameworkPackage {
  readonly name: string;
  /** Covered major versions, inclusive; `max` absent means "and later". */
  readonly majors: { readonly min: number; readonly max?: number };
}

/** One framework's handler model. */
export interface FrameworkDefinition {
  readonly id: FrameworkId;
  readonly displayName: string;
  /** Packages that bring the framework in; empty for conventions with no package (`node:http` is builtin, Lambda is a runtime). */
  readonly packages: readonly FrameworkPackage[];
  readonly receivers: readonly Receiver[];
  readonly registrations: readonly HandlerRegistration[];
  /** Parameter roles by position, for handlers and (where different) error handlers. */
  readonly handlerParams: readonly ParamRole[];
  readonly errorHandlerParams?: readonly ParamRole[];
  readonly promiseHandling: PromiseHandling;
  readonly responseSinks: readonly ResponseSink[];
  readonly keepAlive: readonly KeepAliveApi[];
  /** A link to the framework's documentation of handlers. */
  readonly docs: string;
}
