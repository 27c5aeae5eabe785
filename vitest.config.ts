import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['core', 'eslint-plugin', 'test-kit', 'codemods', 'fixtures/*'],
  },
});
