/**
 * The error the test kit throws for misuse and for requests that fail, so tests can tell it from
 * an assertion failure.
 *
 * @example
 * await expect(client.get('/hang').timeout(50)).rejects.toThrow(TestKitError);
 */
export class TestKitError extends Error {
  override name = 'TestKitError';

  constructor(action: string, reason: string, remedy: string) {
    super(`[loopguard test-kit] Failed to ${action}: ${reason}. ${remedy}.`);
  }
}
