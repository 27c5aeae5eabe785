import { defineConfig } from 'vitest/config';

// A separate Vitest run that the wiring test starts, to observe how test-kit failures surface.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.case.ts'],
    setupFiles: ['../../src/vitest/index.ts'],
    reporters: ['json'],
  },
});
