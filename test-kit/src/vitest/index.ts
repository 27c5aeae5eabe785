import { afterAll, aroundEach, beforeAll, chai, expect } from 'vitest';

import { installProbes } from '../probes/runtime.js';
import { Upstream, startUpstreams, stopUpstreams, upstreamsInUse, withUpstreamScope, type UpstreamCall } from '../upstream/upstream.js';
import { createMatchers } from './matchers.js';

/**
 * `@loopguard/test-kit/vitest`: add it to `test.setupFiles`. It starts one MSW server per worker,
 * resets upstreams after each test (and fails a test whose app called an upstream nothing mocks),
 * closes after all, and registers the test kit's matchers.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['@loopguard/test-kit/vitest'] } });
 */
// Before any test file imports the app: the blocking APIs it captures at import time are the watched ones.
installProbes();

expect.extend(createMatchers(upstreamsInUse));

// `toHaveBeenCalledTimes` keeps working on spies; on an upstream it counts the calls it received.
chai.util.overwriteMethod(chai.Assertion.prototype, 'toHaveBeenCalledTimes', (original: (...args: unknown[]) => unknown) =>
  function (this: Chai.AssertionStatic & { _obj: unknown }, ...args: unknown[]) {
    const received = chai.util.flag(this, 'object') as unknown;
    if (!(received instanceof Upstream)) return original.apply(this, args);
    const expected = args[0] as number;
    const calls: readonly UpstreamCall[] = received.calls;
    const negate = chai.util.flag(this, 'negate') === true;
    const pass = calls.length === expected;
    if (pass === negate) {
      const list = calls.map((call) => `    ${call.method} ${call.url.href}${call.clientRequest === undefined ? '' : ` (from ${call.clientRequest.method} ${call.clientRequest.path})`}`).join('\n');
      throw new chai.AssertionError(`expected upstream ${received.baseUrl} ${negate ? 'not ' : ''}to have been called ${String(expected)} times, but it was called ${String(calls.length)} times\n  calls:\n${list || '    none'}`);
    }
    return undefined;
  },
);

beforeAll(() => {
  startUpstreams();
});

// Each test runs in its own upstream scope, so concurrent tests keep their routes and calls apart.
aroundEach(async (runTest) => {
  const unhandled = await withUpstreamScope(runTest);
  if (unhandled.length > 0) {
    const lines = unhandled.map(
      (request) =>
        `  ${request.method} ${request.url}${request.clientRequest === undefined ? '' : ` (while serving ${request.clientRequest.method} ${request.clientRequest.path})`}${request.late ? ' — made by work an earlier test left running after it ended' : ''}${request.usedUp === undefined ? '' : ` — the route ${request.usedUp}`}`,
    );
    throw new Error(
      `[loopguard test-kit] Failed to answer ${String(unhandled.length)} outbound request(s): no upstream route answers them.\n${lines.join('\n')}\nDeclare them with upstream(baseUrl).get(path, body) (or raise a route's \`times\`), or point the app at a mocked base URL.`,
    );
  }
});

afterAll(() => {
  stopUpstreams();
});

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match Vitest's own declaration.
  interface Matchers<T = any> {
    /** The response has this status; the message shows the request, response and outbound calls. */
    toHaveStatus(status: number): Promise<T>;
    /** The header is present (with this value, or matching this pattern). */
    toHaveHeader(name: string, value?: string | RegExp): Promise<T>;
    /** The JSON body matches, objects partially (extra keys allowed). */
    toHaveJsonBody(expected: unknown): Promise<T>;
    /** At least two of the upstream's calls overlapped in time. */
    toHaveBeenCalledConcurrently(): T;
    /** The upstream's calls ran one after another, none overlapping. */
    toHaveBeenCalledSequentially(): T;
    /** The request blocked the event loop for `thresholdMs` or more (default: the probe's threshold, 50 ms). Use with `.not`. */
    toBlockEventLoop(options?: { thresholdMs?: number }): Promise<T>;
    /** The request called a blocking API of the catalog (or this one: `'readFileSync'`, `/^zlib\./`) while being served. */
    toUseSyncIO(api?: string | RegExp): Promise<T>;
    /** Work started while serving the request was still pending when its response finished. */
    toLeaveWorkBehind(): Promise<T>;
    /** The request's upstream calls that did not depend on each other overlapped in time. */
    toCallUpstreamsConcurrently(): Promise<T>;
  }
}
