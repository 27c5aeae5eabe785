import type { ClientRequestInfo } from './request-context.js';

/**
 * What awaiting a request gives: the status, Web `Headers`, the body as a stream or read whole,
 * timing, and which client request it answered (to find its outbound upstream calls).
 */
export class TestResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly redirected: boolean;
  /** Milliseconds from sending the request to receiving the response head. */
  readonly durationMs: number;
  readonly request: ClientRequestInfo;
  /** The exception a fetch-style handler threw, when the response is the 500 that replaced it. */
  readonly error: unknown;
  readonly #response: Response;
  #text: Promise<string> | undefined;

  constructor(response: Response, details: { url: string; redirected: boolean; durationMs: number; request: ClientRequestInfo; error?: unknown }) {
    this.#response = response;
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
    this.url = details.url;
    this.redirected = details.redirected;
    this.durationMs = details.durationMs;
    this.request = details.request;
    this.error = details.error;
  }

  /** True for 2xx statuses. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as a stream, for server-sent events and other streaming responses; null when there is none. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#response.body;
  }

  /** The whole body as text (read once, then cached). */
  text(): Promise<string> {
    this.#text ??= this.#response.text();
    return this.#text;
  }

  /** The body parsed as JSON. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`[loopguard test-kit] Failed to parse the body of ${this.request.method} ${this.request.path} as JSON: it is ${JSON.stringify(text.slice(0, 200))}. Check the route, or read it with text().`);
    }
  }

  /** The body text if it has already been read, for messages that must not consume a stream. */
  async peekText(): Promise<string | undefined> {
    return this.#text === undefined ? undefined : this.#text;
  }
}
