import type { Server } from 'node:http';
import { Duplex } from 'node:stream';

import { probeFor, serve } from '../probes/runtime.js';
import { BodyBuffer } from './body-buffer.js';
import type { Cancellation, WireRequest } from './dispatch.js';
import { TestKitError } from './errors.js';
import { requestContext, type ClientRequestInfo } from './request-context.js';

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

function serializeHead(request: WireRequest): string {
  let head = `${request.method} ${request.url.pathname}${request.url.search} HTTP/1.1\r\nhost: ${request.url.host}\r\n`;
  for (const [name, value] of request.headers) {
    if (name !== 'host' && name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection') head += `${name}: ${value}\r\n`;
  }
  if (request.body !== undefined) head += `content-length: ${String(request.body.length)}\r\n`;
  else if (request.method !== 'GET' && request.method !== 'HEAD') head += 'content-length: 0\r\n';
  return `${head}\r\n`;
}

/** A response read off the in-memory connection. */
export interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: BodyBuffer;
}

/** Parses an HTTP/1.1 response as bytes arrive; the body streams out as it is read. */
class ResponseParser {
  #buffer: Buffer = Buffer.alloc(0);
  #head: RawResponse | undefined;
  #mode: 'length' | 'chunked' | 'close' | 'none' = 'close';
  #remaining = 0;
  #chunkState: 'size' | 'data' | 'data-end' | 'trailers' = 'size';
  #done = false;
  readonly body = new BodyBuffer();
  onHead: ((head: RawResponse) => void) | undefined;
  /** Called once: `reusable` is true when the response ended on its own framing (the connection can carry another). */
  onEnd: ((reusable: boolean) => void) | undefined;
  #closeHeader = false;

  constructor(private readonly method: string) {}

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
      const headers: [string, string][] = [];
      let length: string | undefined;
      let chunked = false;
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers.push([name, value]);
        if (name === 'content-length') length = value;
        if (name === 'transfer-encoding' && value.toLowerCase().includes('chunked')) chunked = true;
        if (name === 'connection' && value.toLowerCase() === 'close') this.#closeHeader = true;
      }
      const status = Number(match[1]);
      if (status >= 100 && status < 200 && status !== 101) {
        // Interim responses (100 Continue, 103 Early Hints) precede the real one.
        this.push(Buffer.alloc(0));
        return;
      }
      this.#head = { status, statusText: match[2] ?? '', headers, body: this.body };
      if (this.method === 'HEAD' || status === 204 || status === 304) this.#mode = 'none';
      else if (chunked) this.#mode = 'chunked';
      else if (length !== undefined) {
        this.#mode = 'length';
        this.#remaining = Number(length);
      }
      this.onHead?.(this.#head);
      if (this.#mode === 'none' || (this.#mode === 'length' && this.#remaining === 0)) this.#finish();
    }
    this.#drain();
  }

  /** The connection closed. */
  end(): void {
    if (this.#head !== undefined && this.#mode === 'close' && this.#buffer.length > 0) this.#emit(this.#buffer);
    this.#buffer = Buffer.alloc(0);
    this.#finish(false);
  }

  get headReceived(): boolean {
    return this.#head !== undefined;
  }

  fail(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.body.fail(error);
    this.onEnd?.(false);
  }

  #emit(bytes: Buffer): void {
    if (!this.#done) this.body.push(bytes);
  }

  #finish(framed = true): void {
    if (this.#done) return;
    this.#done = true;
    this.body.end();
    this.onEnd?.(framed && this.#mode !== 'close' && !this.#closeHeader);
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

/** One in-memory connection to a server, reused for sequential requests (HTTP keep-alive). */
interface Connection {
  readonly client: Duplex;
  readonly serverEnd: Duplex;
  parser: ResponseParser | undefined;
  closed: boolean;
}

// Node's HTTP parser runs its callbacks in the async context of the connection, not of the request
// written into it; the context of the client request being served is put back when the request event fires.
const contextBySocket = new WeakMap<object, ClientRequestInfo | undefined>();
const patchedServers = new WeakSet<Server>();

function restoreRequestContext(server: Server): void {
  if (patchedServers.has(server)) return;
  patchedServers.add(server);
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'request') {
      const socket = (args[0] as { socket?: object } | undefined)?.socket;
      const context = socket === undefined ? undefined : contextBySocket.get(socket);
      // The app's side of the request runs in its probe's context: what it starts there is its work.
      if (context !== undefined) return requestContext.run(context, () => serve(probeFor(context), () => emit(event, ...args)));
    }
    return emit(event, ...args);
  }) as Server['emit'];
}

// Idle connections per server: setting up a connection costs more than a small request, and
// keep-alive is what a real client does too.
const idle = new WeakMap<Server, Connection[]>();

function connect(server: Server): Connection {
  const { server: serverEnd, client } = connectedPair();
  const connection: Connection = { client, serverEnd, parser: undefined, closed: false };
  client.on('data', (chunk: Buffer) => {
    try {
      connection.parser?.push(chunk);
    } catch (error) {
      connection.parser?.fail(error instanceof Error ? error : new Error(String(error)));
      client.destroy();
    }
  });
  const close = (): void => {
    connection.closed = true;
    const pool = idle.get(server);
    const index = pool?.indexOf(connection) ?? -1;
    if (index !== -1) pool?.splice(index, 1);
    connection.parser?.end();
  };
  client.on('end', close);
  client.on('close', close);
  client.on('error', () => {
    // Only our own destroy() on cancellation gets here; the caller was told already.
  });
  server.emit('connection', serverEnd);
  return connection;
}

/**
 * Sends a request through a Node HTTP server without opening a port: the server gets an in-memory
 * connection, so the app receives real `IncomingMessage`/`ServerResponse` objects from Node's own
 * HTTP parser, exactly as under a listening server (headers, streaming, `close` events). Resolves
 * with the response head; the body keeps arriving in `body`.
 *
 * @example
 * const response = await sendOverConnection(http.createServer(app), request, cancellation);
 */
export function sendOverConnection(server: Server, request: WireRequest, cancellation: Cancellation): Promise<RawResponse> {
  const pool = idle.get(server) ?? [];
  idle.set(server, pool);
  let connection = pool.pop();
  while (connection?.closed === true) connection = pool.pop();
  connection ??= connect(server);
  const active = connection;
  const parser = new ResponseParser(request.method);
  active.parser = parser;
  restoreRequestContext(server);
  contextBySocket.set(active.serverEnd, requestContext.getStore());
  return new Promise<RawResponse>((resolve, reject) => {
    let answered = false;
    cancellation.onCancel((reason) => {
      if (!answered) reject(reason);
      answered = true;
      parser.fail(reason);
      active.client.destroy();
    });
    parser.onHead = (head) => {
      answered = true;
      resolve(head);
    };
    parser.onEnd = (reusable) => {
      if (!answered) {
        reject(new TestKitError(`${request.method} ${request.url.pathname}`, 'the app closed the connection without answering', 'Check that the handler sends a response or forwards errors'));
        return;
      }
      if (reusable && !active.closed && active.parser === parser) {
        active.parser = undefined;
        pool.push(active);
      }
    };
    active.client.write(serializeHead(request));
    if (request.body !== undefined && request.body.length > 0) active.client.write(request.body);
  });
}
