import type { Server } from 'node:http';
import { Duplex } from 'node:stream';

import { TestKitError } from './errors.js';

/**
 * Two connected in-memory streams: what one writes, the other reads. The server end also has the
 * `net.Socket` members Node's HTTP server calls, so the server sees an ordinary connection.
 */
function connectedPair(): { server: Duplex; client: Duplex } {
  // Each end pushes into the other, so each needs the other's reference once both exist.
  const ends: { server?: Duplex; client?: Duplex } = {};
  const make = (peer: () => Duplex | undefined): Duplex =>
    new Duplex({
      read() {
        // Data is pushed by the peer's writes.
      },
      write(chunk: Buffer, _encoding, callback) {
        peer()?.push(chunk);
        callback();
      },
      final(callback) {
        peer()?.push(null);
        callback();
      },
      destroy(error, callback) {
        const other = peer();
        if (other !== undefined && !other.destroyed) other.destroy();
        callback(error);
      },
    });
  const server = make(() => ends.client);
  const client = make(() => ends.server);
  ends.server = server;
  ends.client = client;
  Object.assign(server, {
    remoteAddress: '127.0.0.1',
    remotePort: 41234,
    remoteFamily: 'IPv4',
    localAddress: '127.0.0.1',
    localPort: 80,
    encrypted: false,
    setTimeout() {
      return server;
    },
    setNoDelay() {
      return server;
    },
    setKeepAlive() {
      return server;
    },
    ref() {
      return server;
    },
    unref() {
      return server;
    },
    address() {
      return { address: '127.0.0.1', family: 'IPv4', port: 80 };
    },
  });
  return { server, client };
}

function serializeHead(request: Request, bodyLength: number | undefined): string {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  request.headers.forEach((value, name) => {
    if (name !== 'host' && name !== 'content-length' && name !== 'transfer-encoding') lines.push(`${name}: ${value}`);
  });
  if (bodyLength !== undefined) lines.push(`content-length: ${String(bodyLength)}`);
  // One request per connection: the server closes it after answering, so nothing lingers.
  lines.push('connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Parses an HTTP/1.1 response as bytes arrive; the body streams out as it is read. */
class ResponseParser {
  #buffer: Buffer = Buffer.alloc(0);
  #head: { status: number; statusText: string; headers: Headers } | undefined;
  #mode: 'length' | 'chunked' | 'close' | 'none' = 'close';
  #remaining = 0;
  #chunkState: 'size' | 'data' | 'data-end' | 'trailers' = 'size';
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #done = false;
  readonly body: ReadableStream<Uint8Array>;
  onHead: ((head: { status: number; statusText: string; headers: Headers }) => void) | undefined;

  constructor(private readonly method: string) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
    });
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#head === undefined) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = this.#buffer.subarray(0, end).toString('latin1');
      this.#buffer = this.#buffer.subarray(end + 4);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
      if (match === null) throw new TestKitError('read the response', `the app wrote ${JSON.stringify(statusLine)} instead of a status line`, 'Check that the app speaks HTTP/1.1');
      const headers = new Headers();
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const status = Number(match[1]);
      if (status >= 100 && status < 200 && status !== 101) {
        // Interim responses (100 Continue, 103 Early Hints) precede the real one.
        this.push(Buffer.alloc(0));
        return;
      }
      this.#head = { status, statusText: match[2] ?? '', headers };
      const length = headers.get('content-length');
      if (this.method === 'HEAD' || status === 204 || status === 304) this.#mode = 'none';
      else if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked') === true) this.#mode = 'chunked';
      else if (length !== null) {
        this.#mode = 'length';
        this.#remaining = Number(length);
      }
      this.onHead?.(this.#head);
      if (this.#mode === 'none' || (this.#mode === 'length' && this.#remaining === 0)) this.#finish();
    }
    this.#drain();
  }

  end(): void {
    if (this.#head !== undefined && this.#mode === 'close' && this.#buffer.length > 0) this.#emit(this.#buffer);
    this.#buffer = Buffer.alloc(0);
    this.#finish();
  }

  get headReceived(): boolean {
    return this.#head !== undefined;
  }

  fail(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#controller?.error(error);
  }

  #emit(bytes: Buffer): void {
    if (bytes.length > 0 && !this.#done) this.#controller?.enqueue(new Uint8Array(bytes));
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#controller?.close();
  }

  #drain(): void {
    if (this.#done) return;
    if (this.#mode === 'close') {
      this.#emit(this.#buffer);
      this.#buffer = Buffer.alloc(0);
      return;
    }
    if (this.#mode === 'length') {
      const take = this.#buffer.subarray(0, this.#remaining);
      this.#remaining -= take.length;
      this.#buffer = this.#buffer.subarray(take.length);
      this.#emit(take);
      if (this.#remaining === 0) this.#finish();
      return;
    }
    for (;;) {
      if (this.#chunkState === 'size') {
        const lineEnd = this.#buffer.indexOf('\r\n');
        if (lineEnd === -1) return;
        const size = parseInt(this.#buffer.subarray(0, lineEnd).toString('latin1').split(';')[0] ?? '0', 16);
        this.#buffer = this.#buffer.subarray(lineEnd + 2);
        if (size === 0) {
          this.#chunkState = 'trailers';
          this.#finish();
          return;
        }
        this.#remaining = size;
        this.#chunkState = 'data';
      }
      if (this.#chunkState === 'data') {
        if (this.#buffer.length === 0) return;
        const take = this.#buffer.subarray(0, this.#remaining);
        this.#remaining -= take.length;
        this.#buffer = this.#buffer.subarray(take.length);
        this.#emit(take);
        if (this.#remaining > 0) return;
        this.#chunkState = 'data-end';
      }
      if (this.#chunkState === 'data-end') {
        if (this.#buffer.length < 2) return;
        this.#buffer = this.#buffer.subarray(2);
        this.#chunkState = 'size';
      }
      if (this.#chunkState === 'trailers') return;
    }
  }
}

/**
 * Serves a Web `Request` through a Node HTTP server without opening a port: the server gets an
 * in-memory connection, so the app receives real `IncomingMessage`/`ServerResponse` objects from
 * Node's own HTTP parser, exactly as under a listening server (headers, streaming, `close` events).
 *
 * @example
 * const response = await dispatchToServer(http.createServer(app), new Request('http://app.test/users'), signal);
 */
export async function dispatchToServer(server: Server, request: Request, signal: AbortSignal): Promise<Response> {
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const { server: serverEnd, client } = connectedPair();
  const parser = new ResponseParser(request.method);
  return new Promise<Response>((resolve, reject) => {
    const abort = (): void => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('aborted');
      parser.fail(reason);
      client.destroy();
      reject(reason);
    };
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    parser.onHead = (head) => {
      signal.removeEventListener('abort', abort);
      // Abort after the head still ends a stream the test stops reading.
      signal.addEventListener('abort', () => {
        parser.fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        client.destroy();
      }, { once: true });
      resolve(new Response(head.status === 204 || head.status === 304 || request.method === 'HEAD' ? null : parser.body, head));
    };
    client.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        client.destroy();
      }
    });
    client.on('end', () => {
      parser.end();
      if (!parser.headReceived) {
        reject(new TestKitError(`${request.method} ${new URL(request.url).pathname}`, 'the app closed the connection without answering', 'Check that the handler sends a response or forwards errors'));
      }
    });
    client.on('error', () => {
      // Destroying our own end on abort; the rejection already happened.
    });
    server.emit('connection', serverEnd);
    client.write(serializeHead(request, body?.length ?? (request.method === 'GET' || request.method === 'HEAD' ? undefined : 0)));
    if (body !== undefined && body.length > 0) client.write(body);
  });
}
