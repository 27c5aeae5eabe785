import { syncBuiltinESMExports } from 'node:module';

import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';

import { TestKitError } from '../core/errors.js';
import { createScope, requestContext, scopeContext, type ClientRequestInfo, type UpstreamScope } from '../core/request-context.js';
import { setUpstreamCallSource } from '../probes/request-probe.js';
import { outsideServing } from '../probes/runtime.js';

/** One request an upstream received. */
export interface UpstreamCall {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly headers: Headers;
  /** The body: parsed JSON when it is JSON, else text; undefined when empty. */
  readonly body: unknown;
  /** `performance.now()` when the request arrived and when its answer was sent. */
  readonly startedAt: number;
  endedAt: number | undefined;
  status: number | undefined;
  /** What the mock answered (parsed JSON when it is JSON, else text), once read: the timeline probe looks for its values in later calls. */
  responseBody: unknown;
  /** The client request whose handling made this call, if any. */
  readonly clientRequest: ClientRequestInfo | undefined;
  /** The test scope the call happened in. */
  readonly scope: UpstreamScope | undefined;
}

/** Computes a route's answer per request: a `Response`, or a body (JSON for objects, text for strings). */
export type RouteResolver = (info: { request: Request; params: Record<string, string>; call: UpstreamCall }) => unknown;

/** Declares a route: answer with a fixed body (JSON for objects, text for strings, a `Response` as-is) or a resolver. */
export interface RouteMethod {
  (path: string, resolver: RouteResolver, options?: RouteOptions): Upstream;
  // Two signatures on purpose: the resolver one gives an inline function its parameter types.
  // eslint-disable-next-line @typescript-eslint/unified-signatures
  (path: string, body: unknown, options?: RouteOptions): Upstream;
}

/** Options of a route. */
export interface RouteOptions {
  /** Wait this long before answering (ms). */
  readonly delay?: number;
  /** Answer with this status (default 200). */
  readonly status?: number;
  /** Answer only this many times; later calls fall through to other routes. */
  readonly times?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How `fail()` breaks a route. */
export type Failure = 'network' | 'timeout' | number;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly answer: unknown;
  readonly options: RouteOptions;
  /** Set for routes declared inside a test: they answer only that test and leave with it. */
  readonly scope: UpstreamScope | undefined;
  used: number;
}

/** An outbound request no upstream answered. */
export interface UnhandledUpstreamRequest {
  readonly method: string;
  readonly url: string;
  readonly clientRequest: ClientRequestInfo | undefined;
  readonly scope: UpstreamScope | undefined;
  /** Made by work a test left running after it ended. */
  readonly late: boolean;
  /** A route matched but had answered all the `times` it was given. */
  readonly usedUp: string | undefined;
}

const upstreams = new Map<string, Upstream>();
const unhandled: UnhandledUpstreamRequest[] = [];
let server: SetupServer | undefined;
let activeScopes = 0;
// Why a request found no route although one matched its path: it was used up (`times`).
const usedUp = new WeakMap<Request, string>();

/**
 * A mocked upstream service at `baseUrl`, answered in-process by MSW. Declare its routes, then read
 * `calls` to assert on what the app sent: each call records which client request caused it.
 */
export class Upstream {
  readonly baseUrl: string;
  readonly #routes: Route[] = [];
  readonly #calls: UpstreamCall[] = [];

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  /** Every request this upstream received since the last reset, in arrival order. */
  get calls(): readonly UpstreamCall[] {
    return this.#calls;
  }

  /** The calls one client request made (pass its response or its request info). */
  callsOf(source: { readonly request: ClientRequestInfo } | ClientRequestInfo): UpstreamCall[] {
    const id = 'request' in source ? source.request.id : source.id;
    return this.#calls.filter((call) => call.clientRequest?.id === id);
  }

  readonly get: RouteMethod = (path: string, answer: unknown, options?: RouteOptions) => this.#add('GET', path, answer, options);
  readonly post: RouteMethod = (path: string, answer: unknown, options?: RouteOptions) => this.#add('POST', path, answer, options);
  readonly put: RouteMethod = (path: string, answer: unknown, options?: RouteOptions) => this.#add('PUT', path, answer, options);
  readonly patch: RouteMethod = (path: string, answer: unknown, options?: RouteOptions) => this.#add('PATCH', path, answer, options);
  readonly delete: RouteMethod = (path: string, answer: unknown, options?: RouteOptions) => this.#add('DELETE', path, answer, options);
  /** Any method. */
  readonly all: RouteMethod = (path: string, answer: unknown, options?: RouteOptions) => this.#add('*', path, answer, options);

  /**
   * Makes a path fail: `'network'` (the connection errors), `'timeout'` (no answer until the caller
   * gives up), or an HTTP status. Takes precedence over the path's routes.
   */
  fail(path: string, failure: Failure, options: RouteOptions & { readonly method?: string } = {}): this {
    return this.#add(options.method?.toUpperCase() ?? '*', path, { failure }, options);
  }

  /**
   * Forgets what one test left: its routes and its calls. Without a scope, forgets every call and
   * the use counts of routes declared outside tests.
   */
  reset(scope?: UpstreamScope): void {
    for (let index = this.#calls.length - 1; index >= 0; index -= 1) {
      if (scope === undefined || this.#calls[index]?.scope === scope) this.#calls.splice(index, 1);
    }
    for (let index = this.#routes.length - 1; index >= 0; index -= 1) {
      const route = this.#routes[index];
      if (route === undefined) continue;
      if (scope !== undefined && route.scope === scope) this.#routes.splice(index, 1);
      else if (scope === undefined) route.used = 0;
    }
  }

  /** Removes every route, including those declared outside tests. */
  clearRoutes(): void {
    this.#routes.length = 0;
  }

  #add(method: string, path: string, answer: unknown, options: RouteOptions = {}): this {
    ensureServer();
    const route: Route = { method, path, answer, options, scope: scopeContext.getStore(), used: 0 };
    // Later declarations win, as with msw's `server.use()`.
    this.#routes.unshift(route);
    return this;
  }

  /** Answers a request if a route matches; undefined lets other handlers try. */
  async handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!`${url.origin}${url.pathname}`.startsWith(this.baseUrl)) return undefined;
    const relative = `${url.origin}${url.pathname}`.slice(this.baseUrl.length) || '/';
    const context = requestContext.getStore();
    const scope = context?.scope ?? scopeContext.getStore();
    for (const route of this.#routes) {
      if (route.method !== '*' && route.method !== request.method) continue;
      if (route.scope !== undefined && route.scope !== scope) continue;
      const params = matchPath(route.path, relative);
      if (params === undefined) continue;
      if (route.options.times !== undefined && route.used >= route.options.times) {
        usedUp.set(request, `${route.method === '*' ? 'ANY' : route.method} ${this.baseUrl}${route.path} answered its ${String(route.options.times)} time(s) already`);
        continue;
      }
      route.used += 1;
      // Work a finished test left running still gets its answer, but its calls are not the next test's.
      const recorded = scope?.closed !== true;
      const call: UpstreamCall = {
        method: request.method,
        url,
        path: relative,
        headers: request.headers,
        body: await readBody(request),
        startedAt: performance.now(),
        endedAt: undefined,
        status: undefined,
        responseBody: undefined,
        clientRequest: context,
        scope,
      };
      if (recorded) this.#calls.push(call);
      const response = await answerRoute(route, request, params, call);
      call.endedAt = performance.now();
      call.status = response.type === 'error' ? undefined : response.status;
      // Read from a copy without waiting: a streamed answer must not hold the response back.
      if (response.type !== 'error' && response.body !== null) {
        response
          .clone()
          .text()
          .then((text) => {
            call.responseBody = parseText(text, response.headers.get('content-type'));
          }, () => undefined);
      }
      return response;
    }
    return undefined;
  }
}

async function readBody(request: Request): Promise<unknown> {
  return parseText(await request.clone().text(), request.headers.get('content-type'));
}

function parseText(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if ((contentType ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

async function answerRoute(route: Route, request: Request, params: Record<string, string>, call: UpstreamCall): Promise<Response> {
  if (route.options.delay !== undefined && route.options.delay > 0) await delay(route.options.delay);
  const answer = route.answer;
  if (typeof answer === 'object' && answer !== null && 'failure' in answer) {
    const failure = (answer as { failure: Failure }).failure;
    if (failure === 'network') return HttpResponse.error();
    if (failure === 'timeout') {
      await new Promise<void>((resolve) => {
        request.signal.addEventListener('abort', () => {
          resolve();
        }, { once: true });
      });
      return HttpResponse.error();
    }
    return new HttpResponse(null, { status: failure });
  }
  const value: unknown = typeof answer === 'function' ? await (answer as RouteResolver)({ request, params, call }) : answer;
  if (value instanceof Response) return value;
  const init = { status: route.options.status ?? 200, ...(route.options.headers === undefined ? {} : { headers: route.options.headers }) };
  if (value === undefined) return new HttpResponse(null, init);
  if (typeof value === 'string') return HttpResponse.text(value, init);
  return HttpResponse.json(value as Record<string, unknown>, init);
}

/** Matches `/users/42` against `/users/:id` (and `*`), giving the params. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/').filter((part) => part !== '');
  const pathParts = path.split('/').filter((part) => part !== '');
  const params: Record<string, string> = {};
  for (let index = 0; index < patternParts.length; index += 1) {
    const part = patternParts[index] ?? '';
    if (part === '*') return params;
    const value = pathParts[index];
    if (value === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return patternParts.length === pathParts.length ? params : undefined;
}

function isLocal(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

function ensureServer(): SetupServer {
  if (server !== undefined) return server;
  server = setupServer(
    http.all('*', async ({ request }) => {
      for (const upstream of upstreams.values()) {
        const response = await upstream.handle(request);
        if (response !== undefined) return response;
      }
      const url = new URL(request.url);
      // Real servers the test started itself on loopback are reached as usual.
      if (isLocal(url)) return passthrough();
      const context = requestContext.getStore();
      const scope = context?.scope ?? scopeContext.getStore();
      // A request from a test that already ended is charged to the next test to end, marked late.
      unhandled.push({
        method: request.method,
        url: request.url,
        clientRequest: context,
        scope: scope?.closed === true ? undefined : scope,
        late: scope?.closed === true,
        usedUp: usedUp.get(request),
      });
      return HttpResponse.error();
    }),
  );
  return server;
}

/**
 * Declares (or returns) the mocked upstream service at `baseUrl` on the shared MSW server.
 *
 * @example
 * const api = upstream('https://api.example.test').get('/users/:id', { id: 1, name: 'Ada' }, { delay: 50 });
 * await client.get('/dashboard');
 * expect(api.calls).toHaveLength(1);
 */
export function upstream(baseUrl: string): Upstream {
  const key = baseUrl.replace(/\/$/, '');
  let existing = upstreams.get(key);
  if (existing === undefined) {
    try {
      new URL(key);
    } catch {
      throw new TestKitError(`declare upstream '${baseUrl}'`, 'it is not an absolute URL', "Pass the service's base URL, e.g. upstream('https://api.example.test')");
    }
    existing = new Upstream(key);
    upstreams.set(key, existing);
  }
  return existing;
}

/**
 * Starts intercepting outbound HTTP (fetch, http.request) for the whole process: declared upstreams
 * answer, anything else fails with a network error and is recorded as unhandled.
 * The Vitest entry calls this for you.
 *
 * @example
 * beforeAll(() => startUpstreams());
 */
export function startUpstreams(): void {
  ensureServer().listen({ onUnhandledRequest: 'bypass' });
  keepFetchInternalsOutOfProbes();
  // MSW patches `http.request` on the CommonJS module objects; without this, code that did
  // `import { request } from 'node:https'` would keep the original and reach the real network.
  syncBuiltinESMExports();
}

const wrapped = Symbol('loopguard.fetch');

/**
 * A mocked `fetch` runs MSW's interception (streams, signals, hundreds of promises) inside the call:
 * that is the mock's work, not the app's, so it runs outside the probes' serving context. The call
 * itself is still the request's: its upstream record says so, and the left-behind probe reads it.
 */
function keepFetchInternalsOutOfProbes(): void {
  const mocked = globalThis.fetch as typeof fetch & { [wrapped]?: true };
  if (mocked[wrapped] === true) return;
  const fetchOutsideProbes = Object.assign((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => outsideServing(() => mocked(input, init)), { [wrapped]: true as const });
  globalThis.fetch = fetchOutsideProbes;
}

/** Forgets the calls of every upstream and the unhandled requests; returns the unhandled ones. */
export function resetUpstreams(): UnhandledUpstreamRequest[] {
  for (const upstream of upstreams.values()) upstream.reset();
  return unhandled.splice(0);
}

/**
 * Runs `fn` as one test's upstream scope: routes declared inside answer only requests made inside,
 * and leave afterwards with their calls. Returns the outbound requests nothing answered in the
 * scope. The Vitest entry wraps every test in one, which is what keeps `it.concurrent` tests apart.
 *
 * @example
 * const unhandled = await withUpstreamScope(async () => { upstream(api).get('/x', {}); await client.get('/y'); });
 */
export async function withUpstreamScope(fn: () => unknown): Promise<UnhandledUpstreamRequest[]> {
  const scope = createScope();
  activeScopes += 1;
  try {
    await scopeContext.run(scope, fn);
  } finally {
    activeScopes -= 1;
    scope.closed = true;
    for (const upstream of upstreams.values()) upstream.reset(scope);
  }
  const mine: UnhandledUpstreamRequest[] = [];
  for (let index = unhandled.length - 1; index >= 0; index -= 1) {
    const request = unhandled[index];
    // Requests made outside any scope (say, from a beforeAll) are charged to the test that runs next.
    if (request !== undefined && (request.scope === scope || (request.scope === undefined && (activeScopes === 0 || request.late)))) {
      mine.unshift(request);
      unhandled.splice(index, 1);
    }
  }
  if (activeScopes === 0) for (const upstream of upstreams.values()) upstream.reset();
  return mine;
}

/** Stops intercepting. */
export function stopUpstreams(): void {
  server?.close();
  syncBuiltinESMExports();
}

/** Outbound requests nothing answered since the last reset. */
export function unhandledUpstreamRequests(): readonly UnhandledUpstreamRequest[] {
  return unhandled;
}

/** Every upstream declared in this process. */
export function upstreamsInUse(): readonly Upstream[] {
  return [...upstreams.values()];
}

// The left-behind probe reports a request's outbound calls still in flight after its response.
setUpstreamCallSource((request) => upstreamsInUse().flatMap((candidate) => candidate.callsOf(request)));
