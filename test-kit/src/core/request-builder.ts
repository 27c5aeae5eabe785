import type { ProbeOptions } from '../probes/settings.js';
import type { TestResponse } from './test-response.js';

/** Everything a request carries before it is sent. */
export interface RequestSpec {
  readonly method: string;
  readonly path: string;
  headers: Record<string, string>;
  query: Record<string, string | number | boolean | readonly (string | number | boolean)[]>;
  body: string | Uint8Array | undefined;
  timeoutMs: number | undefined;
  redirects: number;
  /** This request's probe options, over the client's. */
  probes: ProbeOptions | boolean | undefined;
}

/**
 * A request being built: chain `.set()`, `.query()`, `.json()`, `.send()`, `.timeout()`,
 * `.redirects()`, then `await` it. It is sent once, on the first `await`.
 *
 * @example
 * const response = await client.post('/users').set('authorization', 'Bearer t').json({ name: 'Ada' });
 */
export class TestRequest implements PromiseLike<TestResponse> {
  readonly #spec: RequestSpec;
  readonly #send: (spec: RequestSpec) => Promise<TestResponse>;
  #sent: Promise<TestResponse> | undefined;

  constructor(method: string, path: string, send: (spec: RequestSpec) => Promise<TestResponse>) {
    this.#spec = { method: method.toUpperCase(), path, headers: {}, query: {}, body: undefined, timeoutMs: undefined, redirects: 0, probes: undefined };
    this.#send = send;
  }

  /** The method and path, for messages. */
  get description(): string {
    return `${this.#spec.method} ${this.#spec.path}`;
  }

  /** Sets a header (or several from an object). */
  set(name: string | Record<string, string>, value?: string): this {
    if (typeof name === 'string') this.#spec.headers[name.toLowerCase()] = value ?? '';
    else for (const [key, headerValue] of Object.entries(name)) this.#spec.headers[key.toLowerCase()] = headerValue;
    return this;
  }

  /** Adds query parameters; arrays repeat the parameter. */
  query(parameters: RequestSpec['query']): this {
    Object.assign(this.#spec.query, parameters);
    return this;
  }

  /** Sends a JSON body with `content-type: application/json`. */
  json(body: unknown): this {
    this.#spec.body = JSON.stringify(body);
    this.#spec.headers['content-type'] ??= 'application/json';
    return this;
  }

  /** Sends a body: a string, bytes, form data (`URLSearchParams`), or an object (as JSON). */
  send(body: string | Uint8Array | URLSearchParams | Record<string, unknown> | readonly unknown[]): this {
    if (typeof body === 'string') {
      this.#spec.body = body;
      this.#spec.headers['content-type'] ??= 'text/plain;charset=UTF-8';
    } else if (body instanceof URLSearchParams) {
      this.#spec.body = body.toString();
      this.#spec.headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    } else if (body instanceof Uint8Array) {
      this.#spec.body = body;
      this.#spec.headers['content-type'] ??= 'application/octet-stream';
    } else {
      return this.json(body);
    }
    return this;
  }

  /** Fails the request if no response arrives within `ms` (default: the client's timeout). */
  timeout(ms: number): this {
    this.#spec.timeoutMs = ms;
    return this;
  }

  /** Follows up to `count` redirects (default 0: the redirect itself is the response). */
  redirects(count: number): this {
    this.#spec.redirects = count;
    return this;
  }

  /**
   * Turns the runtime probes off (`false`) or tunes them for this request only
   * (`{ blockedLoop: { thresholdMs: 20 } }`, `{ syncIO: { throw: true } }`).
   */
  probes(options: ProbeOptions | boolean): this {
    this.#spec.probes = options;
    return this;
  }

  then<A = TestResponse, B = never>(
    onFulfilled?: ((value: TestResponse) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#sent ??= this.#send(this.#spec);
    return this.#sent.then(onFulfilled, onRejected);
  }
}
