// As typed.config.js, with loopguard's strict config (which adds require-upstream-timeout).
import loopguard from '@loopguard/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', 'scripts/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
  },
  { ...loopguard.configs.strict, files: ['**/*.ts'] },
];
