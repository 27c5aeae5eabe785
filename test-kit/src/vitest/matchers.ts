import type { MatcherState } from 'vitest';

import type { TestResponse } from '../core/test-response.js';
import type { BlockedStretch, PendingWork, ProbeReport, SyncIOCall } from '../probes/report.js';
import { formatFrames } from '../probes/stack.js';
import { renderTimeline, sequentialIndependentCalls } from '../probes/upstream-timeline.js';
import { Upstream, type UpstreamCall } from '../upstream/upstream.js';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

type MatcherContext = MatcherState;

function isTestResponse(value: unknown): value is TestResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'request' in value && 'headers' in value && typeof (value as TestResponse).text === 'function';
}

function describeCall(call: UpstreamCall): string {
  const timing = call.endedAt === undefined ? 'unanswered' : `${(call.endedAt - call.startedAt).toFixed(0)} ms`;
  return `${call.method} ${call.url.href} → ${call.status === undefined ? 'network error' : String(call.status)} (${timing})`;
}

/** The request, the response head and body, and the outbound calls it made, for failure messages. */
async function describeResponse(response: TestResponse, upstreams: readonly Upstream[]): Promise<string> {
  const headers: string[] = [];
  response.headers.forEach((value, name) => headers.push(`    ${name}: ${value}`));
  const body = await response.peekText();
  const outbound = upstreams.flatMap((candidate) => candidate.callsOf(response));
  return [
    `  request:  ${response.request.method} ${response.request.path}`,
    `  response: ${String(response.status)} ${response.statusText} in ${response.durationMs.toFixed(1)} ms`,
    ...headers,
    body === undefined ? '  body: (not read)' : `  body: ${body.length > 500 ? `${body.slice(0, 500)}…` : body}`,
    outbound.length === 0 ? '  outbound calls: none' : `  outbound calls:\n${outbound.map((call) => `    ${describeCall(call)}`).join('\n')}`,
  ].join('\n');
}

function notResponse(name: string, received: unknown): MatcherResult {
  return { pass: false, message: () => `${name} expects a test-kit response (await client.get(…)), received ${typeof received}` };
}

/**
 * The test kit's matchers. `knownUpstreams` lists the upstreams whose calls failure messages show.
 */
export function createMatchers(knownUpstreams: () => readonly Upstream[]) {
  return {
    async toHaveStatus(this: MatcherContext, received: unknown, expected: number): Promise<MatcherResult> {
      if (!isTestResponse(received)) return notResponse('toHaveStatus', received);
      const pass = received.status === expected;
      const details = await describeResponse(received, knownUpstreams());
      return { pass, message: () => `expected status ${this.isNot ? 'not ' : ''}${String(expected)}, got ${String(received.status)}\n${details}` };
    },

    async toHaveHeader(this: MatcherContext, received: unknown, name: string, expected?: string | RegExp): Promise<MatcherResult> {
      if (!isTestResponse(received)) return notResponse('toHaveHeader', received);
      const actual = received.headers.get(name);
      const pass = actual !== null && (expected === undefined || (typeof expected === 'string' ? actual === expected : expected.test(actual)));
      const details = await describeResponse(received, knownUpstreams());
      const wanted = expected === undefined ? 'present' : typeof expected === 'string' ? `"${expected}"` : String(expected);
      return { pass, message: () => `expected header ${name} ${this.isNot ? 'not ' : ''}to be ${wanted}, got ${actual === null ? 'none' : `"${actual}"`}\n${details}` };
    },

    async toHaveJsonBody(this: MatcherContext, received: unknown, expected: unknown): Promise<MatcherResult> {
      if (!isTestResponse(received)) return notResponse('toHaveJsonBody', received);
      const text = await received.text();
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        const details = await describeResponse(received, knownUpstreams());
        return { pass: false, message: () => `expected a JSON body, got text that does not parse\n${details}` };
      }
      // Partial match: objects may carry more keys than the expectation names.
      const pass = matchesSubset(body, expected, (a, b) => this.equals(a, b));
      const details = await describeResponse(received, knownUpstreams());
      return {
        pass,
        message: () => `expected JSON body ${this.isNot ? 'not ' : ''}to match ${this.utils.printExpected(expected)}\nreceived ${this.utils.printReceived(body)}\n${details}`,
      };
    },

    async toBlockEventLoop(this: MatcherContext, received: unknown, options: { thresholdMs?: number } = {}): Promise<MatcherResult> {
      const probed = await probeReportOf('toBlockEventLoop', received, 'blockedLoop');
      if ('failure' in probed) return probed.failure;
      const { response, report } = probed;
      const blocked = report.blockedLoop;
      if (blocked === undefined) return probeOff('toBlockEventLoop', 'blockedLoop');
      const threshold = options.thresholdMs ?? blocked.thresholdMs;
      const pass = blocked.longestMs >= threshold;
      const over = blocked.stretches.filter((stretch) => stretch.durationMs >= threshold);
      return {
        pass,
        message: () =>
          `expected ${describeRequest(response)} ${this.isNot ? 'not ' : ''}to block the event loop for ${String(threshold)} ms or more; the longest stretch was ${blocked.longestMs.toFixed(1)} ms` +
          (over.length === 0 ? (blocked.longest === undefined ? '' : `\n${describeStretch(blocked.longest)}`) : `\n${over.map(describeStretch).join('\n')}`),
      };
    },

    async toUseSyncIO(this: MatcherContext, received: unknown, api?: string | RegExp): Promise<MatcherResult> {
      const probed = await probeReportOf('toUseSyncIO', received, 'syncIO');
      if ('failure' in probed) return probed.failure;
      const { response, report } = probed;
      if (report.syncIO === undefined) return probeOff('toUseSyncIO', 'syncIO');
      const calls = report.syncIO.filter((call) => api === undefined || (typeof api === 'string' ? call.api === api || call.api.endsWith(`.${api}`) : api.test(call.api)));
      const wanted = api === undefined ? 'a blocking API' : String(api);
      return {
        pass: calls.length > 0,
        message: () =>
          `expected ${describeRequest(response)} ${this.isNot ? 'not ' : ''}to call ${wanted} while serving it; it made ${String(report.syncIO?.length ?? 0)} blocking call(s)` +
          (report.syncIO?.length === 0 ? '' : `\n${(report.syncIO ?? []).map(describeSyncCall).join('\n')}`),
      };
    },

    async toLeaveWorkBehind(this: MatcherContext, received: unknown): Promise<MatcherResult> {
      const probed = await probeReportOf('toLeaveWorkBehind', received, 'leftBehindWork');
      if ('failure' in probed) return probed.failure;
      const { response, report } = probed;
      if (report.leftBehind === undefined) return probeOff('toLeaveWorkBehind', 'leftBehindWork');
      const left = report.leftBehind;
      const handed = report.handedOff ?? [];
      return {
        pass: left.length > 0,
        message: () =>
          `expected ${describeRequest(response)} ${this.isNot ? 'not ' : ''}to leave work running after its response; ${String(left.length)} piece(s) of work were still pending when it finished` +
          (left.length === 0 ? '' : `\n${left.map(describeWork).join('\n')}`) +
          (handed.length === 0 ? '' : `\n  handed to a lifecycle API (kept alive on purpose, not counted):\n${handed.map(describeWork).join('\n')}`),
      };
    },

    async toCallUpstreamsConcurrently(this: MatcherContext, received: unknown): Promise<MatcherResult> {
      const probed = await probeReportOf('toCallUpstreamsConcurrently', received, 'upstreamTimeline');
      if ('failure' in probed) return probed.failure;
      const { response, report } = probed;
      if (!report.settings.upstreamTimeline) return probeOff('toCallUpstreamsConcurrently', 'upstreamTimeline');
      const calls = knownUpstreams().flatMap((candidate) => candidate.callsOf(response));
      const pairs = sequentialIndependentCalls(calls, response.request.path);
      const describePair = (pair: { earlier: UpstreamCall; later: UpstreamCall }): string =>
        `    ${pair.later.method} ${pair.later.url.href} waited for ${pair.earlier.method} ${pair.earlier.url.href} but sent nothing it answered`;
      return {
        pass: pairs.length === 0,
        message: () =>
          `expected ${describeRequest(response)} ${this.isNot ? 'not ' : ''}to call independent upstreams concurrently; ${String(calls.length)} call(s), ${String(pairs.length)} of them waited for an earlier call they did not need\n  timeline:\n${renderTimeline(calls)}` +
          (pairs.length === 0 ? '' : `\n  one after another:\n${pairs.map(describePair).join('\n')}`),
      };
    },

    toHaveBeenCalledConcurrently(this: MatcherContext, received: unknown): MatcherResult {
      return overlapMatcher(received, 'concurrently', this.isNot);
    },

    toHaveBeenCalledSequentially(this: MatcherContext, received: unknown): MatcherResult {
      return overlapMatcher(received, 'sequentially', this.isNot);
    },
  };
}

function describeRequest(response: TestResponse): string {
  return `${response.request.method} ${response.request.path} (#${String(response.request.id)})`;
}

async function probeReportOf(name: string, received: unknown, probe: string): Promise<{ response: TestResponse; report: ProbeReport } | { failure: MatcherResult }> {
  if (!isTestResponse(received)) return { failure: notResponse(name, received) };
  const report = await received.probeReport();
  if (report === undefined) return { failure: probeOff(name, probe) };
  return { response: received, report };
}

function probeOff(name: string, probe: string): MatcherResult {
  return {
    pass: false,
    message: () => `${name} needs the ${probe} probe, which was off for this request. Turn it on for the request (.probes({ ${probe}: true })), the client (createClient(app, { probes })) or configureProbes().`,
  };
}

function stackLines(stack: readonly { name: string; file: string; line: number; column: number }[] | undefined, indent = '      '): string {
  return stack === undefined || stack.length === 0 ? `${indent}(no frames of the app's own code)` : formatFrames(stack.slice(0, 8), indent);
}

function describeStretch(stretch: BlockedStretch): string {
  return `  blocked ${stretch.durationMs.toFixed(1)} ms, ${stretch.atMs.toFixed(1)} ms after the request was sent${stretch.api === undefined ? '' : ` by ${stretch.api}`}\n${stackLines(stretch.stack)}`;
}

function describeSyncCall(call: SyncIOCall): string {
  return `  ${call.api} (${call.kind}, ${call.durationMs.toFixed(1)} ms)${call.advice === undefined ? '' : ` — ${call.advice}`}\n${stackLines(call.stack)}`;
}

function describeWork(work: PendingWork): string {
  const state = work.settledAfterMs === undefined ? 'still pending' : `settled ${work.settledAfterMs.toFixed(1)} ms after the response`;
  return `  ${work.kind}: ${work.description}${work.handedTo === undefined ? '' : ` (handed to ${work.handedTo})`}, started ${work.createdAtMs.toFixed(1)} ms after the request, ${state}\n${stackLines(work.stack)}`;
}

function isAsymmetricMatcher(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}

function matchesSubset(actual: unknown, expected: unknown, equals: (a: unknown, b: unknown) => boolean): boolean {
  // `expect.any(Object)`, `expect.objectContaining(…)`: the matcher decides, not its own keys.
  if (typeof expected !== 'object' || expected === null || isAsymmetricMatcher(expected)) return equals(actual, expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => matchesSubset(actual[index], item, equals));
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return equals(actual, expected);
  return Object.entries(expected).every(([key, value]) => key in actual && matchesSubset((actual as Record<string, unknown>)[key], value, equals));
}

function callsOf(received: unknown): readonly UpstreamCall[] | undefined {
  if (received instanceof Upstream) return received.calls;
  if (Array.isArray(received) && received.every((item) => typeof item === 'object' && item !== null && 'startedAt' in item)) return received as UpstreamCall[];
  return undefined;
}

/** Did any two calls overlap in time (concurrent), or did each start after the previous ended (sequential)? */
function overlapMatcher(received: unknown, mode: 'concurrently' | 'sequentially', isNot: boolean): MatcherResult {
  const calls = callsOf(received);
  if (calls === undefined) return { pass: false, message: () => `toHaveBeenCalled${mode === 'concurrently' ? 'Concurrently' : 'Sequentially'} expects an upstream or its calls` };
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  let overlapping = false;
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1];
    const current = sorted[index];
    if (previous !== undefined && current !== undefined && (previous.endedAt === undefined || current.startedAt < previous.endedAt)) overlapping = true;
  }
  const pass = sorted.length >= 2 && (mode === 'concurrently' ? overlapping : !overlapping);
  const timeline = sorted
    .map((call) => `    ${describeCall(call)} from +${(call.startedAt - (sorted[0]?.startedAt ?? 0)).toFixed(0)} ms`)
    .join('\n');
  return {
    pass,
    message: () => `expected the calls ${isNot ? 'not ' : ''}to run ${mode}${sorted.length < 2 ? ` (needs at least 2 calls, got ${String(sorted.length)})` : ''}\n  calls:\n${timeline}`,
  };
}
