/**
 * The error every `@loopguard/core` function throws for bad input, so callers can tell it from a bug.
 *
 * @example
 * try { createCatalog({ add: [entry] }) } catch (error) { if (error instanceof LoopguardCoreError) console.error(error.message) }
 */
export class LoopguardCoreError extends Error {
  override name = 'LoopguardCoreError';
}

/** Builds a `LoopguardCoreError` whose message follows the house form `Failed to <action>: <reason>. <remedy>.` */
export function coreError(action: string, reason: string, remedy: string): LoopguardCoreError {
  return new LoopguardCoreError(`[loopguard core] Failed to ${action}: ${reason}. ${remedy}.`);
}
