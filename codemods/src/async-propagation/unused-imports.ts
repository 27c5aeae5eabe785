import ts from 'typescript';

type ImportBinding = ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport;

function calleeRoot(call: ts.CallExpression | ts.NewExpression): ts.Identifier | undefined {
  let node: ts.Expression = call.expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
    else break;
  }
  return ts.isIdentifier(node) ? node : undefined;
}

/**
 * The import bindings that only the rewritten calls used (`readFileSync` once every call became
 * `readFile`), so the rewrite can drop them instead of leaving unused imports behind.
 *
 * @example
 * for (const binding of importsLeftUnused(sourceFile, checker, rewrittenCalls)) session.remove(binding);
 */
export function importsLeftUnused(sourceFile: ts.SourceFile, checker: ts.TypeChecker, rewritten: readonly (ts.CallExpression | ts.NewExpression)[]): ImportBinding[] {
  const candidates = new Map<ts.Symbol, ImportBinding>();
  for (const call of rewritten) {
    const root = calleeRoot(call);
    const symbol = root === undefined ? undefined : checker.getSymbolAtLocation(root);
    const declaration = symbol?.declarations?.[0];
    if (symbol === undefined || declaration === undefined) continue;
    if (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration) || ts.isNamespaceImport(declaration)) candidates.set(symbol, declaration);
  }
  if (candidates.size === 0) return [];
  const names = new Set([...candidates.values()].map((binding) => (ts.isImportSpecifier(binding) || ts.isNamespaceImport(binding) ? binding.name.text : binding.name?.text)));
  const ranges = rewritten.map((call) => [call.getStart(sourceFile), call.getEnd()] as const);
  const used = new Set<ts.Symbol>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && names.has(node.text)) {
      const start = node.getStart(sourceFile);
      if (!ranges.some(([from, to]) => start >= from && start < to)) {
        const parent = node.parent;
        const symbol = ts.isShorthandPropertyAssignment(parent) && parent.name === node ? checker.getShorthandAssignmentValueSymbol(parent) : checker.getSymbolAtLocation(node);
        if (symbol !== undefined && candidates.has(symbol)) used.add(symbol);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...candidates].filter(([symbol]) => !used.has(symbol)).map(([, binding]) => binding);
}
