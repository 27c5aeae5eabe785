import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';

/** The small TypeScript project typed rule tests lint inside (with helper files the cases import). */
export const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixture');

/** Rule tests with type information from typescript-eslint's project service. */
export function typedRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: fixtureDir,
      },
    },
  });
}

/** Rule tests without a program: the rule's syntactic fallback. */
export function untypedRuleTester(): RuleTester {
  return new RuleTester();
}
