import type { BlockingKind } from '@loopguard/core/catalog';

import type { ClientRequestInfo } from '../core/request-context.js';
import type { UpstreamCall } from '../upstream/upstream.js';
import type { BlockedStretch, PendingWork, PendingWorkKind, ProbeReport, SyncIOCall } from './report.js';
import type { ProbeSettings } from './settings.js';
import { appFrames, madeByApp, type StackFrame } from './stack.js';

/** Work being tracked: its stack is formatted only if it is reported. */
interface TrackedWork {
  readonly kind: PendingWorkKind;
  readonly description: string;
  readonly createdAt: number;
  readonly holder: { stack?: string };
  frames?: StackFrame[];
  settledAt: number | undefined;
  handedTo?: string;
}

/** Where the calls a client request made to mocked upstreams come from (set by the upstream module). */
let upstreamCallsOf: (request: ClientRequestInfo) => readonly UpstreamCall[] = () => [];

/** Lets the upstream module tell the probes which calls a request made. */
export function setUpstreamCallSource(source: (request: ClientRequestInfo) => readonly UpstreamCall[]): void {
  upstreamCallsOf = source;
}

/**
 * What the probes collect for one client request, from sending it until the work it left running is
 * judged (a moment after its response finished).
 */
export class RequestProbe {
  readonly settings: ProbeSettings;
  readonly request: ClientRequestInfo;
  readonly startedAt: number;
  finishedAt: number | undefined;
  longestBlock: BlockedStretch | undefined;
  readonly stretches: BlockedStretch[] = [];
  readonly syncCalls: SyncIOCall[] = [];
  readonly #work: TrackedWork[] = [];
  readonly #callBlocks: BlockedStretch[] = [];
  readonly #handOffs: Promise<unknown>[] = [];
  #snapshot: { leftBehind: TrackedWork[]; handedOff: TrackedWork[] } | undefined;
  #judged: Promise<void> | undefined;

  constructor(settings: ProbeSettings, request: ClientRequestInfo) {
    this.settings = settings;
    this.request = request;
    this.startedAt = performance.now();
  }

  /**
   * Records a blocked stretch: measured exactly around a blocking call (with `api`), or seen by the
   * loop sampler as a late tick. A sampler stretch mostly spent in one blocking call is that call's
   * stretch: it takes the call's name and call site, and the two count once.
   */
  recordBlock(startedAt: number, durationMs: number, details: { stack?: readonly StackFrame[]; api?: string; onCpu?: boolean } = {}): void {
    const blocked = this.settings.blockedLoop;
    if (blocked === undefined || durationMs <= 0) return;
    const { onCpu, ...shown } = details;
    let stretch: BlockedStretch = { atMs: Math.max(0, startedAt - this.startedAt), durationMs, ...shown };
    if (details.api === undefined) {
      const inside = this.#callBlocks.filter((call) => call.atMs >= stretch.atMs - 1 && call.atMs + call.durationMs <= stretch.atMs + durationMs + 1);
      const main = inside.reduce<BlockedStretch | undefined>((longest, call) => (longest === undefined || call.durationMs > longest.durationMs ? call : longest), undefined);
      if (main !== undefined && main.durationMs >= durationMs / 2) {
        stretch = { ...stretch, api: main.api ?? '', stack: main.stack ?? details.stack ?? [] };
        this.#forget(main);
      } else if (onCpu === false) {
        // Off the CPU and no blocking call to show for it: the process was waiting for a core.
        return;
      }
    } else {
      this.#callBlocks.push(stretch);
    }
    if (this.longestBlock === undefined || durationMs > this.longestBlock.durationMs) this.longestBlock = stretch;
    if (durationMs >= blocked.thresholdMs) this.stretches.push(stretch);
  }

  #forget(stretch: BlockedStretch): void {
    const index = this.stretches.indexOf(stretch);
    if (index !== -1) this.stretches.splice(index, 1);
    this.#callBlocks.splice(this.#callBlocks.indexOf(stretch), 1);
  }

  /** Gives the stack taken while the loop was blocked to the stretch that started at `startedAt`. */
  attachBlockStack(startedAt: number, stack: readonly StackFrame[]): void {
    const matches = (stretch: BlockedStretch): boolean => Math.abs(stretch.atMs - (startedAt - this.startedAt)) < 1 && stretch.stack === undefined;
    for (const [index, stretch] of this.stretches.entries()) if (matches(stretch)) this.stretches[index] = { ...stretch, stack };
    if (this.longestBlock !== undefined && matches(this.longestBlock)) this.longestBlock = { ...this.longestBlock, stack };
  }

  recordSyncCall(api: string, kind: BlockingKind, startedAt: number, durationMs: number, stack: readonly StackFrame[], advice: string | undefined): void {
    this.syncCalls.push({ api, kind, durationMs, atMs: startedAt - this.startedAt, stack, advice });
  }

  /** Starts tracking a piece of work; returns the handle to mark it settled. */
  trackWork(kind: PendingWorkKind, description: string, holder: { stack?: string }): TrackedWork {
    const work: TrackedWork = { kind, description, createdAt: performance.now(), holder, settledAt: undefined };
    this.#work.push(work);
    return work;
  }

  /** The app handed a promise to a lifecycle API (`waitUntil`): it is kept alive on purpose. */
  handOff(promise: unknown, to: string, holder: { stack?: string }): void {
    const work = this.trackWork('promise', `promise handed to ${to}`, holder);
    work.handedTo = to;
    const settle = (): void => {
      work.settledAt ??= performance.now();
    };
    const tracked = Promise.resolve(promise).then(settle, settle);
    this.#handOffs.push(tracked);
  }

  /** The response has ended: what is pending from now on was left behind. */
  finish(): void {
    this.finishedAt ??= performance.now();
  }

  /**
   * Waits until the work left running can be judged: two turns of the event loop after the response
   * (promises and callbacks that end the request itself settle in them), and until every promise
   * handed to a lifecycle API has settled, as the platform would wait for it.
   */
  judge(): Promise<void> {
    this.#judged ??= (async () => {
      await turn();
      await turn();
      const finishedAt = this.finishedAt ?? performance.now();
      const pendingAtFinish = this.#work.filter((work) => work.handedTo === undefined && (work.settledAt === undefined || work.settledAt > finishedAt) && this.#hasAppFrames(work));
      const upstream = this.settings.leftBehindWork === undefined ? [] : this.#pendingUpstreamCalls(finishedAt);
      await Promise.all(this.#handOffs);
      const handOffsSettled = this.#work.filter((work) => work.handedTo !== undefined).reduce((latest, work) => Math.max(latest, work.settledAt ?? 0), 0);
      // Work that settled before the handed-off promises did was part of them.
      const isHandedOffWork = (work: TrackedWork): boolean => this.#handOffs.length > 0 && work.settledAt !== undefined && work.settledAt <= handOffsSettled;
      const all = [...pendingAtFinish, ...upstream];
      this.#snapshot = {
        leftBehind: all.filter((work) => !isHandedOffWork(work)),
        handedOff: [...this.#work.filter((work) => work.handedTo !== undefined), ...all.filter(isHandedOffWork)],
      };
    })();
    return this.#judged;
  }

  // Promises count when the app's own code made them; a library's inner promises are its business,
  // and the work behind them shows as the timers, sockets and calls they wait for.
  #hasAppFrames(work: TrackedWork): boolean {
    if (work.kind === 'promise' && !madeByApp(work.holder)) return false;
    work.frames ??= appFrames(work.holder);
    return work.frames.length > 0;
  }

  #pendingUpstreamCalls(finishedAt: number): TrackedWork[] {
    return upstreamCallsOf(this.request)
      .filter((call) => call.startedAt >= this.startedAt && (call.endedAt === undefined || call.endedAt > finishedAt))
      .map((call) => {
        const work: TrackedWork = { kind: 'outbound-request', description: `${call.method} ${call.url.href}`, createdAt: call.startedAt, holder: {}, frames: [], settledAt: call.endedAt };
        // Calls still in flight settle later: read their end when the report is read.
        Object.defineProperty(work, 'settledAt', { get: () => call.endedAt, enumerable: true });
        return work;
      });
  }

  /** The report as it stands: left-behind work is filled in once `judge()` has run. */
  report(): ProbeReport {
    const { settings } = this;
    const finishedAt = this.finishedAt;
    const toPending = (work: TrackedWork): PendingWork => ({
      kind: work.kind,
      description: work.description,
      createdAtMs: work.createdAt - this.startedAt,
      stack: work.frames ?? appFrames(work.holder),
      settledAfterMs: work.settledAt === undefined || finishedAt === undefined ? undefined : Math.max(0, work.settledAt - finishedAt),
      ...(work.handedTo === undefined ? {} : { handedTo: work.handedTo }),
    });
    return {
      settings,
      finishedAtMs: finishedAt === undefined ? undefined : finishedAt - this.startedAt,
      blockedLoop:
        settings.blockedLoop === undefined
          ? undefined
          : { thresholdMs: settings.blockedLoop.thresholdMs, longestMs: this.longestBlock?.durationMs ?? 0, longest: this.longestBlock, stretches: [...this.stretches] },
      syncIO: settings.syncIO === undefined ? undefined : [...this.syncCalls],
      leftBehind: settings.leftBehindWork === undefined || this.#snapshot === undefined ? undefined : this.#snapshot.leftBehind.map(toPending),
      handedOff: settings.leftBehindWork === undefined || this.#snapshot === undefined ? undefined : this.#snapshot.handedOff.map(toPending),
    };
  }
}

function turn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}
