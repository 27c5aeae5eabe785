// `npm start`: applies loopguard's model to the bundled fixture apps. For each app it names the
// frameworks the handler registry recognises (and whether they await a handler's promise), and
// lists the blocking APIs each source file imports, looked up in the catalog.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultCatalog, frameworksForPackage } from '@loopguard/core';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = join(root, 'fixtures');

async function sourceFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Blocking APIs a file imports by name, default or namespace, as `specifier:export` ids. */
function blockingImports(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = new Set();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (clause === undefined || defaultCatalog.findModule(specifier) === undefined) continue;
    const bindings = clause.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const api = defaultCatalog.findExport(specifier, (element.propertyName ?? element.name).text);
        if (api !== undefined) found.add(api.id);
      }
    }
    const whole = clause.name ?? (bindings !== undefined && ts.isNamespaceImport(bindings) ? bindings.name : undefined);
    if (whole !== undefined) {
      // A default or namespace import: find which members the file reaches through it.
      const visit = (node) => {
        if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === whole.text) {
          const path = clause.name === whole ? `default.${node.name.text}` : node.name.text;
          const api = defaultCatalog.findExport(specifier, path) ?? defaultCatalog.findExport(specifier, node.name.text);
          if (api !== undefined) found.add(api.id);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return [...found].sort();
}

const apps = (await readdir(fixturesDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
let total = 0;
for (const app of apps) {
  const dir = join(fixturesDir, app);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const dependencies = Object.entries(manifest.dependencies ?? {});
  const frameworks = [...new Set(dependencies.flatMap(([name, range]) => frameworksForPackage(name, range)))];
  const summary = frameworks.length === 0
    ? 'no framework package (node:http / file conventions)'
    : frameworks.map((f) => `${f.displayName} (${f.promiseHandling.awaitsReturnedPromise ? 'awaits' : 'ignores'} returned promises)`).join(', ');
  console.log(`\n${app}: ${summary}`);
  for (const file of (await sourceFiles(join(dir, 'src'))).sort()) {
    const ids = blockingImports(file, await readFile(file, 'utf8'));
    if (ids.length === 0) continue;
    total += ids.length;
    console.log(`  ${relative(dir, file)}: ${ids.join(', ')}`);
  }
}
console.log(`\n${String(total)} blocking-API imports across ${String(apps.length)} fixture apps (catalog: ${String(defaultCatalog.apis.length)} APIs).`);
