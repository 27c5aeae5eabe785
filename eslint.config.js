// @ts-check
import eslint from '@eslint/js';
import loopguard from '@loopguard/eslint-plugin';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'bench/.generated/**',
      // The fixture apps contain the bugs loopguard finds, on purpose; `npm start` scans them instead.
      'fixtures/**',
      // Rule-test inputs: linted by the rule tests themselves, with their own tsconfig.
      'eslint-plugin/tests/fixture/**',
      'eslint-plugin/tests/fixture-express4/**',
      // The packed-package consumer holds a planted blocking call; test:packed lints it with the packed plugin.
      'scripts/packed-consumer/**',
      // Legacy code the packed codemod converts in test:packed.
      'scripts/packed-codemod-target/**',
      // Codemod fixtures keep their input's formatting and bugs on purpose; the tests type-check them.
      'codemods/tests/fixtures/**',
      'codemods/tests/.work/**',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  loopguard.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.ts', 'scripts/*.js', 'test-support/*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
