/**
 * An error the CLI reports as a message and exit code 2, not as a crash.
 *
 * @example
 * throw new LoopguardCliError('scan', `'${dir}' does not exist`, 'Pass the directory of a Node.js project');
 */
export class LoopguardCliError extends Error {
  override name = 'LoopguardCliError';

  constructor(action: string, reason: string, remedy: string) {
    super(`[loopguard] Failed to ${action}: ${reason}. ${remedy}.`);
  }
}
