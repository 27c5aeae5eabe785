import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promiseHooks } from 'node:v8';

import { apiDisplayName, defaultCatalog, type BlockingApi } from '@loopguard/core/catalog';

import { TestKitError } from '../core/errors.js';
import type { ClientRequestInfo } from '../core/request-context.js';
import { RequestProbe } from './request-probe.js';
import type { ProbeSettings } from './settings.js';
import { appFrames, captureStack, creatorFile, isModuleLoading, parseStack } from './stack.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

/** The request the app is serving right now: entered where the app receives the request, so the kit's own work stays outside. */
export const servingContext = new AsyncLocalStorage<RequestProbe>();

const active = new Set<RequestProbe>();
const probeByRequest = new WeakMap<ClientRequestInfo, RequestProbe>();

/** How deep stacks are taken: deep enough to get from a library's internals back to the app. */
const stackDepth = 40;
/** Promises are many: their creator and a few callers are enough. */
const promiseStackDepth = 10;

/** The error a blocking call throws when the sync-I/O probe is set to throw. */
export class SyncIOError extends Error {
  readonly api: string;
  constructor(api: string, request: ClientRequestInfo, advice: string | undefined) {
    super(`[loopguard test-kit] ${api} blocked the event loop while serving ${request.method} ${request.path}: the sync-I/O probe is set to throw. ${advice ?? 'Use the async form of the API.'}`);
    this.name = 'SyncIOError';
    this.api = api;
  }
}

/**
 * Starts the probes for a client request (installing them in the process on first use) and returns
 * the probe, or undefined when every probe is off.
 */
export function startProbe(settings: ProbeSettings, request: ClientRequestInfo): RequestProbe | undefined {
  if (settings.blockedLoop === undefined && settings.syncIO === undefined && settings.leftBehindWork === undefined && !settings.upstreamTimeline) return undefined;
  installProbes();
  const probe = new RequestProbe(settings, request);
  probeByRequest.set(request, probe);
  active.add(probe);
  if (settings.blockedLoop !== undefined) sampler.start(probe);
  return probe;
}

/** Ends a probe's watch of the loop: the response has finished. */
export function finishProbe(probe: RequestProbe): void {
  if (probe.finishedAt !== undefined) return;
  sampler.check();
  probe.finish();
  active.delete(probe);
  sampler.stopIfIdle();
}

/** The probe of the client request an app's request event belongs to. */
export function probeFor(request: ClientRequestInfo | undefined): RequestProbe | undefined {
  return request === undefined ? undefined : probeByRequest.get(request);
}

/** Runs the app's side of a request inside its probe's serving context. */
export function serve<T>(probe: RequestProbe | undefined, run: () => T): T {
  return probe === undefined ? run() : servingContext.run(probe, run);
}

/** Runs the kit's own machinery (a mocked call's interception) outside the request's serving context. */
export function outsideServing<T>(run: () => T): T {
  return servingContext.exit(run);
}

// --- Blocked loop ------------------------------------------------------------------------------

/**
 * A 1 ms timer while probed requests are in flight: when it runs late, the loop was blocked for the
 * delay. It runs only while a request is in flight, so fast requests never pay for a tick.
 */
const sampler = (() => {
  const intervalMs = 1;
  // Kept running this long after the last request: sequential requests reuse one timer.
  const lingerMs = 100;
  let timer: NodeJS.Timeout | undefined;
  let lastTick = 0;
  let lastCpuMs = 0;
  let idleSince: number | undefined;
  let watchdog: Watchdog | undefined;
  let watchdogTried = false;
  const check = (): void => {
    if (timer === undefined) return;
    const now = performance.now();
    const cpu = process.cpuUsage();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const blockedMs = now - lastTick - intervalMs;
    if (blockedMs > 0.5) {
      const stack = watchdog?.takeStack(lastTick);
      // A late tick with the process barely on a CPU meanwhile is the machine's doing (another
      // process had the cores), not the app's, unless a blocking call that waits (execSync,
      // Atomics.wait, a slow disk) accounts for it.
      const onCpu = cpuMs - lastCpuMs >= (now - lastTick) / 2;
      for (const probe of active) {
        const from = Math.max(lastTick, probe.startedAt);
        const duration = now - from - (from === lastTick ? intervalMs : 0);
        if (duration > 0.5) probe.recordBlock(from, duration, { ...(stack === undefined ? {} : { stack }), onCpu });
      }
    }
    lastTick = now;
    lastCpuMs = cpuMs;
    watchdog?.beat(lastTick);
    if (idleSince !== undefined && now - idleSince > lingerMs) {
      clearInterval(timer);
      timer = undefined;
      watchdog?.idle();
    }
  };
  return {
    start(probe: RequestProbe): void {
      idleSince = undefined;
      const blocked = probe.settings.blockedLoop;
      if (!watchdogTried && blocked?.stacks === true) {
        watchdogTried = true;
        watchdog = startWatchdog();
      }
      rearm();
      if (timer !== undefined) return;
      lastTick = performance.now();
      const cpu = process.cpuUsage();
      lastCpuMs = (cpu.user + cpu.system) / 1000;
      watchdog?.beat(lastTick);
      timer = setInterval(check, intervalMs);
      timer.unref();
    },
    check,
    stopIfIdle(): void {
      rearm();
      if (timer === undefined) return;
      for (const probe of active) if (probe.settings.blockedLoop !== undefined) return;
      idleSince = performance.now();
    },
  };

  /** The watchdog pauses the loop only while a request that asked for stacks is in flight. */
  function rearm(): void {
    if (watchdog === undefined) return;
    let threshold: number | undefined;
    for (const probe of active) {
      const blocked = probe.settings.blockedLoop;
      if (blocked?.stacks === true) threshold = Math.min(threshold ?? blocked.thresholdMs, blocked.thresholdMs);
    }
    if (threshold === undefined) watchdog.idle();
    else watchdog.watch(threshold);
  }
})();

// --- Sync I/O --------------------------------------------------------------------------------

let depth = 0;

function wrapBlocking(original: (...args: unknown[]) => unknown, api: BlockingApi): (...args: unknown[]) => unknown {
  const name = apiDisplayName(api);
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const probe = servingContext.getStore();
    // Calls the catalog API makes itself (readFileSync opens and stats) are part of the outer call.
    if (probe === undefined || depth > 0 || (probe.settings.syncIO === undefined && probe.settings.blockedLoop === undefined)) return original.apply(this, args);
    const holder = captureStack(stackDepth, wrapped);
    const frames = parseStack(holder.stack ?? '');
    // `require()` reads module files synchronously; loading code is not the app's I/O.
    if (isModuleLoading(frames)) return original.apply(this, args);
    const stack = appFrames(holder);
    if (probe.settings.syncIO?.throw === true) throw new SyncIOError(name, probe.request, api.advice ?? api.replacement?.caveat);
    const started = performance.now();
    depth += 1;
    try {
      return original.apply(this, args);
    } finally {
      depth -= 1;
      const duration = performance.now() - started;
      if (probe.settings.syncIO !== undefined) probe.recordSyncCall(name, api.kind, started, duration, stack, adviceFor(api));
      // The call is a blocked stretch of its own, measured exactly, with its call site.
      probe.recordBlock(started, duration, { stack, api: name });
    }
  };
  Object.defineProperty(wrapped, 'name', { value: original.name });
  Object.defineProperty(wrapped, 'length', { value: original.length });
  return wrapped;
}

function adviceFor(api: BlockingApi): string | undefined {
  if (api.advice !== undefined) return api.advice;
  const replacement = api.replacement;
  if (replacement === undefined) return undefined;
  return `Use ${replacement.export} from ${replacement.module}${replacement.promisify ? ' (promisified)' : ''}.`;
}

const require = createRequire(import.meta.url);

/** Wraps every builtin API of the blocking catalog (and `Atomics.wait`) once per process. */
function patchBlockingApis(): void {
  for (const api of defaultCatalog.apis) {
    if (api.invocation !== 'call' || api.exportPath.includes('#')) continue;
    let owner: Record<string, unknown>;
    if (api.source.kind === 'global') owner = globalThis;
    else if (api.source.module.builtin && api.source.module.name !== 'node:sqlite') owner = require(api.source.module.name) as Record<string, unknown>;
    else continue;
    const path = api.exportPath.split('.');
    const last = path.pop();
    for (const part of path) {
      const next = owner[part];
      if ((typeof next !== 'object' && typeof next !== 'function') || next === null) break;
      owner = next as Record<string, unknown>;
    }
    if (last === undefined) continue;
    const original = owner[last];
    if (typeof original !== 'function') continue;
    const descriptor = Object.getOwnPropertyDescriptor(owner, last);
    if (descriptor !== undefined && descriptor.writable !== true && descriptor.set === undefined && descriptor.configurable !== true) continue;
    const wrapped = wrapBlocking(original as (...args: unknown[]) => unknown, api);
    // Members hang off a function (`realpathSync.native`): keep them reachable through the wrapper.
    for (const key of Object.keys(original)) (wrapped as unknown as Record<string, unknown>)[key] = (original as unknown as Record<string, unknown>)[key];
    try {
      Object.defineProperty(owner, last, { ...(descriptor ?? { enumerable: true, configurable: true }), value: wrapped, writable: true });
    } catch {
      // A frozen export cannot be watched; the blocked-loop probe still sees its time.
    }
  }
  // `import { readFileSync } from 'node:fs'` reads the ESM copy of the exports: bring it up to date.
  syncBuiltinESMExports();
}

// --- Left-behind work ------------------------------------------------------------------------------

// Timers the mocked upstreams use to delay an answer belong to the outbound call they delay, which is reported as such.
const mockInternals = /[\\/]node_modules[\\/](?:msw|@mswjs)[\\/]/;

function describeResource(type: string, resource: object): string {
  if (type === 'Timeout') {
    const timeout = resource as { _idleTimeout?: number; _repeat?: number | null };
    return timeout._repeat !== null && timeout._repeat !== undefined ? `setInterval(…, ${String(timeout._repeat)})` : `setTimeout(…, ${String(timeout._idleTimeout ?? '?')})`;
  }
  if (type === 'Immediate') return 'setImmediate(…)';
  return type;
}

/**
 * Marks a timer settled when Node marks it destroyed (it fired, or was cleared): async_hooks' own
 * `destroy` hook would do it too, but enabling it makes Node track the destruction of every promise
 * in the process, which costs more than every probe together.
 */
function watchTimerEnd(resource: object, work: ReturnType<RequestProbe['trackWork']>): void {
  let destroyed = (resource as { _destroyed?: boolean })._destroyed === true;
  Object.defineProperty(resource, '_destroyed', {
    configurable: true,
    enumerable: true,
    get: () => destroyed,
    set: (value: boolean) => {
      destroyed = value;
      if (value) work.settledAt ??= performance.now();
    },
  });
}

function installResourceTracking(): void {
  const init = (_asyncId: number, type: string, _trigger: number, resource: object): void => {
      if (type !== 'Timeout' && type !== 'Immediate') return;
      const probe = servingContext.getStore();
      if (probe?.settings.leftBehindWork === undefined) return;
      // A first look at who set the timer, before paying for a whole stack: Node's own timers (the
      // HTTP date cache, socket timeouts) and the mocks' delays are not the app's work.
      const creator = creatorFile(init);
      if (creator === undefined || creator.startsWith('node:') || mockInternals.test(creator)) return;
      const holder = captureStack(stackDepth);
      const description = describeResource(type, resource);
      const work = probe.trackWork(type === 'Immediate' ? 'immediate' : description.startsWith('setInterval') ? 'interval' : 'timer', description, holder);
      watchTimerEnd(resource, work);
  };
  createHook({ init }).enable();

  // Promises through V8's own hook, far cheaper than async_hooks' per-promise resources. Only promises
  // that start a chain are kept (an async function call, `new Promise`, `fetch()`): the `.then()`s
  // and awaits derived from them settle with them.
  const promises = new WeakMap<Promise<unknown>, ReturnType<RequestProbe['trackWork']>>();
  const onInit = (promise: Promise<unknown>, parent: Promise<unknown>): void => {
    // Node's types say every promise has a parent; a promise that starts a chain has none.
    if ((parent as Promise<unknown> | undefined) !== undefined) return;
    const probe = servingContext.getStore();
    if (probe?.settings.leftBehindWork?.promises !== true) return;
    // A few frames, captured and not formatted: whether the app's own code made the promise is
    // read only for the few still pending after the response.
    promises.set(promise, probe.trackWork('promise', 'promise', captureStack(promiseStackDepth, onInit)));
  };
  promiseHooks.onInit(onInit);
  promiseHooks.onSettled((promise) => {
    const work = promises.get(promise);
    if (work !== undefined) work.settledAt ??= performance.now();
  });
}

// --- Lifecycle APIs ---------------------------------------------------------------------------------

/** The `waitUntil` a request context offers (`ctx.executionCtx.waitUntil` in Hono, `@vercel/functions`). */
export function waitUntilFor(probe: RequestProbe | undefined, to: string): (promise: unknown) => void {
  return function waitUntil(promise) {
    if (probe === undefined) {
      Promise.resolve(promise).catch(() => undefined);
      return;
    }
    probe.handOff(promise, to, captureStack(stackDepth, waitUntil));
  };
}

const vercelContext = Symbol.for('@vercel/request-context');

/**
 * `waitUntil` from `@vercel/functions` reads the platform's request context from a global: the kit
 * provides one that hands the promise to the probe of the request being served.
 */
function installVercelContext(): void {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  if (holder[vercelContext] !== undefined) return;
  holder[vercelContext] = {
    get: () => {
      const probe = servingContext.getStore();
      return probe === undefined ? undefined : { waitUntil: waitUntilFor(probe, 'waitUntil (@vercel/functions)'), headers: {} };
    },
  };
}

// --- Installation -----------------------------------------------------------------------------------

let installed = false;

/**
 * Installs the probes in this process: wraps the blocking APIs, starts tracking async resources.
 * The Vitest entry calls it before any test file imports the app, so `const { readFileSync } =
 * require('fs')` at the top of an app module gets the watched function; without the entry, call it
 * before importing the app.
 *
 * @example
 * installProbes();
 * const { createApp } = await import('../src/app.js');
 */
export function installProbes(): void {
  if (installed) return;
  installed = true;
  try {
    patchBlockingApis();
    installResourceTracking();
    installVercelContext();
  } catch (error) {
    throw new TestKitError('install the runtime probes', error instanceof Error ? error.message : String(error), 'Turn the probes off with configureProbes(false) and report the Node version');
  }
}
