import loopguard from '@loopguard/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  { ...loopguard.configs.recommended, files: ['**/*.ts'] },
];
