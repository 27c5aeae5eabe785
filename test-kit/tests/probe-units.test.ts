import { describe, expect, it } from 'vitest';

import { applyProbeOptions, globalProbeSettings } from '../src/probes/settings.js';
import { isAppFrame, parseStack } from '../src/probes/stack.js';
import { dependsOn, renderTimeline, sequentialIndependentCalls } from '../src/probes/upstream-timeline.js';
import type { UpstreamCall } from '../src/upstream/upstream.js';

let clock = 0;
/** A recorded upstream call, `ms` long, starting where the last one ended unless `at` says otherwise. */
function call(url: string, options: { at?: number; ms?: number; answer?: unknown; headers?: Record<string, string>; body?: unknown; method?: string } = {}): UpstreamCall {
  const startedAt = options.at ?? clock;
  const endedAt = startedAt + (options.ms ?? 10);
  clock = endedAt;
  const parsed = new URL(url);
  return {
    method: options.method ?? 'GET',
    url: parsed,
    path: parsed.pathname,
    headers: new Headers(options.headers ?? {}),
    body: options.body,
    startedAt,
    endedAt,
    status: 200,
    responseBody: options.answer,
    clientRequest: undefined,
    scope: undefined,
  };
}

describe('which upstream calls depend on each other', () => {
  it('finds independent calls made one after another', () => {
    clock = 0;
    const calls = [call('https://api.test/users/42/profile', { answer: { name: 'Ada' } }), call('https://api.test/users/42/posts', { answer: [] }), call('https://api.test/users/42/followers')];
    expect(sequentialIndependentCalls(calls, '/dashboard/42').map((pair) => [pair.earlier.path, pair.later.path])).toEqual([
      ['/users/42/profile', '/users/42/posts'],
      ['/users/42/posts', '/users/42/followers'],
    ]);
  });

  it('sees a token from one answer sent in the next call\'s header', () => {
    clock = 0;
    const session = call('https://auth.test/sessions', { method: 'POST', answer: { token: 'tok_5f1e' } });
    const posts = call('https://api.test/posts', { headers: { authorization: 'Bearer tok_5f1e' } });
    expect(dependsOn(posts, session)).toBe(true);
    expect(sequentialIndependentCalls([session, posts])).toEqual([]);
  });

  it('sees a pagination cursor, an id in the path and a value in a JSON body', () => {
    clock = 0;
    const page1 = call('https://api.test/items', { answer: { items: [{ id: 'it_1' }], next: 'cur_8831' } });
    const page2 = call('https://api.test/items?cursor=cur_8831', { answer: { items: [], next: null } });
    expect(dependsOn(page2, page1)).toBe(true);
    const order = call('https://api.test/orders', { answer: { order: { customerId: 9123 } } });
    const customer = call('https://api.test/customers/9123');
    expect(dependsOn(customer, order)).toBe(true);
    const charge = call('https://pay.test/charges', { method: 'POST', body: { customer: 9123 } });
    expect(dependsOn(charge, order)).toBe(true);
  });

  it('does not count a value both calls took from the client\'s own request', () => {
    clock = 0;
    const profile = call('https://api.test/users/u_777/profile', { answer: { id: 'u_777' } });
    const posts = call('https://api.test/users/u_777/posts');
    expect(dependsOn(posts, profile, '/users/u_777/dashboard')).toBe(false);
    expect(dependsOn(posts, profile)).toBe(true);
  });

  it('ignores short and common values that would link calls by chance', () => {
    clock = 0;
    const a = call('https://api.test/a', { answer: { ok: true, count: 1, status: 'ok' } });
    const b = call('https://api.test/b?count=1&ok=true');
    expect(dependsOn(b, a)).toBe(false);
  });

  it('does not pair calls that overlapped, and follows dependencies through a call in between', () => {
    clock = 0;
    const first = call('https://api.test/a', { at: 0, ms: 20 });
    const second = call('https://api.test/b', { at: 5, ms: 20 });
    expect(sequentialIndependentCalls([first, second])).toEqual([]);
    clock = 100;
    const login = call('https://api.test/login', { answer: { token: 'tok_chain' } });
    const me = call('https://api.test/me', { headers: { authorization: 'tok_chain' }, answer: { id: 'usr_55' } });
    const orders = call('https://api.test/users/usr_55/orders');
    expect(sequentialIndependentCalls([login, me, orders])).toEqual([]);
  });

  it('draws the calls on one axis', () => {
    clock = 0;
    const timeline = renderTimeline([call('https://api.test/a', { ms: 10 }), call('https://api.test/b', { ms: 10 })], 10);
    expect(timeline).toBe(['    GET https://api.test/a      200  |█████·····|  0–10 ms', '    GET https://api.test/b      200  |·····█████|  10–20 ms'].join('\n'));
    expect(renderTimeline([])).toBe('    (no upstream calls)');
  });
});

describe('probe settings', () => {
  const defaults = globalProbeSettings();

  it('are all on by default, with the opt-in stacks off', () => {
    expect(defaults).toEqual({ blockedLoop: { thresholdMs: 50, stacks: false }, syncIO: { throw: false }, leftBehindWork: { promises: false }, upstreamTimeline: true });
  });

  it('merge: false turns all off, true back on, an object changes what it names', () => {
    const off = applyProbeOptions(defaults, false, 'test');
    expect(off).toEqual({ blockedLoop: undefined, syncIO: undefined, leftBehindWork: undefined, upstreamTimeline: false });
    expect(applyProbeOptions(off, true, 'test')).toEqual(defaults);
    const tuned = applyProbeOptions(defaults, { blockedLoop: { thresholdMs: 10 }, syncIO: { throw: true }, leftBehindWork: { promises: true } }, 'test');
    expect(tuned).toEqual({ blockedLoop: { thresholdMs: 10, stacks: false }, syncIO: { throw: true }, leftBehindWork: { promises: true }, upstreamTimeline: true });
    expect(applyProbeOptions(tuned, { syncIO: true }, 'test').syncIO).toEqual({ throw: true });
    expect(applyProbeOptions(tuned, { upstreamTimeline: false }, 'test').blockedLoop).toEqual({ thresholdMs: 10, stacks: false });
  });

  it('reject what is not an option, saying what to pass', () => {
    expect(() => applyProbeOptions(defaults, 'on' as unknown as boolean, 'createClient options.probes')).toThrow(
      '[loopguard test-kit] Failed to configure the probes (createClient options.probes): the options are string. Pass false (all off), true (all on) or an object such as { syncIO: false }.',
    );
    expect(() => applyProbeOptions(defaults, { blockedLoop: { thresholdMs: Number.NaN } }, 'test')).toThrow(/thresholdMs is NaN/);
  });
});

describe('stacks', () => {
  it('keep the app\'s frames only', () => {
    const frames = parseStack(
      [
        'Error: ',
        '    at readFileSync (node:fs:441:20)',
        '    at JsonStore.read (/srv/app/src/lib/store.ts:12:18)',
        '    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
        '    at async loadUser (file:///srv/app/src/users.ts:3:9)',
        '    at new Promise (<anonymous>)',
        '    at eval (eval at run (/srv/app/src/x.ts:1:1), <anonymous>:1:5)',
      ].join('\n'),
    );
    expect(frames.map((frame) => frame.name)).toEqual(['readFileSync', 'JsonStore.read', 'Layer.handle', 'loadUser', 'eval']);
    expect(frames.filter(isAppFrame).map((frame) => `${frame.name} ${frame.file}:${String(frame.line)}`)).toEqual(['JsonStore.read /srv/app/src/lib/store.ts:12', 'loadUser /srv/app/src/users.ts:3']);
  });
});
