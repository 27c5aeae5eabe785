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

function importsOf(sourceFile: ts.SourceFile, specifier: string): ts.ImportDeclaration[] {
  const names = specifierAliases(specifier);
  return sourceFile.statements.filter(
    (statement): statement is ts.ImportDeclaration =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      names.includes(statement.moduleSpecifier.text) &&
      !isTypeOnlyImport(statement.importClause),
  );
}

// TypeScript 6 describes `import type` with `phaseModifier`; 5.x only has the (now deprecated) `isTypeOnly`.
function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return false;
  const phase = (clause as { readonly phaseModifier?: ts.SyntaxKind }).phaseModifier;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only flag TypeScript 5.x sets.
  return phase === ts.SyntaxKind.TypeKeyword || clause.isTypeOnly;
}

function topLevelNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (binding: ts.BindingName): void => {
    if (ts.isIdentifier(binding)) names.add(binding.text);
    else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name !== undefined) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings !== undefined && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name !== undefined) {
      names.add(statement.name.text);
    }
  }
  return names;
}

function camelCase(packageName: string): string {
  const base = packageName.replace(/^@[^/]+\//, '').replace(/^node:/, '');
  return base.replace(/[-_./]+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()).replace(/^[^a-zA-Z_$]/, '_');
}

interface ImportPlan {
  readonly local: string;
  readonly edits: TextEdit[];
}

/**
 * Finds or adds the binding for `name` exported by `specifier` (`default` for the default export).
 * A default import serves as the namespace where the module's default export is its namespace
 * (`import crypto from 'node:crypto'` gives `crypto.pbkdf2`).
 */
function ensureImport(sourceFile: ts.SourceFile, specifier: string, name: string, taken: Set<string>): ImportPlan {
  const existing = importsOf(sourceFile, specifier);
  const defaultIsNamespace = defaultCatalog.findModule(specifier)?.defaultIsNamespace ?? isBuiltin(specifier);
  for (const declaration of existing) {
    const clause = declaration.importClause;
    if (clause === undefined) continue;
    if (name === 'default' && clause.name !== undefined) return { local: clause.name.text, edits: [] };
    if (defaultIsNamespace && clause.name !== undefined) return { local: `${clause.name.text}.${name}`, edits: [] };
    const bindings = clause.namedBindings;
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
      return { local: name === 'default' ? `${bindings.name.text}.default` : `${bindings.name.text}.${name}`, edits: [] };
    }
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      const element = bindings.elements.find((candidate) => (candidate.propertyName ?? candidate.name).text === name && !candidate.isTypeOnly);
      if (element !== undefined) return { local: element.name.text, edits: [] };
    }
  }
  const local = freeName(name === 'default' ? camelCase(specifier) : name, taken);
  taken.add(local);
  const named = existing.find((declaration) => {
    const bindings = declaration.importClause?.namedBindings;
    return bindings !== undefined && ts.isNamedImports(bindings);
  });
  if (name !== 'default' && named !== undefined) {
    const bindings = named.importClause?.namedBindings as ts.NamedImports;
    const last = bindings.elements[bindings.elements.length - 1];
    const element = local === name ? name : `${name} as ${local}`;
    if (last === undefined) return { local, edits: [{ start: bindings.getStart(sourceFile) + 1, end: bindings.getStart(sourceFile) + 1, text: ` ${element} ` }] };
    return { local, edits: [{ start: last.getEnd(), end: last.getEnd(), text: `, ${element}` }] };
  }
  const usesRequire = !sourceFile.statements.some((statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && /\brequire\(/.test(sourceFile.text);
  let line: string;
  if (usesRequire) {
    line = name === 'default' ? `const ${local} = require('${specifier}');` : `const { ${local === name ? name : `${name}: ${local}`} } = require('${specifier}');`;
  } else {
    line = name === 'default' ? `import ${local} from '${specifier}';` : `import { ${local === name ? name : `${name} as ${local}`} } from '${specifier}';`;
  }
  const imports = sourceFile.statements.filter((statement) => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement));
  const anchor = imports[imports.length - 1];
  if (anchor !== undefined) return { local, edits: [{ start: anchor.getEnd(), end: anchor.getEnd(), text: `\n${line}` }] };
  const start = firstStatementStart(sourceFile);
  return { local, edits: [{ start, end: start, text: `${line}\n` }] };
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

function needsParentheses(call: ts.Node): boolean {
  const parent = call.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.expression === call) ||
    (ts.isElementAccessExpression(parent) && parent.expression === call) ||
    (ts.isCallExpression(parent) && parent.expression === call) ||
    (ts.isNewExpression(parent) && parent.expression === call) ||
    ts.isTaggedTemplateExpression(parent) ||
    ts.isNonNullExpression(parent) ||
    (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && parent.left === call)
  );
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
export function planReplacement(sourceFile: ts.SourceFile, call: ts.CallExpression | ts.NewExpression, replacement: AsyncReplacement): ReplacementPlan {
  const taken = topLevelNames(sourceFile);
  const edits: TextEdit[] = [];
  const [head = replacement.export, ...rest] = replacement.export.split('.');
  let fn: string;
  if (replacement.viaDefault) {
    const plan = ensureImport(sourceFile, replacement.module, 'default', taken);
    edits.push(...plan.edits);
    fn = `${plan.local}.${replacement.export}`;
  } else {
    const plan = ensureImport(sourceFile, replacement.module, head, taken);
    edits.push(...plan.edits);
    fn = [plan.local, ...rest].join('.');
  }
  if (replacement.promisify) {
    const plan = ensureImport(sourceFile, 'node:util', 'promisify', taken);
    edits.push(...plan.edits);
    fn = `${plan.local}(${fn})`;
  }
  const args = (call.arguments ?? []).map((argument) => argument.getText(sourceFile));
  const rendered = renderReplacementCall(replacement, fn, args);
  const expression = needsParentheses(call) ? `(${rendered})` : rendered;
  edits.push({ start: call.getStart(sourceFile), end: call.getEnd(), text: expression });
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
