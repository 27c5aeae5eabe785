import { apiDisplayName, type BlockingApi, type BusyWaitPattern } from '@loopguard/core';

/** What to do instead: the catalog's async replacement, or its advice when there is none. */
export function adviceFor(api: BlockingApi): string {
  if (api.replacement !== undefined) {
    const caveat = api.replacement.caveat === undefined ? '' : ` ${api.replacement.caveat}`;
    const name = api.replacement.promisify ? `promisify(${api.replacement.export})` : api.replacement.export;
    return `Use the async \`${name}\` from \`${api.replacement.module}\` and \`await\` it.${caveat}`;
  }
  return api.advice ?? 'Move the work off the main thread.';
}

/** Message data for a direct blocking call (`blockingCall`). */
export function directCallData(api: BlockingApi): Record<'api' | 'reason' | 'advice', string> {
  return { api: apiDisplayName(api), reason: api.reason, advice: adviceFor(api) };
}

/** Message data for a call that blocks through project functions (`blockingChain`). */
export function chainData(functions: readonly string[], target: BlockingApi | BusyWaitPattern): Record<'callee' | 'chain' | 'reason' | 'advice', string> {
  const isApi = 'exportPath' in target;
  return {
    callee: functions[0] ?? '',
    chain: [...functions, isApi ? apiDisplayName(target) : 'busy-wait loop'].join(' → '),
    reason: target.reason,
    advice: isApi ? adviceFor(target) : target.advice,
  };
}
