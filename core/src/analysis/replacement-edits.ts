import { isBuiltin } from 'node:module';

import ts from 'typescript';

import { defaultCatalog } from '../catalog/catalog.js';
import { renderReplacementCall } from '../catalog/render.js';
import type { AsyncReplacement } from '../catalog/types.js';

/** Replace `[start, end)` of the file's text with `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The edits that rewrite one blocking call to its async replacement, imports included. */
export interface ReplacementPlan {
  readonly edits: readonly TextEdit[];
  /** The new expression, as inserted (for messages). */
  readonly expression: string;
}

function specifierAliases(specifier: string): string[] {
  if (specifier.startsWith('node:')) return [specifier, specifier.slice('node:'.length)];
  return [specifier];
}

function importsOf(sourceFile: ts.SourceFile, specifier: string, includeTypeOnly = false): ts.ImportDeclaration[] {
  const names = specifierAliases(specifier);
  return sourceFile.statements.filter(
    (statement): statement is ts.ImportDeclaration =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      names.includes(statement.moduleSpecifier.text) &&
      (includeTypeOnly || !isTypeOnlyImport(statement.importClause)),
  );
}

// TypeScript 6 describes `import type` with `phaseModifier`; 5.x only has the (now deprecated) `isTypeOnly`.
function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return false;
  const phase = (clause as { readonly phaseModifier?: ts.SyntaxKind }).phaseModifier;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only flag TypeScript 5.x sets.
  return phase === ts.SyntaxKind.TypeKeyword || clause.isTypeOnly;
}

/**
 * Every name the file declares, in any scope: a new import must not take one, or a local variable
 * (`const stat = statSync(p)`) would shadow the import its rewrite calls.
 */
function declaredNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) || ts.isBindingElement(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) ||
        ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportSpecifier(node) ||
        ts.isEnumDeclaration(node) || ts.isImportEqualsDeclaration(node)) &&
      node.name !== undefined &&
      ts.isIdentifier(node.name)
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

function camelCase(packageName: string): string {
  const base = packageName.replace(/^@[^/]+\//, '').replace(/^node:/, '');
  return base.replace(/[-_./]+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()).replace(/^[^a-zA-Z_$]/, '_');
}

/**
 * Imports added while planning several rewrites of one file. Each binding is added once, and new
 * names from the same module share one import, so a codemod that rewrites ten calls adds one line.
 *
 * @example
 * const session = new ImportSession(sourceFile);
 * const edits = calls.flatMap((call) => planReplacement(sourceFile, call, replacement, { session }).edits);
 * edits.push(...session.edits());
 */
export class ImportSession {
  readonly #sourceFile: ts.SourceFile;
  readonly #taken: Set<string>;
  readonly #added = new Map<string, Map<string, { local: string; typeOnly: boolean }>>();
  readonly #removed = new Set<ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport>();
  readonly #reused = new Set<ts.Node>();

  constructor(sourceFile: ts.SourceFile) {
    this.#sourceFile = sourceFile;
    this.#taken = declaredNames(sourceFile);
  }

  /**
   * The local expression that reaches `name` exported by `specifier` (`default` for the default
   * export), reusing an import the file has or one added earlier in this session.
   */
  binding(specifier: string, name: string, options: { readonly typeOnly?: boolean } = {}): string {
    const added = this.#added.get(specifier)?.get(name);
    if (added !== undefined) {
      if (options.typeOnly !== true) added.typeOnly = false;
      return added.local;
    }
    const existing = existingBinding(this.#sourceFile, specifier, name, options.typeOnly === true);
    if (existing !== undefined) {
      this.#reused.add(existing.binding);
      return existing.local;
    }
    const local = freeName(name === 'default' ? camelCase(specifier) : name, this.#taken);
    this.#taken.add(local);
    let byName = this.#added.get(specifier);
    if (byName === undefined) {
      byName = new Map();
      this.#added.set(specifier, byName);
    }
    byName.set(name, { local, typeOnly: options.typeOnly === true });
    return local;
  }

  /** The edits that add every binding asked for: merged into an existing import, or new lines. */
  /**
   * Drops an import binding the rewrites left unused (`readFileSync` once every call became
   * `readFile`). A binding this session reuses for a replacement is kept.
   */
  remove(binding: ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport): void {
    this.#removed.add(binding);
  }

  /** The edits that add every binding asked for (merged into an existing import, or new lines) and drop the removed ones. */
  edits(): TextEdit[] {
    const edits: TextEdit[] = [];
    const lines: string[] = [];
    const usesRequire = isCommonJs(this.#sourceFile);
    const additions = new Map<ts.NamedImports, string[]>();
    for (const [specifier, byName] of this.#added) {
      const entries = [...byName.entries()];
      const defaultEntry = entries.find(([name]) => name === 'default');
      const named = entries.filter(([name]) => name !== 'default');
      if (defaultEntry !== undefined) {
        lines.push(usesRequire ? `const ${defaultEntry[1].local} = require('${specifier}');` : `import ${defaultEntry[1].local} from '${specifier}';`);
      }
      if (named.length === 0) continue;
      const allTypes = named.every(([, { typeOnly }]) => typeOnly);
      const mergeInto = usesRequire ? undefined : namedImportOf(this.#sourceFile, specifier, allTypes);
      if (mergeInto !== undefined) {
        const declarationIsTypeOnly = isTypeOnlyImport(mergeInto.parent);
        const elements = named.map(([name, { local, typeOnly }]) => {
          const prefix = typeOnly && !declarationIsTypeOnly ? 'type ' : '';
          return `${prefix}${local === name ? name : `${name} as ${local}`}`;
        });
        additions.set(mergeInto, [...(additions.get(mergeInto) ?? []), ...elements]);
        continue;
      }
      if (usesRequire) {
        const values = named.filter(([, { typeOnly }]) => !typeOnly);
        if (values.length > 0) lines.push(`const { ${values.map(([name, { local }]) => (local === name ? name : `${name}: ${local}`)).join(', ')} } = require('${specifier}');`);
        continue;
      }
      const elements = named.map(([name, { local, typeOnly }]) => `${typeOnly && !allTypes ? 'type ' : ''}${local === name ? name : `${name} as ${local}`}`);
      lines.push(`import ${allTypes ? 'type ' : ''}{ ${elements.join(', ')} } from '${specifier}';`);
    }

    const removed = new Set([...this.#removed].filter((binding) => !this.#reused.has(binding)));
    const touched = new Set<ts.ImportDeclaration | ts.JSDocImportTag>();
    for (const named of additions.keys()) touched.add(named.parent.parent);
    for (const binding of removed) touched.add(ts.isImportClause(binding) ? binding.parent : ts.isNamespaceImport(binding) ? binding.parent.parent : binding.parent.parent.parent);
    const deleted = new Set<ts.ImportDeclaration>();
    for (const declaration of touched) {
      if (!ts.isImportDeclaration(declaration)) continue;
      const clause = declaration.importClause;
      if (clause === undefined) continue;
      const keepDefault = clause.name !== undefined && !removed.has(clause);
      const bindings = clause.namedBindings;
      const parts: string[] = keepDefault ? [clause.name.text] : [];
      if (bindings !== undefined && ts.isNamespaceImport(bindings) && !removed.has(bindings)) parts.push(bindings.getText(this.#sourceFile));
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        const kept = bindings.elements.filter((element) => !removed.has(element));
        const added = additions.get(bindings) ?? [];
        const changed = kept.length !== bindings.elements.length || added.length > 0;
        const elements = [...kept.map((element) => element.getText(this.#sourceFile)), ...added];
        if (elements.length > 0) parts.push(changed ? formatNamedImports(bindings, elements, this.#sourceFile) : bindings.getText(this.#sourceFile));
      }
      if (parts.length === 0) {
        deleted.add(declaration);
        continue;
      }
      const typePrefix = isTypeOnlyImport(clause) ? 'type ' : '';
      edits.push({ start: clause.getStart(this.#sourceFile), end: clause.getEnd(), text: `${typePrefix}${parts.join(', ')}` });
    }

    // New imports take the place of the first import that goes away, so the import block keeps its order.
    const anchor = [...deleted].sort((a, b) => a.pos - b.pos)[0];
    const semicolon = usesSemicolons(this.#sourceFile) ? ';' : '';
    for (let index = 0; index < lines.length; index += 1) lines[index] = (lines[index] ?? '').replace(/;$/, semicolon);
    for (const declaration of deleted) {
      if (declaration === anchor && lines.length > 0) {
        edits.push({ start: declaration.getStart(this.#sourceFile), end: declaration.getEnd(), text: lines.splice(0).join(newlineOf(this.#sourceFile)) });
        continue;
      }
      const end = declaration.getEnd();
      const newline = /^\r?\n/.exec(this.#sourceFile.text.slice(end))?.[0] ?? '';
      edits.push({ start: declaration.getStart(this.#sourceFile), end: end + newline.length, text: '' });
    }
    if (lines.length > 0) edits.push(importLinesEdit(this.#sourceFile, lines));
    return mergeInsertions(edits);
  }
}

function newlineOf(sourceFile: ts.SourceFile): string {
  return sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
}

/** Does the file end its import (or require) statements with semicolons? Assumed so when it has none. */
function usesSemicolons(sourceFile: ts.SourceFile): boolean {
  const last = lastImport(sourceFile);
  return last === undefined || sourceFile.text.slice(last.pos, last.end).trimEnd().endsWith(';');
}

function formatNamedImports(original: ts.NamedImports, elements: readonly string[], sourceFile: ts.SourceFile): string {
  const text = original.getText(sourceFile);
  if (!text.includes('\n')) return `{ ${elements.join(', ')} }`;
  const first = original.elements[0];
  const lineStart = first === undefined ? 0 : sourceFile.text.lastIndexOf('\n', first.getStart(sourceFile)) + 1;
  const indent = first === undefined ? '  ' : sourceFile.text.slice(lineStart, first.getStart(sourceFile));
  const trailingComma = /,\s*}$/.test(text) ? ',' : '';
  const closingIndent = /\n([ \t]*)}$/.exec(text)?.[1] ?? '';
  return `{\n${indent}${elements.join(`,\n${indent}`)}${trailingComma}\n${closingIndent}}`;
}

function lastImport(sourceFile: ts.SourceFile): ts.Statement | undefined {
  const commonJs = isCommonJs(sourceFile);
  const imports = sourceFile.statements.filter(
    (statement) => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || (commonJs && isRequireStatement(statement)),
  );
  return imports[imports.length - 1];
}

function existingBinding(sourceFile: ts.SourceFile, specifier: string, name: string, typeOnly: boolean): { local: string; binding: ts.Node } | undefined {
  const defaultIsNamespace = defaultCatalog.findModule(specifier)?.defaultIsNamespace ?? isBuiltin(specifier);
  const declarations = typeOnly ? importsOf(sourceFile, specifier, true) : importsOf(sourceFile, specifier);
  for (const declaration of declarations) {
    const clause = declaration.importClause;
    if (clause === undefined) continue;
    if (name === 'default' && clause.name !== undefined) return { local: clause.name.text, binding: clause };
    if (defaultIsNamespace && clause.name !== undefined) return { local: `${clause.name.text}.${name}`, binding: clause };
    const bindings = clause.namedBindings;
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
      return { local: name === 'default' ? `${bindings.name.text}.default` : `${bindings.name.text}.${name}`, binding: bindings };
    }
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      const element = bindings.elements.find((candidate) => (candidate.propertyName ?? candidate.name).text === name && (typeOnly || !candidate.isTypeOnly));
      if (element !== undefined) return { local: element.name.text, binding: element };
    }
  }
  return undefined;
}

function namedImportOf(sourceFile: ts.SourceFile, specifier: string, includeTypeOnly: boolean): ts.NamedImports | undefined {
  for (const declaration of importsOf(sourceFile, specifier, includeTypeOnly)) {
    const bindings = declaration.importClause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) return bindings;
  }
  return undefined;
}

function isCommonJs(sourceFile: ts.SourceFile): boolean {
  return !sourceFile.statements.some((statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && /\brequire\(/.test(sourceFile.text);
}

/** Inserts whole lines after the file's last import, or above its first statement. */
function importLinesEdit(sourceFile: ts.SourceFile, lines: readonly string[]): TextEdit {
  const newline = newlineOf(sourceFile);
  const anchor = lastImport(sourceFile);
  if (anchor !== undefined) return { start: anchor.getEnd(), end: anchor.getEnd(), text: lines.map((line) => `${newline}${line}`).join('') };
  const start = firstStatementStart(sourceFile);
  return { start, end: start, text: lines.map((line) => `${line}${newline}`).join('') };
}

function isRequireStatement(statement: ts.Statement): boolean {
  if (!ts.isVariableStatement(statement)) return false;
  return statement.declarationList.declarations.some((declaration) => {
    const init = declaration.initializer;
    return init !== undefined && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

function firstStatementStart(sourceFile: ts.SourceFile): number {
  const first = sourceFile.statements[0];
  if (first === undefined) return 0;
  // Keep a leading directive (`'use strict'`) and the file's header comment above the new import.
  if (ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)) return first.getEnd() + 1;
  return first.getStart(sourceFile);
}

function freeName(wanted: string, taken: Set<string>): string {
  if (!taken.has(wanted)) return wanted;
  const base = `${wanted}Async`;
  let candidate = base;
  for (let index = 2; taken.has(candidate); index += 1) candidate = `${base}${String(index)}`;
  return candidate;
}

/**
 * Would `await <node>` (or another prefix operator) need parentheses where `node` stands? True when
 * the node's value is used by a member access, a call, `new`, a tagged template, `!` (non-null) or
 * as the base of `**`.
 *
 * @example
 * needsParentheses(callInside(`store.read('users').find(f)`)); // true: `(await store.read('users')).find(f)`
 */
export function needsParentheses(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.expression === node) ||
    (ts.isElementAccessExpression(parent) && parent.expression === node) ||
    (ts.isCallExpression(parent) && parent.expression === node) ||
    (ts.isNewExpression(parent) && parent.expression === node) ||
    ts.isTaggedTemplateExpression(parent) ||
    ts.isNonNullExpression(parent) ||
    (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && parent.left === node)
  );
}

/** The keys an object literal sets, or undefined when it is not a literal or spreads another object. */
function literalKeys(node: ts.Expression): string[] | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const keys: string[] = [];
  for (const property of node.properties) {
    if (ts.isSpreadAssignment(property) || ts.isComputedPropertyName(property.name)) return undefined;
    keys.push(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name) ? property.name.text : property.name.getText());
  }
  return keys;
}

/**
 * Why the catalogued replacement would not do what this call does, or undefined when it would: the
 * call sets (or may set, through a non-literal options argument) an option the replacement ignores.
 *
 * @example
 * unsupportedOptionUse(statSyncCall, api.replacement); // 'it sets `throwIfNoEntry`, which `stat` ignores'
 */
export function unsupportedOptionUse(call: ts.CallExpression | ts.NewExpression, replacement: AsyncReplacement): string | undefined {
  const unsupported = replacement.unsupportedOptions;
  const argument = unsupported === undefined ? undefined : call.arguments?.[unsupported.index];
  if (unsupported === undefined || argument === undefined) return undefined;
  const names = unsupported.names.map((name) => `\`${name}\``).join(', ');
  const keys = literalKeys(argument);
  if (keys === undefined) return `its options (\`${argument.getText()}\`) may set ${names}, which \`${replacement.export}\` ignores`;
  const used = unsupported.names.find((name) => keys.includes(name));
  return used === undefined ? undefined : `it sets \`${used}\`, which \`${replacement.export}\` ignores`;
}

/** How a caller plans several rewrites of one file together. */
export interface ReplacementOptions {
  /** Shared imports: bindings are added once and emitted by `session.edits()`, not with the plan. */
  readonly session?: ImportSession;
  /** The text of a range of the file as it should appear in the rewrite; a codemod passes it with its own edits applied. */
  readonly textOf?: (start: number, end: number) => string;
}

/**
 * Plans the rewrite of a blocking call to its catalogued async replacement: the call becomes the
 * rendered template (`await readFile(p, 'utf8')`) and the replacement's import is reused or added
 * (merged into an existing import of the module, or in `require` form in CommonJS files).
 *
 * @example
 * const plan = planReplacement(sourceFile, call, api.replacement);
 * const output = applyEdits(sourceFile.text, plan.edits);
 */
export function planReplacement(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression | ts.NewExpression,
  replacement: AsyncReplacement,
  options: ReplacementOptions = {},
): ReplacementPlan {
  const session = options.session ?? new ImportSession(sourceFile);
  const [head = replacement.export, ...rest] = replacement.export.split('.');
  let fn = replacement.viaDefault
    ? `${session.binding(replacement.module, 'default')}.${replacement.export}`
    : [session.binding(replacement.module, head), ...rest].join('.');
  if (replacement.promisify) fn = `${session.binding('node:util', 'promisify')}(${fn})`;
  const textOf = options.textOf ?? ((start: number, end: number) => sourceFile.text.slice(start, end));
  const list = call.arguments;
  // The argument list is kept as written (comments, line breaks, a trailing comma) unless an option
  // default has to be written into it.
  const args =
    list === undefined || list.length === 0
      ? []
      : replacement.optionDefaults === undefined
        ? [textOf(list.pos, call.getEnd() - 1)]
        : list.map((argument) => textOf(argument.getStart(sourceFile), argument.getEnd()));
  const optionsArgument = replacement.optionDefaults === undefined ? undefined : call.arguments?.[replacement.optionDefaults.index];
  const typescript = !/\.[cm]?jsx?$/.test(sourceFile.fileName);
  const rendered = renderReplacementCall(replacement, fn, args, optionsArgument === undefined ? undefined : literalKeys(optionsArgument), typescript);
  const castWrapped = typescript && replacement.resultType !== undefined;
  // `(await x).stdout` is already a member expression; only a leading `await` needs wrapping.
  const expression = needsParentheses(call) && !castWrapped && /^await\b/.test(rendered) ? `(${rendered})` : rendered;
  const edits: TextEdit[] = [{ start: call.getStart(sourceFile), end: call.getEnd(), text: expression }];
  if (options.session === undefined) edits.push(...session.edits());
  return { edits: mergeInsertions(edits), expression };
}
/** Joins insertions at the same offset so the edits never overlap (ESLint fixes must not). */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const previous = merged[merged.length - 1];
    if (previous?.start === edit.start && previous.end === previous.start && edit.end === edit.start) {
      merged[merged.length - 1] = { start: previous.start, end: previous.end, text: previous.text + edit.text };
    } else {
      merged.push(edit);
    }
  }
  return merged;
}

/**
 * Applies non-overlapping edits to a text.
 *
 * @example
 * applyEdits('abc', [{ start: 1, end: 2, text: 'X' }]); // 'aXc'
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let output = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  return output;
}
