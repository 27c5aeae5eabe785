/**
 * The functions test runners call a test or a hook with (Jest, Vitest, Mocha, node:test, Bun,
 * Playwright and others): `it('…', async () => …)`, `beforeEach(…)`. Their bodies run in order on
 * purpose, and the runner bounds how long they may take.
 */
export const testFunctionNames: ReadonlySet<string> = new Set(['it', 'test', 'describe', 'suite', 'bench', 'beforeAll', 'beforeEach', 'afterAll', 'afterEach', 'before', 'after']);

/**
 * The modules test functions are imported from. The same names imported from anywhere else are not
 * tests: Next.js's `after` from `next/server` runs work once a response is sent.
 */
export const testRunnerModules: ReadonlySet<string> = new Set(['vitest', '@jest/globals', 'mocha', 'node:test', 'bun:test', 'ava', 'uvu', 'tap', '@playwright/test', '@japa/runner']);
