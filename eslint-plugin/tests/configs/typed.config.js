// The configuration a user writes: typescript-eslint's parser with the project service, and
// loopguard's recommended config. Loaded from disk so ESLint can share it with worker threads.
import loopguard from '@loopguard/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', 'scripts/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
  },
  { ...loopguard.configs.recommended, files: ['**/*.ts'] },
];
