import type { UpstreamCall } from '../upstream/upstream.js';

/** Two calls that ran one after another although the later one used nothing from the earlier one. */
export interface SequentialPair {
  readonly earlier: UpstreamCall;
  readonly later: UpstreamCall;
}

/**
 * The values of an answer a later call could have been built from: strings (ids, tokens, cursors,
 * URLs) and numbers, from anywhere in a JSON answer. Short or common values (`true`, `1`, `"ok"`)
 * would link calls by chance, so only strings of 3+ characters and numbers of 2+ digits count.
 */
function valuesOf(body: unknown, into: Set<string>, depth = 0): Set<string> {
  if (depth > 8 || body === null || body === undefined) return into;
  if (typeof body === 'string') {
    if (body.length >= 3) into.add(body);
  } else if (typeof body === 'number') {
    if (Math.abs(body) >= 10) into.add(String(body));
  } else if (Array.isArray(body)) {
    for (const item of body.slice(0, 200)) valuesOf(item, into, depth + 1);
  } else if (typeof body === 'object') {
    for (const value of Object.values(body as Record<string, unknown>).slice(0, 200)) valuesOf(value, into, depth + 1);
  }
  return into;
}

/** Everything a call sent: its URL (decoded), header values and body. */
function sentText(call: UpstreamCall): string {
  const parts = [decodeURIComponentSafe(call.url.href)];
  call.headers.forEach((value) => parts.push(value));
  if (call.body !== undefined) parts.push(typeof call.body === 'string' ? call.body : JSON.stringify(call.body));
  return parts.join('\n');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Did `later` use something `earlier` answered? A value of the earlier answer appears in what the
 * later call sent (a token in a header, an id in the path, a cursor in the query), and it was not
 * already in the client's own request path (which both calls could have taken it from).
 */
export function dependsOn(later: UpstreamCall, earlier: UpstreamCall, clientPath = ''): boolean {
  const sent = sentText(later);
  const own = decodeURIComponentSafe(clientPath);
  for (const value of valuesOf(earlier.responseBody, new Set())) {
    if (own.includes(value)) continue;
    if (sent.includes(value)) return true;
  }
  return false;
}

/**
 * The pairs of a request's outbound calls that ran one after another (the later one started after
 * the earlier one ended) without the later one depending on the earlier one, directly or through a
 * call in between: calls that could have run together.
 */
export function sequentialIndependentCalls(calls: readonly UpstreamCall[], clientPath = ''): SequentialPair[] {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const pairs: SequentialPair[] = [];
  // Which earlier calls each call depends on, transitively.
  const dependencies = new Map<UpstreamCall, Set<UpstreamCall>>();
  for (const [index, later] of sorted.entries()) {
    const direct = new Set<UpstreamCall>();
    for (const earlier of sorted.slice(0, index)) {
      if (earlier.endedAt !== undefined && earlier.endedAt <= later.startedAt && dependsOn(later, earlier, clientPath)) {
        direct.add(earlier);
        for (const indirect of dependencies.get(earlier) ?? []) direct.add(indirect);
      }
    }
    dependencies.set(later, direct);
  }
  for (const [index, later] of sorted.entries()) {
    // Only the call right before in the sequence: a chain of n independent calls is n-1 pairs.
    const previous = sorted
      .slice(0, index)
      .filter((earlier) => earlier.endedAt !== undefined && earlier.endedAt <= later.startedAt)
      .at(-1);
    if (previous !== undefined && !(dependencies.get(later)?.has(previous) ?? false)) pairs.push({ earlier: previous, later });
  }
  return pairs;
}

/**
 * The calls drawn on one time axis, one line each, for failure messages:
 * `GET /profiles/1  200  |████······|  0–100 ms`.
 */
export function renderTimeline(calls: readonly UpstreamCall[], width = 40): string {
  if (calls.length === 0) return '    (no upstream calls)';
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const origin = sorted[0]?.startedAt ?? 0;
  const end = Math.max(...sorted.map((call) => call.endedAt ?? call.startedAt));
  const span = Math.max(end - origin, 1);
  const labels = sorted.map((call) => `${call.method} ${call.url.origin}${call.url.pathname}`);
  const labelWidth = Math.min(Math.max(...labels.map((label) => label.length)), 70);
  return sorted
    .map((call, index) => {
      const from = Math.round(((call.startedAt - origin) / span) * width);
      const to = Math.max(from + 1, Math.round((((call.endedAt ?? end) - origin) / span) * width));
      const bar = `${'·'.repeat(from)}${'█'.repeat(to - from)}${'·'.repeat(Math.max(0, width - to))}`;
      const status = call.endedAt === undefined ? 'pending' : call.status === undefined ? 'error' : String(call.status);
      const label = (labels[index] ?? '').slice(0, labelWidth).padEnd(labelWidth);
      return `    ${label}  ${status.padStart(7)}  |${bar}|  ${(call.startedAt - origin).toFixed(0)}–${((call.endedAt ?? end) - origin).toFixed(0)} ms`;
    })
    .join('\n');
}
