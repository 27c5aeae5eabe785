import type { BusyWaitPattern } from './types.js';

/** Busy-wait loops: the catalog cannot list them as APIs, so it describes their shape. */
export const busyWaitPatterns: readonly BusyWaitPattern[] = [
  {
    id: 'busy-wait:clock-loop',
    kind: 'sync-wait',
    loops: ['while', 'do-while', 'for'],
    clocks: ['Date.now', 'performance.now', 'process.hrtime', 'process.hrtime.bigint', 'new Date().getTime', 'new Date().valueOf'],
    reason: 'A loop that spins until a clock passes a deadline keeps the CPU busy and the event loop stopped for the whole wait.',
    advice: "Wait with `await setTimeout(ms)` from `node:timers/promises`.",
    example: 'const until = Date.now() + 50;\nwhile (Date.now() < until) {}',
  },
];
