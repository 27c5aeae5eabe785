import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

import type { RequestProbe } from '../probes/request-probe.js';
import type { ProbeReport } from '../probes/report.js';
import { finishProbe } from '../probes/runtime.js';
import type { BodyBuffer } from './body-buffer.js';
import type { ClientRequestInfo } from './request-context.js';

/** Where a response's head and body come from: a Node connection (raw) or a fetch handler (Web). */
export type ResponseSource =
  | { readonly kind: 'raw'; readonly status: number; readonly statusText: string; readonly headers: readonly (readonly [string, string])[]; readonly body: BodyBuffer }
  | { readonly kind: 'web'; readonly response: Response };

const noBody = new Set([204, 304]);

const decoders: Record<string, (input: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** Undoes each `content-encoding`, last applied first; unknown encodings are left as they are. */
async function decode(bytes: Buffer, encoding: string | null): Promise<Buffer> {
  if (encoding === null || bytes.length === 0) return bytes;
  let output = bytes;
  for (const name of encoding.split(',').map((part) => part.trim().toLowerCase()).reverse()) {
    const decoder = decoders[name];
    if (decoder !== undefined) output = await decoder(output);
  }
  return output;
}

/**
 * What awaiting a request gives: the status, Web `Headers`, the body as a stream or read whole,
 * timing, and which client request it answered (to find its outbound upstream calls).
 */
export class TestResponse {
  readonly status: number;
  readonly statusText: string;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly redirected: boolean;
  /** Milliseconds from sending the request to receiving the response head. */
  readonly durationMs: number;
  readonly request: ClientRequestInfo;
  /** The exception a fetch-style handler threw, when the response is the 500 that replaced it. */
  readonly error: unknown;
  readonly #source: ResponseSource;
  readonly #method: string;
  readonly #probe: RequestProbe | undefined;
  #headers: Headers | undefined;
  #bytes: Promise<Buffer> | undefined;
  #text: Promise<string> | undefined;

  constructor(source: ResponseSource, details: { url: string; redirected: boolean; durationMs: number; request: ClientRequestInfo; method: string; error?: unknown; probe?: RequestProbe | undefined }) {
    this.#probe = details.probe;
    this.#source = source;
    this.status = source.kind === 'raw' ? source.status : source.response.status;
    this.statusText = source.kind === 'raw' ? source.statusText : source.response.statusText;
    this.url = details.url;
    this.redirected = details.redirected;
    this.durationMs = details.durationMs;
    this.request = details.request;
    this.error = details.error;
    this.#method = details.method;
  }

  /** Response headers, as Web `Headers` (`getSetCookie()` included). */
  get headers(): Headers {
    if (this.#headers === undefined) {
      if (this.#source.kind === 'web') {
        this.#headers = this.#source.response.headers;
      } else {
        const headers = new Headers();
        for (const [name, value] of this.#source.headers) headers.append(name, value);
        this.#headers = headers;
      }
    }
    return this.#headers;
  }

  /**
   * What the runtime probes saw while the request was served, as it stands now: the longest blocked
   * stretch of the event loop, blocking calls, and (once `probeReport()` has judged it) the work left
   * running after the response. Undefined when the probes were off for the request.
   */
  get probes(): ProbeReport | undefined {
    return this.#probe?.report();
  }

  /**
   * The probes' final report: waits for the body to end and for the work left running to be judged
   * (a moment after the response; promises handed to `waitUntil` are waited for). The probe matchers
   * call it.
   */
  async probeReport(waitMs = 5000): Promise<ProbeReport | undefined> {
    const probe = this.#probe;
    if (probe === undefined) return undefined;
    // A stream that never ends (server-sent events) is judged after `waitMs`, as it stands then.
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([this.#bodyEnded().catch(() => undefined), limit]);
    clearTimeout(timer);
    finishProbe(probe);
    await probe.judge();
    return probe.report();
  }

  /** Calls `listener` once the whole body has arrived (at once for fetch handlers, whose response is complete when returned). */
  whenBodyEnds(listener: () => void): void {
    if (this.#source.kind === 'raw') this.#source.body.onSettled(listener);
    else listener();
  }

  #bodyEnded(): Promise<unknown> {
    return this.#source.kind === 'raw' ? this.#source.body.complete() : Promise.resolve();
  }

  /** True for 2xx statuses. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as a stream, for server-sent events and other streaming responses; null when there is none. */
  get body(): ReadableStream<Uint8Array> | null {
    // A HEAD response has no body, even when a fetch handler wrote one (servers drop it).
    if (this.#method === 'HEAD' || noBody.has(this.status)) return null;
    if (this.#source.kind === 'web') return this.#source.response.body;
    return this.#source.body.stream();
  }

  /**
   * The whole body as bytes, decoded from its `content-encoding` (gzip, deflate, br) as `fetch`
   * does; `body` streams the bytes as sent.
   */
  arrayBuffer(): Promise<ArrayBuffer> {
    this.#bytes ??= this.#readBytes();
    return this.#bytes.then((bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }

  /** The whole body as text, decoded like `arrayBuffer()` (read once, then cached). */
  text(): Promise<string> {
    this.#bytes ??= this.#readBytes();
    this.#text ??= this.#bytes.then((bytes) => bytes.toString('utf8'));
    return this.#text;
  }

  async #readBytes(): Promise<Buffer> {
    if (this.#method === 'HEAD' || noBody.has(this.status)) return Buffer.alloc(0);
    const raw = this.#source.kind === 'web' ? Buffer.from(await this.#source.response.arrayBuffer()) : await this.#source.body.complete();
    return decode(raw, this.headers.get('content-encoding'));
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

  /** Discards the rest of the body (after a redirect, say). */
  async discard(): Promise<void> {
    if (this.#source.kind === 'web') await this.#source.response.body?.cancel();
  }

  /** The body text if it has already been read, for messages that must not consume a stream. */
  async peekText(): Promise<string | undefined> {
    return this.#text === undefined ? undefined : this.#text;
  }
}
