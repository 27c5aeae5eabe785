import { url as inspectorUrl } from 'node:inspector';
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort } from 'node:worker_threads';

import { isAppFrame, parseStack, type StackFrame } from './stack.js';

/** Takes the stack of the code that keeps the event loop blocked, from another thread. */
export interface Watchdog {
  /** The loop sampler ran at `at` (performance.now()): the loop is not blocked. */
  beat(at: number): void;
  /** Requests are in flight: pause the main thread once it has been stuck this long. */
  watch(thresholdMs: number): void;
  /** No request in flight: stop watching. */
  idle(): void;
  /** The stack taken during the stretch that started at `lastBeat`, if one was. */
  takeStack(lastBeat: number): StackFrame[] | undefined;
}

// The worker: it reads the main thread's last beat from shared memory, and when the beat is older than
// the threshold it asks the main thread's inspector to pause, reads the paused call frames and resumes
// at once. The pause lands at the next JavaScript instruction of the blocking code (a busy loop at
// once, a blocking native call when it returns to JavaScript), so the frames show what was blocking.
const workerSource = `
const { workerData } = require('node:worker_threads');
const inspector = require('node:inspector');
const { shared, port } = workerData;
const beat = new Float64Array(shared, 0, 2);
const flags = new Int32Array(shared, 16, 2);
const session = new inspector.Session();
session.connectToMainThread();
let pausedFor = -1;
// Paused frames carry script ids, not paths: the stack is read by evaluating \`new Error().stack\` in
// the top frame, which also goes through the main thread's source maps.
const expression = '(() => { const limit = Error.stackTraceLimit; Error.stackTraceLimit = 40; const stack = new Error().stack; Error.stackTraceLimit = limit; return stack; })()';
session.on('Debugger.paused', (message) => {
  const top = message.params.callFrames[0];
  const done = (stack) => {
    port.postMessage({ beat: pausedFor, stack });
    session.post('Debugger.resume');
  };
  if (top === undefined) return done('');
  session.post('Debugger.evaluateOnCallFrame', { callFrameId: top.callFrameId, expression, returnByValue: true, silent: true }, (error, result) => {
    done(error || typeof result?.result?.value !== 'string' ? '' : result.result.value);
  });
});
let enabled = false;
session.post('Debugger.enable', () => {
  enabled = true;
});
// The polling timer is also what keeps this thread alive: a pending inspector reply does not.
const poll = () => {
  // The main thread is exiting: a connected session would make it wait for this thread.
  if (Atomics.load(flags, 1) === 1) {
    session.disconnect();
    Atomics.store(flags, 1, 2);
    Atomics.notify(flags, 1);
    return;
  }
  if (enabled && Atomics.load(flags, 0) === 1) {
    const last = beat[0];
    const threshold = beat[1];
    if (last !== pausedFor && performance.timeOrigin + performance.now() - last > threshold) {
      pausedFor = last;
      session.post('Debugger.pause');
    }
  }
  setTimeout(poll, 2);
};
poll();
`;

/**
 * Starts the watchdog thread, or returns undefined where it cannot work: off the main thread (the
 * inspector can only pause the main thread from a worker), without the inspector, or while a debugger
 * is attached (a pause would show up in it).
 */
export function startWatchdog(): Watchdog | undefined {
  if (!isMainThread || inspectorUrl() !== undefined || process.execArgv.some((arg) => arg.startsWith('--inspect'))) return undefined;
  let worker: Worker;
  const shared = new SharedArrayBuffer(24);
  const beat = new Float64Array(shared, 0, 2);
  const flags = new Int32Array(shared, 16, 2);
  const { port1, port2 } = new MessageChannel();
  try {
    worker = new Worker(workerSource, { eval: true, workerData: { shared, port: port2 }, transferList: [port2] });
  } catch {
    return undefined;
  }
  worker.unref();
  port1.unref();
  // Node waits at exit for inspector sessions to disconnect (and says so): have the watchdog let go first.
  process.once('exit', () => {
    Atomics.store(flags, 1, 1);
    Atomics.wait(flags, 1, 1, 200);
  });
  worker.on('error', () => {
    Atomics.store(flags, 0, 0);
  });
  const stacks = new Map<number, StackFrame[]>();
  // Beats are wall-clock based in the worker (its performance.now() has another origin).
  const toWall = (at: number): number => performance.timeOrigin + at;
  const drain = (): void => {
    for (let message = receiveMessageOnPort(port1); message !== undefined; message = receiveMessageOnPort(port1)) {
      const { beat: pausedAt, stack } = message.message as { beat: number; stack: string };
      stacks.set(pausedAt, parseStack(stack).filter(isAppFrame));
      const oldest = stacks.keys().next();
      if (stacks.size > 100 && oldest.done !== true) stacks.delete(oldest.value);
    }
  };
  return {
    beat(at) {
      beat[0] = toWall(at);
    },
    watch(thresholdMs) {
      // Half the threshold: a stretch that reaches it has been paused well inside it.
      beat[1] = Math.max(5, thresholdMs / 2);
      Atomics.store(flags, 0, 1);
    },
    idle() {
      Atomics.store(flags, 0, 0);
    },
    takeStack(lastBeat) {
      drain();
      const key = toWall(lastBeat);
      const frames = stacks.get(key);
      if (frames !== undefined) stacks.delete(key);
      return frames;
    },
  };
}
