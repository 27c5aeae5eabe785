import type { Server } from 'node:http';

import { CookieJar } from 'tough-cookie';

import { adapterFor } from '../adapters/detect.js';
import type { RequestProbe } from '../probes/request-probe.js';
import { finishProbe, serve, startProbe, waitUntilFor } from '../probes/runtime.js';
import { applyProbeOptions, globalProbeSettings, type ProbeOptions } from '../probes/settings.js';
import type { AppKind, Cancellation, RequestLifecycle, WireRequest } from './dispatch.js';
import { TestKitError } from './errors.js';
import { nextClientRequestId, requestContext, scopeContext, type ClientRequestInfo } from './request-context.js';
import { sendOverConnection } from './http-wire.js';
import { TestRequest, type RequestSpec } from './request-builder.js';
import { TestResponse, type ResponseSource } from './test-response.js';

/** Settings of a client. */
export interface ClientOptions {
  /** The app's kind, when it cannot be recognised from its shape. */
  readonly kind?: AppKind;
  /** For Next.js route modules and pages API handlers: the URL pattern they serve (`/api/users/[id]`). */
  readonly route?: string;
  /** The origin requests appear to come to (default `http://app.test`). */
  readonly baseUrl?: string;
  /** Default per-request timeout in ms (default 5000). */
  readonly timeout?: number;
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * For fetch-style apps (Hono, Workers-style handlers): hand them an execution context, as
   * Cloudflare Workers and Vercel do, whose `waitUntil` the left-behind probe counts as keeping work
   * alive on purpose. Off by default, as under Node's server adapters, where `c.executionCtx` throws.
   */
  readonly executionContext?: boolean;
  /**
   * The runtime probes for this client's requests (all on by default): `false` turns them off, an
   * object tunes single probes (`{ syncIO: { throw: true } }`). Requests can override it with `.probes()`.
   */
  readonly probes?: ProbeOptions | boolean;
}

/** What `client.concurrently` returns. */
export interface ConcurrentResult {
  readonly responses: readonly TestResponse[];
  /** From sending the first request to the last response head. */
  readonly wallMs: number;
  /**
   * The most requests sent and not yet answered at the same moment, counted by the client: it shows
   * the requests overlapped, not that the app made progress on them in parallel.
   */
  readonly maxInFlight: number;
}

/** An in-process client for one app. */
export interface Client {
  readonly kind: AppKind;
  /** The client's cookies: set by responses, sent with later requests. */
  readonly cookies: CookieJar;
  get(path: string): TestRequest;
  post(path: string): TestRequest;
  put(path: string): TestRequest;
  patch(path: string): TestRequest;
  delete(path: string): TestRequest;
  head(path: string): TestRequest;
  options(path: string): TestRequest;
  request(method: string, path: string): TestRequest;
  /** Sends `count` requests at once and waits for all of them. */
  concurrently(count: number, make: (index: number) => TestRequest): Promise<ConcurrentResult>;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function buildUrl(baseUrl: string, spec: RequestSpec): URL {
  const url = new URL(spec.path, baseUrl);
  for (const [name, value] of Object.entries(spec.query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) url.searchParams.append(name, String(item));
  }
  return url;
}

/**
 * Creates an in-process client for an app of any supported framework. No port is opened:
 * `(req, res)` frameworks get real `IncomingMessage`/`ServerResponse` objects over an in-memory
 * connection; fetch-style apps get a Web `Request`.
 *
 * @example
 * const client = createClient(createApp(config));
 * const response = await client.get('/users/1');
 * expect(response.status).toBe(200);
 */
export function createClient(app: unknown, options: ClientOptions = {}): Client {
  const { kind, target } = adapterFor(app, options.kind, options.route);
  const baseUrl = options.baseUrl ?? 'http://app.test';
  const defaultTimeout = options.timeout ?? 5000;
  const cookies = new CookieJar();
  let inFlight = 0;
  const inFlightListeners = new Set<(count: number) => void>();

  const origin = new URL(baseUrl).origin;
  let hasCookies = false;
  let server: Server | undefined;

  async function sendOnce(spec: RequestSpec, url: URL, info: ClientRequestInfo, probe: RequestProbe | undefined): Promise<{ source: ResponseSource; durationMs: number; error?: unknown }> {
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.push([name.toLowerCase(), value]);
    for (const [name, value] of Object.entries(spec.headers)) headers.push([name, value]);
    // The cookie jar is only consulted once a response has set a cookie: most suites never do.
    if (hasCookies && !headers.some(([name]) => name === 'cookie')) {
      const cookieHeader = await cookies.getCookieString(url.href);
      if (cookieHeader !== '') headers.push(['cookie', cookieHeader]);
    }
    const body = spec.body === undefined || spec.method === 'GET' || spec.method === 'HEAD' ? undefined : typeof spec.body === 'string' ? Buffer.from(spec.body) : Buffer.from(spec.body);
    const wire: WireRequest = { method: spec.method, url, headers, body };
    const timeoutMs = spec.timeoutMs ?? defaultTimeout;
    const listeners: ((reason: Error) => void)[] = [];
    const cancellation: Cancellation = { onCancel: (listener) => listeners.push(listener) };
    let timedOut: Error | undefined;
    const timer = setTimeout(() => {
      timedOut = new TestKitError(`${spec.method} ${spec.path}`, `no response within ${String(timeoutMs)} ms`, 'Make sure every path of the handler sends a response (or calls next(error)), or raise the limit with .timeout(ms)');
      for (const listener of listeners) listener(timedOut);
    }, timeoutMs);
    const started = performance.now();
    inFlight += 1;
    for (const listener of inFlightListeners) listener(inFlight);
    try {
      const result = await requestContext.run(info, async () => {
        if (target.kind === 'node') {
          server ??= await target.server();
          const raw = await sendOverConnection(server, wire, cancellation);
          return { source: { kind: 'raw' as const, ...raw } };
        }
        return fetchTarget(target.handle, wire, cancellation, () => timedOut, probe, options.executionContext === true);
      });
      return { ...result, durationMs: performance.now() - started };
    } finally {
      clearTimeout(timer);
      inFlight -= 1;
    }
  }

  const clientSettings = (): ReturnType<typeof globalProbeSettings> => applyProbeOptions(globalProbeSettings(), options.probes, 'createClient options.probes');

  async function send(spec: RequestSpec): Promise<TestResponse> {
    const info: ClientRequestInfo = { id: nextClientRequestId(), method: spec.method, path: spec.path, scope: scopeContext.getStore() };
    const probe = startProbe(applyProbeOptions(clientSettings(), spec.probes, `.probes() of ${spec.method} ${spec.path}`), info);
    try {
      const response = await follow(spec, info, probe);
      // The response has ended when its whole body has arrived (a fetch handler's when it returned).
      response.whenBodyEnds(() => {
        if (probe !== undefined) finishProbe(probe);
      });
      return response;
    } catch (error) {
      if (probe !== undefined) finishProbe(probe);
      throw error;
    }
  }

  async function follow(spec: RequestSpec, info: ClientRequestInfo, probe: RequestProbe | undefined): Promise<TestResponse> {
    const firstUrl = buildUrl(baseUrl, spec);
    let url = firstUrl;
    let current = spec;
    let redirectsLeft = spec.redirects;
    let totalMs = 0;
    for (;;) {
      const { source, durationMs, error } = await sendOnce(current, url, info, probe);
      totalMs += durationMs;
      const response = new TestResponse(source, { url: url.href, redirected: url.href !== firstUrl.href, durationMs: totalMs, request: info, method: current.method, error, probe });
      const setCookies = response.status >= 100 ? response.headers.getSetCookie() : [];
      for (const cookie of setCookies) {
        hasCookies = true;
        await cookies.setCookie(cookie, url.href, { ignoreError: true });
      }
      const location = redirectsLeft > 0 && redirectStatuses.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return response;
      redirectsLeft -= 1;
      await response.discard();
      const next = new URL(location, url);
      const keepsMethod = response.status === 307 || response.status === 308;
      current = {
        ...current,
        method: keepsMethod || current.method === 'HEAD' ? current.method : 'GET',
        body: keepsMethod ? current.body : undefined,
        query: {},
        path: `${next.pathname}${next.search}`,
      };
      url = buildUrl(next.origin === origin ? baseUrl : next.origin, current);
    }
  }

  const client: Client = {
    kind,
    cookies,
    get: (path) => new TestRequest('GET', path, send),
    post: (path) => new TestRequest('POST', path, send),
    put: (path) => new TestRequest('PUT', path, send),
    patch: (path) => new TestRequest('PATCH', path, send),
    delete: (path) => new TestRequest('DELETE', path, send),
    head: (path) => new TestRequest('HEAD', path, send),
    options: (path) => new TestRequest('OPTIONS', path, send),
    request: (method, path) => new TestRequest(method, path, send),
    async concurrently(count, make) {
      if (!Number.isInteger(count) || count < 1) {
        throw new TestKitError('run requests concurrently', `count ${String(count)} is not a positive whole number`, 'Pass how many requests to send, e.g. concurrently(10, () => client.get(path))');
      }
      let maxInFlight = 0;
      const listener = (now: number): void => {
        maxInFlight = Math.max(maxInFlight, now);
      };
      inFlightListeners.add(listener);
      const started = performance.now();
      try {
        const requests = Array.from({ length: count }, (_unused, index) => make(index));
        const responses = await Promise.all(requests.map(async (request) => request));
        return { responses, wallMs: performance.now() - started, maxInFlight };
      } finally {
        inFlightListeners.delete(listener);
      }
    },
  };
  return client;
}

// Fetch-style apps throw where a Node server would answer 500: answer 500 too, and keep the error.
async function fetchTarget(
  handle: (request: Request, lifecycle: RequestLifecycle | undefined) => Promise<Response>,
  wire: WireRequest,
  cancellation: Cancellation,
  timedOut: () => Error | undefined,
  probe: RequestProbe | undefined,
  withExecutionContext: boolean,
): Promise<{ source: ResponseSource; error?: unknown }> {
  const lifecycle: RequestLifecycle | undefined = withExecutionContext ? { waitUntil: waitUntilFor(probe, 'executionCtx.waitUntil'), passThroughOnException: () => undefined } : undefined;
  const controller = new AbortController();
  const request = new Request(wire.url, { method: wire.method, headers: wire.headers.map(([name, value]): [string, string] => [name, value]), signal: controller.signal, ...(wire.body === undefined ? {} : { body: new Uint8Array(wire.body) }) });
  const cancelled = new Promise<never>((_resolve, reject) => {
    cancellation.onCancel((reason) => {
      controller.abort(reason);
      reject(reason);
    });
  });
  try {
    return { source: { kind: 'web', response: await Promise.race([serve(probe, () => handle(request, lifecycle)), cancelled]) } };
  } catch (error) {
    if (timedOut() !== undefined || error instanceof TestKitError) throw error;
    return { source: { kind: 'web', response: new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }) }, error };
  }
}
