import { CookieJar } from 'tough-cookie';

import { adapterFor } from '../adapters/detect.js';
import type { AppKind, Dispatch } from './dispatch.js';
import { TestKitError } from './errors.js';
import { nextClientRequestId, requestContext, scopeContext, type ClientRequestInfo } from './request-context.js';
import { TestRequest, type RequestSpec } from './request-builder.js';
import { TestResponse } from './test-response.js';

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
}

/** What `client.concurrently` returns. */
export interface ConcurrentResult {
  readonly responses: readonly TestResponse[];
  /** From sending the first request to the last response head. */
  readonly wallMs: number;
  /** The most requests the app was serving at the same moment. */
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
  const { kind, dispatch } = adapterFor(app, options.kind, options.route);
  const baseUrl = options.baseUrl ?? 'http://app.test';
  const defaultTimeout = options.timeout ?? 5000;
  const cookies = new CookieJar();
  let inFlight = 0;
  const inFlightListeners = new Set<(count: number) => void>();

  async function sendOnce(spec: RequestSpec, url: URL, info: ClientRequestInfo): Promise<{ response: Response; durationMs: number; error?: unknown }> {
    const headers = new Headers({ ...options.headers, ...spec.headers });
    const cookieHeader = await cookies.getCookieString(url.href);
    if (cookieHeader !== '' && !headers.has('cookie')) headers.set('cookie', cookieHeader);
    const request = new Request(url, { method: spec.method, headers, ...(spec.body === undefined || spec.method === 'GET' || spec.method === 'HEAD' ? {} : { body: spec.body }) });
    const timeoutMs = spec.timeoutMs ?? defaultTimeout;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new TestKitError(`${spec.method} ${spec.path}`, `no response within ${String(timeoutMs)} ms`, 'Make sure every path of the handler sends a response (or calls next(error)), or raise the limit with .timeout(ms)'),
      );
    }, timeoutMs);
    const started = performance.now();
    inFlight += 1;
    for (const listener of inFlightListeners) listener(inFlight);
    try {
      const response = await requestContext.run(info, () => runDispatch(dispatch, kind, request, controller.signal));
      return { ...response, durationMs: performance.now() - started };
    } finally {
      clearTimeout(timer);
      inFlight -= 1;
    }
  }

  async function send(spec: RequestSpec): Promise<TestResponse> {
    const info: ClientRequestInfo = { id: nextClientRequestId(), method: spec.method, path: spec.path, scope: scopeContext.getStore() };
    let url = buildUrl(baseUrl, spec);
    let current = spec;
    let redirectsLeft = spec.redirects;
    let totalMs = 0;
    for (;;) {
      const { response, durationMs, error } = await sendOnce(current, url, info);
      totalMs += durationMs;
      for (const cookie of response.headers.getSetCookie()) await cookies.setCookie(cookie, url.href, { ignoreError: true });
      const location = response.headers.get('location');
      if (redirectsLeft > 0 && redirectStatuses.has(response.status) && location !== null) {
        redirectsLeft -= 1;
        await response.body?.cancel();
        url = new URL(location, url);
        const keepsMethod = response.status === 307 || response.status === 308;
        current = { ...current, method: keepsMethod ? current.method : current.method === 'HEAD' ? 'HEAD' : 'GET', body: keepsMethod ? current.body : undefined, query: {}, path: `${url.pathname}${url.search}` };
        url = buildUrl(url.origin === new URL(baseUrl).origin ? baseUrl : url.origin, current);
        continue;
      }
      return new TestResponse(response, { url: url.href, redirected: url.href !== buildUrl(baseUrl, spec).href, durationMs: totalMs, request: info, error });
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
async function runDispatch(dispatch: Dispatch, kind: AppKind, request: Request, signal: AbortSignal): Promise<{ response: Response; error?: unknown }> {
  const fetchStyle = kind === 'fetch' || kind === 'hono' || kind === 'next-route';
  const pending = dispatch(request, signal);
  const aborted = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => {
      reject(signal.reason as Error);
    }, { once: true });
  });
  try {
    return { response: await Promise.race([pending, aborted]) };
  } catch (error) {
    if (!fetchStyle || signal.aborted || error instanceof TestKitError) throw error;
    return { response: new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }), error };
  }
}
