import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/**
 * Type-checks a snippet as if it were a file of this package, and returns the error messages.
 * With `nodeTypes: 'node-24'` Node's declarations come from `@types/node@24` instead of the
 * installed Node 20 ones, so APIs newer than this runtime can still be checked against reality.
 */
export function typeErrors(snippet: string, options: { nodeTypes?: 'default' | 'node-24' } = {}): string[] {
  const fileName = join(coreDir, 'tests', '__shape-check__.ts');
  const compilerOptions: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    esModuleInterop: true,
    skipLibCheck: true,
    types: options.nodeTypes === 'node-24' ? [] : ['node'],
  };
  const roots = [fileName];
  if (options.nodeTypes === 'node-24') roots.push(require.resolve('@types/node-24/index.d.ts'));
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  host.readFile = (name) => (name === fileName ? snippet : readFile(name));
  host.getSourceFile = (name, version, onError, shouldCreate) =>
    name === fileName ? ts.createSourceFile(name, snippet, version) : getSourceFile(name, version, onError, shouldCreate);
  const program = ts.createProgram(roots, compilerOptions, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === fileName)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

/** Every type, interface, class, enum and namespace-member name declared in a package's declaration files. */
export function declaredTypeNames(packageName: string): Set<string> | undefined {
  const root = packageDir(packageName);
  if (root === undefined) return undefined;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) &&
      node.name !== undefined
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  for (const file of ts.sys.readDirectory(root, ['.d.ts', '.d.mts', '.d.cts'], undefined, ['**/*'])) {
    if (file.slice(root.length).includes('/node_modules/')) continue;
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, false);
    visit(source);
  }
  return names;
}

// `require.resolve('<pkg>/package.json')` fails for packages whose `exports` map hides it, so look on disk.
function packageDir(packageName: string): string | undefined {
  let dir = coreDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', packageName);
    if (ts.sys.fileExists(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
