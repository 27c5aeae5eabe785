import type { AsyncReplacement } from './types.js';

/**
 * Renders the replacement expression for one call, from the callee's local name and the original
 * argument texts. Lint suggestions and codemods both use it, so they always agree.
 *
 * @example
 * renderReplacementCall(execSyncEntry.replacement, 'execAsync', ['cmd']);
 * // "(await execAsync(cmd, { encoding: 'buffer' })).stdout"
 */
export function renderReplacementCall(
  replacement: AsyncReplacement,
  fn: string,
  args: readonly string[],
  /** The keys the options argument sets, when it is an object literal without spreads. */
  literalKeys?: readonly string[],
  /** Rendering into a TypeScript file, where `resultType` is cast. */
  typescript = false,
): string {
  const finalArgs = [...args];
  const defaults = replacement.optionDefaults;
  if (defaults !== undefined) {
    const entries = Object.entries(defaults.values).filter(([name]) => !(literalKeys ?? []).includes(name));
    const pairs = entries.map(([name, value]) => `${name}: ${JSON.stringify(value).replaceAll('"', "'")}`).join(', ');
    while (finalArgs.length < defaults.index) finalArgs.push('undefined');
    const existing = finalArgs[defaults.index];
    if (existing === undefined) finalArgs[defaults.index] = `{ ${pairs} }`;
    else if (entries.length === 0) finalArgs[defaults.index] = existing;
    // A literal gets the missing defaults written into it; anything else is spread after them, so an
    // explicit choice (say `encoding: 'utf8'`) still wins.
    else if (literalKeys !== undefined) finalArgs[defaults.index] = literalKeys.length === 0 ? `{ ${pairs} }` : `{ ${pairs}, ${existing.slice(1).trimStart()}`;
    else finalArgs[defaults.index] = `{ ${pairs}, ...${existing} }`;
  }
  const argList = finalArgs.join(', ');
  // One pass, so argument text that happens to contain `$fn` is never substituted again.
  const rendered = replacement.call.replace(/\$(fn|args)/g, (_match, name: string) => (name === 'fn' ? fn : argList));
  return typescript && replacement.resultType !== undefined ? `(${rendered} as ${replacement.resultType})` : rendered;
}
