/**
 * A response body arriving in chunks. It keeps every chunk, so `text()` can be called after the
 * body was streamed, and creates a Web stream only when a test asks for one.
 */
export class BodyBuffer {
  readonly #chunks: Buffer[] = [];
  readonly #waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly #streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  readonly #settledListeners: (() => void)[] = [];
  #state: 'open' | 'done' | 'failed' = 'open';
  #error: Error | undefined;

  push(chunk: Buffer): void {
    if (this.#state !== 'open' || chunk.length === 0) return;
    this.#chunks.push(chunk);
    for (const controller of this.#streams) controller.enqueue(new Uint8Array(chunk));
  }

  end(): void {
    if (this.#state !== 'open') return;
    this.#state = 'done';
    for (const controller of this.#streams) controller.close();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    for (const listener of this.#settledListeners.splice(0)) listener();
  }

  fail(error: Error): void {
    if (this.#state !== 'open') return;
    this.#state = 'failed';
    this.#error = error;
    for (const controller of this.#streams) controller.error(error);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    for (const listener of this.#settledListeners.splice(0)) listener();
  }

  /** Calls `listener` once, when the body has ended or failed (at once if it already has); no promise involved. */
  onSettled(listener: () => void): void {
    if (this.#state !== 'open') listener();
    else this.#settledListeners.push(listener);
  }

  /** Resolves once the whole body has arrived. */
  async complete(): Promise<Buffer> {
    if (this.#state === 'open') {
      await new Promise<void>((resolve, reject) => {
        this.#waiters.push({ resolve, reject });
      });
    }
    if (this.#state === 'failed') throw this.#error ?? new Error('body failed');
    const [only] = this.#chunks;
    return this.#chunks.length === 1 && only !== undefined ? only : Buffer.concat(this.#chunks);
  }

  /** A Web stream of the body: what has arrived so far, then the rest as it comes. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        for (const chunk of this.#chunks) controller.enqueue(new Uint8Array(chunk));
        if (this.#state === 'done') controller.close();
        else if (this.#state === 'failed') controller.error(this.#error);
        else this.#streams.push(controller);
      },
    });
  }
}
