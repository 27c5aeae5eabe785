/** @type {import('eslint-doc-generator').GenerateOptions} */
const config = {
  // The generator would title rules `@loopguard/<name>` (npm's scope); users register the plugin as
  // `loopguard` in flat config, so titles carry the bare name.
  ruleDocTitleFormat: 'desc-parens-name',
  urlRuleDoc: 'https://github.com/loopguard/loopguard/blob/main/eslint-plugin/docs/rules/{name}.md',
};

export default config;
