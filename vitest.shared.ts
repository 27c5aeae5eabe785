import { defineConfig } from 'vitest/config';

/** The settings every package's Vitest project starts from; each package merges its own on top. */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
  },
});
