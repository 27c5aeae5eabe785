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

const withDocs = ESLintUtils.RuleCreator<LoopguardRuleDocs>((name) => `${docsBaseUrl}${name}.md`);

/**
 * Creates a loopguard rule with its documentation URL. The options, merged with the defaults, are
 * worked out once per distinct configuration rather than once per file: typescript-eslint's creator
 * deep-clones the defaults for every file linted, which cost more than some rules' whole analysis.
 * Rules never change the options object they are given.
 *
 * @example
 * export default createRule({ name: 'no-blocking-calls', meta: { … }, defaultOptions: [{}], create(context) { … } });
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, LoopguardRuleDocs>>,
): ESLintUtils.RuleModule<MessageIds, Options, LoopguardRuleDocs> {
  const created = withDocs(rule);
  const defaults = rule.meta.defaultOptions ?? ([] as unknown as Options);
  const merged = new Map<string, Options>();
  // ESLint hands each file a new options array holding the same option objects (its defaults
  // merge returns them as they are): compared element by element, the last answer usually holds.
  let last: { readonly given: readonly unknown[]; readonly options: Options } | undefined;
  return {
    ...created,
    create(context) {
      const given = context.options;
      if (last !== undefined && sameElements(last.given, given)) return rule.create(context, last.options);
      const key = JSON.stringify(given);
      let options = merged.get(key);
      if (options === undefined) {
        options = ESLintUtils.applyDefault<Options, Options>(defaults, given);
        merged.set(key, options);
      }
      last = { given, options };
      return rule.create(context, options);
    },
  };
}

function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}
