import type { TSESLint } from '@typescript-eslint/utils';

import { rules } from './rules/index.js';

const packageJson = { name: '@loopguard/eslint-plugin', version: '0.1.0' };

type RuleEntries = Record<string, TSESLint.SharedConfig.RuleEntry>;

function ruleEntries(filter: (docs: { recommended?: boolean; strict?: boolean }) => boolean): RuleEntries {
  const entries: RuleEntries = {};
  for (const [name, rule] of Object.entries(rules)) {
    if (filter(rule.meta.docs ?? {})) entries[`loopguard/${name}`] = 'error';
  }
  return entries;
}

const plugin = {
  meta: { name: packageJson.name, version: packageJson.version, namespace: 'loopguard' },
  rules,
  configs: {} as Record<'recommended' | 'strict', TSESLint.FlatConfig.Config>,
};

/**
 * loopguard's ESLint plugin: `rules`, and flat configs `recommended` and `strict`. The rules use type
 * information when typescript-eslint's parser provides a program (`parserOptions.projectService`)
 * and fall back to following imports syntactically when it does not.
 *
 * @example
 * // eslint.config.js
 * import loopguard from '@loopguard/eslint-plugin';
 * import tseslint from 'typescript-eslint';
 * export default [
 *   ...tseslint.configs.recommended,
 *   { languageOptions: { parserOptions: { projectService: true } } },
 *   loopguard.configs.recommended,
 * ];
 */
const loopguard = plugin as typeof plugin & { configs: Record<'recommended' | 'strict', TSESLint.FlatConfig.Config> };

// loopguard's rules report everything these typescript-eslint rules report in their family, so the
// configs turn them off: combined with `tseslint.configs.recommendedTypeChecked` (placed before),
// nothing is reported twice. ESLint accepts `off` for rules of plugins it has not loaded.
const supersededRules: RuleEntries = {
  // loopguard/no-floating-promises reports all of it, and more.
  '@typescript-eslint/no-floating-promises': 'off',
  // checksConditionals → loopguard/no-missing-await; checksVoidReturn → loopguard/no-dropped-rejections,
  // without its reports on frameworks that do handle async handlers.
  '@typescript-eslint/no-misused-promises': 'off',
  // Its error-handling check is loopguard/no-missing-await's `return promise` inside `try`.
  '@typescript-eslint/return-await': 'off',
};

loopguard.configs.recommended = {
  name: 'loopguard/recommended',
  plugins: { loopguard: plugin },
  rules: { ...supersededRules, ...ruleEntries((docs) => docs.recommended === true) },
};

loopguard.configs.strict = {
  name: 'loopguard/strict',
  plugins: { loopguard: plugin },
  rules: { ...supersededRules, ...ruleEntries((docs) => docs.recommended === true || docs.strict === true) },
};

export default loopguard;

// Named too, so `import * as loopguard` and `require()` of this ES module (Node >= 20.19) see a plugin.
export const { meta, configs } = loopguard;
export { rules };
export type { Options as NoBlockingCallsOptions } from './rules/no-blocking-calls.js';
