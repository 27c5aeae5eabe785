import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';

/** The small TypeScript project typed rule tests lint inside (with helper files the cases import). */
export const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixture');

/**
 * A project where Express 4 is installed (linked from the express-legacy fixture at load time, since
 * `node_modules` is never committed): what tells the rules that handlers' promises are ignored.
 */
export const express4FixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixture-express4');

/** Rule tests with type information from typescript-eslint's project service. */
export function typedRuleTester(dir = fixtureDir): RuleTester {
  if (dir === express4FixtureDir) linkExpress4();
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: dir,
      },
    },
  });
}

function linkExpress4(): void {
  const target = join(express4FixtureDir, 'node_modules', 'express');
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(express4FixtureDir, '..', '..', '..', 'fixtures', 'express-legacy', 'node_modules', 'express'), target, 'dir');
}

/** Rule tests without a program: the rule's syntactic fallback. */
export function untypedRuleTester(): RuleTester {
  return new RuleTester();
}
