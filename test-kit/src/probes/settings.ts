import { TestKitError } from '../core/errors.js';

/**
 * Which runtime probes watch a request, and how. Every probe is on unless turned off: for all
 * requests with `configureProbes()`, per client with `createClient(app, { probes })`, per request
 * with `.probes()`. `false` turns every probe off; an object turns single probes off or tunes them.
 */
export interface ProbeOptions {
  /**
   * The longest stretch the event loop was blocked while the request was in flight. A stretch spent
   * in a blocking API always comes with the call site; `stacks: true` also takes the stack of plain
   * JavaScript that blocks (a CPU-heavy loop), from a watchdog thread through the inspector, at the
   * price of running with the debugger enabled (requests take about a fifth longer).
   */
  readonly blockedLoop?: boolean | { readonly thresholdMs?: number; readonly stacks?: boolean };
  /** Calls to the blocking-API catalog (`readFileSync`, `execSync`, `pbkdf2Sync`, …) made while serving. */
  readonly syncIO?: boolean | { readonly throw?: boolean };
  /**
   * Timers and outbound calls started while serving and still pending after the response, with
   * where they were started. `promises: true` also tracks every promise the app's own code starts
   * (an async function call, `new Promise`), which reaches work no timer or mocked call shows (a
   * database driver's socket), at about 10 µs per promise for its creation stack.
   */
  readonly leftBehindWork?: boolean | { readonly promises?: boolean };
  /** The request's outbound upstream calls on a timeline, for `toCallUpstreamsConcurrently()`. */
  readonly upstreamTimeline?: boolean;
}

/** Probe settings with every default filled in; `undefined` means the probe is off. */
export interface ProbeSettings {
  readonly blockedLoop: { readonly thresholdMs: number; readonly stacks: boolean } | undefined;
  readonly syncIO: { readonly throw: boolean } | undefined;
  readonly leftBehindWork: { readonly promises: boolean } | undefined;
  readonly upstreamTimeline: boolean;
}

/** The blocked-loop threshold when none is configured: longer than a garbage-collection pause, shorter than any real stall worth a test. */
export const defaultThresholdMs = 50;

const allOn: ProbeSettings = {
  blockedLoop: { thresholdMs: defaultThresholdMs, stacks: false },
  syncIO: { throw: false },
  leftBehindWork: { promises: false },
  upstreamTimeline: true,
};

const allOff: ProbeSettings = { blockedLoop: undefined, syncIO: undefined, leftBehindWork: undefined, upstreamTimeline: false };

// `LOOPGUARD_PROBES=off` turns every probe off for a run (to compare, or to rule the probes out).
let globalSettings: ProbeSettings = process.env.LOOPGUARD_PROBES === 'off' ? allOff : allOn;

function checkThreshold(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TestKitError(`configure the probes (${where})`, `blockedLoop.thresholdMs is ${typeof value === 'number' ? String(value) : JSON.stringify(value)}, not a number of milliseconds ≥ 0`, 'Pass e.g. { blockedLoop: { thresholdMs: 50 } }');
  }
  return value;
}

/**
 * Applies options over settings: `false` turns every probe off, `true` every probe on with the
 * settings' tuning, an object changes the probes it names.
 */
export function applyProbeOptions(base: ProbeSettings, options: ProbeOptions | boolean | undefined, where: string): ProbeSettings {
  if (options === undefined) return base;
  if (options === false) return allOff;
  if (options === true) return { ...allOn, blockedLoop: base.blockedLoop ?? allOn.blockedLoop, syncIO: base.syncIO ?? allOn.syncIO, leftBehindWork: base.leftBehindWork ?? allOn.leftBehindWork };
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new TestKitError(`configure the probes (${where})`, `the options are ${typeof options}`, 'Pass false (all off), true (all on) or an object such as { syncIO: false }');
  }
  const blockedLoop = (() => {
    const value = options.blockedLoop;
    if (value === undefined) return base.blockedLoop;
    if (value === false) return undefined;
    const current = base.blockedLoop ?? allOn.blockedLoop;
    if (value === true || current === undefined) return current;
    return { thresholdMs: checkThreshold(value.thresholdMs, where) ?? current.thresholdMs, stacks: value.stacks ?? current.stacks };
  })();
  const syncIO = (() => {
    const value = options.syncIO;
    if (value === undefined) return base.syncIO;
    if (value === false) return undefined;
    if (value === true) return base.syncIO ?? { throw: false };
    return { throw: value.throw ?? base.syncIO?.throw ?? false };
  })();
  const leftBehindWork = (() => {
    const value = options.leftBehindWork;
    if (value === undefined) return base.leftBehindWork;
    if (value === false) return undefined;
    if (value === true) return base.leftBehindWork ?? allOn.leftBehindWork;
    return { promises: value.promises ?? base.leftBehindWork?.promises ?? false };
  })();
  return {
    blockedLoop,
    syncIO,
    leftBehindWork,
    upstreamTimeline: options.upstreamTimeline ?? base.upstreamTimeline,
  };
}

/**
 * Sets the probes for every request of every client in this process (call it in a Vitest setup file
 * or a `beforeAll`); clients and requests can still override it. `false` turns them all off.
 *
 * @example
 * configureProbes({ blockedLoop: { thresholdMs: 20 }, syncIO: { throw: true } });
 */
export function configureProbes(options: ProbeOptions | boolean): void {
  globalSettings = applyProbeOptions(allOn, options, 'configureProbes');
}

/** Puts every probe back on with the default settings. */
export function resetProbes(): void {
  globalSettings = allOn;
}

/** The process-wide settings (`configureProbes`). */
export function globalProbeSettings(): ProbeSettings {
  return globalSettings;
}
