import type { AsyncReplacement } from './types.js';

/**
 * Renders the replacement expression for one call, from the callee's local name and the original
 * argument texts. Lint suggestions and codemods both use it, so they always agree.
 *
 * @example
 * renderReplacementCall(execSyncEntry.replacement, 'execAsync', ['cmd']);
 * // "(await execAsync(cmd, { encoding: 'buffer' })).stdout"
 */
export function renderReplacementCall(replacement: AsyncReplacement, fn: string, args: readonly string[]): string {
  const finalArgs = [...args];
  const defaults = replacement.optionDefaults;
  if (defaults !== undefined) {
    const literal = `{ ${Object.entries(defaults.values)
      .map(([name, value]) => `${name}: ${JSON.stringify(value).replaceAll('"', "'")}`)
      .join(', ')} }`;
    while (finalArgs.length < defaults.index) finalArgs.push('undefined');
    const existing = finalArgs[defaults.index];
    // The caller's own options are spread last so an explicit choice (say `encoding: 'utf8'`) still wins.
    finalArgs[defaults.index] = existing === undefined ? literal : `{ ${literal.slice(2, -2)}, ...${existing} }`;
  }
  const argList = finalArgs.join(', ');
  // One pass, so argument text that happens to contain `$fn` is never substituted again.
  return replacement.call.replace(/\$(fn|args)/g, (_match, name: string) => (name === 'fn' ? fn : argList));
}
