import type { BlockingKind } from '@loopguard/core/catalog';

import type { ProbeSettings } from './settings.js';
import type { StackFrame } from './stack.js';

/** A stretch of time the event loop could not serve anything else. */
export interface BlockedStretch {
  /** Milliseconds after the request was sent. */
  readonly atMs: number;
  readonly durationMs: number;
  /** The code that was running (the app's frames), when it could be seen. */
  readonly stack?: readonly StackFrame[];
  /** The blocking API that took the time, when it was a catalog call (`fs.readFileSync`). */
  readonly api?: string;
}

/** What the blocked-loop probe saw. */
export interface BlockedLoopReport {
  readonly thresholdMs: number;
  /** The longest stretch the loop was blocked while the request was in flight (0 when never). */
  readonly longestMs: number;
  /** The longest stretch, with its stack where one could be taken. */
  readonly longest: BlockedStretch | undefined;
  /** Every stretch at or above the threshold, in order. */
  readonly stretches: readonly BlockedStretch[];
}

/** One call to a blocking API made while serving the request. */
export interface SyncIOCall {
  /** How the catalog names it: `fs.readFileSync`, `child_process.execSync`, `Atomics.wait`. */
  readonly api: string;
  readonly kind: BlockingKind;
  readonly durationMs: number;
  /** Milliseconds after the request was sent. */
  readonly atMs: number;
  /** The app's frames of the call site, innermost first (dependencies and Node's internals trimmed). */
  readonly stack: readonly StackFrame[];
  /** What to use instead. */
  readonly advice: string | undefined;
}

/**
 * What kind of work was left running: a promise the app's own code made (an async function call,
 * `new Promise`), a timer, an immediate, or an outbound call to a mocked upstream. Sockets, file and
 * DNS operations show through the promise or call that waits for them.
 */
export type PendingWorkKind = 'promise' | 'timer' | 'interval' | 'immediate' | 'outbound-request';

/** Work started while serving a request and still pending when its response finished. */
export interface PendingWork {
  readonly kind: PendingWorkKind;
  /** `setTimeout(…, 500)`, `GET https://api.example.test/notify`, the async resource type. */
  readonly description: string;
  /** Milliseconds after the request was sent. */
  readonly createdAtMs: number;
  /** The app's frames where it was started. */
  readonly stack: readonly StackFrame[];
  /** Milliseconds after the response finished that it settled; undefined while it is pending. */
  readonly settledAfterMs: number | undefined;
  /** The lifecycle API it was handed to (`waitUntil`), for work that is kept alive on purpose. */
  readonly handedTo?: string;
}

/** What the probes saw while a request was served; `response.probes` carries it. */
export interface ProbeReport {
  readonly settings: ProbeSettings;
  /** Milliseconds from sending the request to the end of its response; undefined until then. */
  readonly finishedAtMs: number | undefined;
  readonly blockedLoop: BlockedLoopReport | undefined;
  readonly syncIO: readonly SyncIOCall[] | undefined;
  /** Work still pending when the response finished (not handed to a lifecycle API). */
  readonly leftBehind: readonly PendingWork[] | undefined;
  /** Work handed to `waitUntil`-style lifecycle APIs, which keep it alive on purpose. */
  readonly handedOff: readonly PendingWork[] | undefined;
}
