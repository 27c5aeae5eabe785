import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import loopguard from '../src/index.js';
import { rules } from '../src/rules/index.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

describe.each(Object.entries(rules))('rule %s', (name, rule) => {
  const source = readFileSync(join(packageDir, 'src', 'rules', `${name}.ts`), 'utf8');

  it('is created under its file name', () => {
    expect(rule.name).toBe(name);
    expect(rule.meta.docs?.url).toBe(`https://github.com/loopguard/loopguard/blob/main/eslint-plugin/docs/rules/${name}.md`);
  });

  it('has documentation with examples, options and when not to use it', () => {
    const docs = readFileSync(join(packageDir, 'docs', 'rules', `${name}.md`), 'utf8');
    const schema: unknown = rule.meta.schema;
    const hasOptions = Array.isArray(schema) ? schema.length > 0 : schema !== undefined;
    // eslint-doc-generator rejects an Options section for a rule without options.
    for (const section of ['## Rule details', ...(hasOptions ? ['## Options'] : []), '## When not to use it']) expect(docs).toContain(section);
    expect(docs).toContain('Examples of **incorrect** code');
    expect(docs).toContain('Examples of **correct** code');
  });

  it('has a row in the generated README table', () => {
    expect(readme).toContain(`[${name}](https://github.com/loopguard/loopguard/blob/main/eslint-plugin/docs/rules/${name}.md)`);
  });

  it('has tests', () => {
    expect(existsSync(join(packageDir, 'tests', 'rules', `${name}.test.ts`))).toBe(true);
  });

  it('declares requiresTypeChecking exactly when it cannot run without a program', () => {
    // A rule that reads types through `getParserServices(context)` has nothing to report without a program.
    const demandsProgram = source.includes('getParserServices(context)') || source.includes('typedProgram(context)');
    expect(rule.meta.docs?.requiresTypeChecking === true).toBe(demandsProgram);
  });

  it('describes every option in the schema', () => {
    const schema: unknown = rule.meta.schema;
    const first: unknown = Array.isArray(schema) ? (schema as unknown[])[0] : schema;
    const properties = (first as { properties?: Record<string, { description?: string }> } | undefined)?.properties ?? {};
    for (const [option, definition] of Object.entries(properties)) expect(definition.description, option).toBeTruthy();
  });

  it('words messages as sentences', () => {
    for (const [id, message] of Object.entries(rule.meta.messages)) {
      expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
      // Ends a sentence, or with a placeholder that holds whole sentences ({{advice}}).
      expect(message.trim()).toMatch(/([.`]|\}\})$/);
    }
  });
});

describe('configs', () => {
  it('recommended and strict enable the recommended rules under the loopguard namespace', () => {
    for (const config of [loopguard.configs.recommended, loopguard.configs.strict]) {
      expect(config.plugins?.loopguard).toBe(loopguard);
      for (const [name, rule] of Object.entries(rules)) {
        if (rule.meta.docs?.recommended === true) expect(config.rules?.[`loopguard/${name}`]).toBe('error');
      }
    }
    expect(Object.keys(loopguard.configs.strict.rules ?? {}).length).toBeGreaterThanOrEqual(Object.keys(loopguard.configs.recommended.rules ?? {}).length);
  });

  it('carries the package name and version for ESLint caches', () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(loopguard.meta).toMatchObject({ name: pkg.name, version: pkg.version });
  });
});
