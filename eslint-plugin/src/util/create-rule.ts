import { ESLintUtils } from '@typescript-eslint/utils';

/** Extra `meta.docs` fields loopguard's rules declare. */
export interface LoopguardRuleDocs {
  /** In `configs.recommended` (and therefore `configs.strict`). */
  readonly recommended?: boolean;
  /** Only in `configs.strict`. */
  readonly strict?: boolean;
  /** The rule needs type information; without it, it reports nothing. */
  readonly requiresTypeChecking?: boolean;
}

/** Where each rule's documentation lives. */
export const docsBaseUrl = 'https://github.com/loopguard/loopguard/blob/main/eslint-plugin/docs/rules/';

/**
 * Creates a loopguard rule with its documentation URL.
 *
 * @example
 * export default createRule({ name: 'no-blocking-calls', meta: { … }, defaultOptions: [{}], create(context) { … } });
 */
export const createRule = ESLintUtils.RuleCreator<LoopguardRuleDocs>((name) => `${docsBaseUrl}${name}.md`);
