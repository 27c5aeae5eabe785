import ts from 'typescript';

import { isFunctionNode, isPromiseType, typeAt, type FunctionNode } from '@loopguard/core/analysis';

/**
 * Where the value of inlined code goes once the callback's body runs in the function that awaited it:
 * - `return`: it is the function's result (`return chain`), so the body's returns stay returns;
 * - `final`: the statement was the function's last and its value was dropped, so a return leaves the
 *   function without a value (`return res.json(x)` → `res.json(x); return;`);
 * - `discard`: dropped in the middle of a function (`await chain;`): the body must not return early;
 * - `bind`: the value becomes the next step's binding (`const user = …`);
 * - `assign`: the value is assigned to a binding declared before (`user = …`).
 */
export type Sink =
  | { readonly kind: 'return'; readonly insideTry: boolean }
  | { readonly kind: 'final'; readonly insideTry: boolean }
  | { readonly kind: 'discard' }
  | { readonly kind: 'bind'; readonly binding: string | undefined; readonly type: string | undefined }
  | { readonly kind: 'assign'; readonly binding: string | undefined };

/** An inline callback (`(user) => …`, `function (err) { … }`) whose body can move into the function around it. */
export type InlineCallback = ts.ArrowFunction | ts.FunctionExpression;

/** What the inliner needs from the file: its text with nested edits applied, the checker, and the indentation unit. */
export interface InlineContext {
  readonly sourceFile: ts.SourceFile;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly slice: (start: number, end: number) => string;
  readonly unit: string;
  /**
   * Statements for a value that is itself work to inline (a promise chain returned from a callback),
   * for the sink; undefined when it is a plain value. Set by the transform that knows such values.
   */
  readonly nested?: (expression: ts.Expression, sink: Sink, indent: string, why: { reason?: string }) => string[] | undefined;
}

/** Why an inline callback cannot move into the function around it, or undefined when it can. */
export function whyNotInlinable(callback: InlineCallback, maxParameters: number): string | undefined {
  if (callback.asteriskToken !== undefined) return 'its callback is a generator';
  if (callback.parameters.length > maxParameters) return `its callback takes ${String(callback.parameters.length)} parameters where the call passes ${String(maxParameters)}`;
  if (callback.parameters.some((parameter) => parameter.initializer !== undefined || parameter.dotDotDotToken !== undefined)) return 'its callback has a default or rest parameter';
  if (ts.isFunctionExpression(callback) && usesOwnThis(callback)) return 'its callback uses its own `this` or `arguments`';
  if (callback.name !== undefined && ts.isFunctionExpression(callback)) return 'its callback is a named function expression, which may call itself';
  return undefined;
}

function usesOwnThis(fn: ts.FunctionExpression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(node) && node.text === 'arguments')) found = true;
    else if (!(isFunctionNode(node) && !ts.isArrowFunction(node))) ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

/** The returns of a body that leave the callback (not those of functions nested in it). */
export function ownReturns(body: ts.Node): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** Is a value of this expression a promise (so an inlined `return` of it must be awaited)? */
export function isThenable(context: InlineContext, expression: ts.Expression): boolean {
  return isPromiseType(context.program, context.checker, typeAt(context.checker, expression), { thenables: true });
}

/** An expression whose evaluation does nothing: dropping it as a statement loses nothing. */
export function isInert(expression: ts.Expression): boolean {
  const inner = skipParens(expression);
  return ts.isIdentifier(inner) || ts.isLiteralExpression(inner) || inner.kind === ts.SyntaxKind.TrueKeyword || inner.kind === ts.SyntaxKind.FalseKeyword || inner.kind === ts.SyntaxKind.NullKeyword || inner.kind === ts.SyntaxKind.ThisKeyword;
}

function skipParens(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

/**
 * The statements a callback's body becomes in the function around it, for a sink, as lines at the
 * given indentation; undefined (with the reason in `why`) when the body cannot move there without
 * changing what it does.
 */
export function inlineBody(callback: InlineCallback, sink: Sink, indent: string, context: InlineContext, why: { reason?: string }): string[] | undefined {
  const body = callback.body;
  const { sourceFile, slice } = context;
  if (!ts.isBlock(body)) {
    const text = slice(body.getStart(sourceFile), body.getEnd());
    const value = ts.isObjectLiteralExpression(skipParens(body)) && !text.startsWith('(') ? `(${text})` : text;
    return context.nested?.(body, sink, indent, why) ?? (why.reason === undefined ? valueLines(body, value, sink, indent, context) : undefined);
  }
  const returns = ownReturns(body);
  const statements = body.statements;
  const last = statements[statements.length - 1];
  if (sink.kind === 'bind' || sink.kind === 'assign' || sink.kind === 'discard') {
    // Only a trailing `return value` can become a binding; an early return would leave the function.
    const early = returns.filter((statement) => statement !== last);
    if (early.length > 0) {
      why.reason = 'a callback returns early from the middle of the chain, which would return from the function once inlined';
      return undefined;
    }
    const lines = statements.filter((statement) => statement !== last || !ts.isReturnStatement(statement)).flatMap((statement) => reindent(statementText(statement, context), indent, indentationOf(statement, sourceFile)));
    if (last !== undefined && ts.isReturnStatement(last) && last.expression !== undefined) {
      const value = context.nested?.(last.expression, sink, indent, why) ?? (why.reason === undefined ? valueLines(last.expression, slice(last.expression.getStart(sourceFile), last.expression.getEnd()), sink, indent, context) : undefined);
      if (value === undefined) return undefined;
      lines.push(...value);
    }
    else if ((sink.kind === 'bind' || sink.kind === 'assign') && sink.binding !== undefined) {
      why.reason = 'the next step takes a value that this callback does not return';
      return undefined;
    }
    return lines;
  }
  // `return` and `final`: the body's returns leave the function, as they left the chain.
  if (last !== undefined && ts.isReturnStatement(last) && last.expression !== undefined && context.nested !== undefined) {
    const value = context.nested(last.expression, sink, indent, why);
    if (why.reason !== undefined) return undefined;
    if (value !== undefined) {
      const before = statements.slice(0, -1);
      if (ownReturns(body).some((node) => node !== last && before.some((statement) => node.pos >= statement.pos && node.end <= statement.end)) && value.some((line) => line.trim().startsWith('try'))) {
        why.reason = 'a callback returns early before a nested chain that needs its own try';
      }
      return why.reason === undefined ? [...inlineStatements(before, sink, indent, context, undefined), ...value].filter((line) => line.trim() !== '') : undefined;
    }
  }
  return inlineStatements(statements, sink, indent, context, last);
}

/**
 * Statements moved into the function around them for the `return` and `final` sinks: their own
 * returns (not those of nested functions) rewritten for the sink; `tail` is the statement that ended
 * the callback, whose `return` needs no `return` once it ends the function too.
 */
export function inlineStatements(statements: readonly ts.Statement[], sink: Sink, indent: string, context: InlineContext, tail: ts.Statement | undefined): string[] {
  const lines: string[] = [];
  for (const statement of statements) {
    const returns = ts.isReturnStatement(statement) ? [statement] : ownReturns(statement);
    const replacements = returns.map((node) => ({ node, text: returnText(node, sink, context, node === tail) }));
    lines.push(...reindent(textWithReplacements(statement, replacements, context), indent, indentationOf(statement, context.sourceFile)));
  }
  return lines.filter((line) => line.trim() !== '');
}

/** A chain-level `return` once inlined, for the `return` and `final` sinks. */
function returnText(node: ts.ReturnStatement, sink: Sink, context: InlineContext, isTail: boolean): string {
  const expression = node.expression;
  if (expression === undefined) return isTail && sink.kind === 'final' ? '' : 'return;';
  const text = context.slice(expression.getStart(context.sourceFile), expression.getEnd());
  if (sink.kind === 'return') return sink.insideTry && isThenable(context, expression) ? `return await ${text};` : `return ${text};`;
  const effect = isInert(expression) ? '' : `${isThenable(context, expression) ? 'await ' : ''}${text};`;
  return isTail ? effect : `${effect}${effect === '' ? '' : `\n${indentationOf(node, context.sourceFile)}`}return;`;
}

function valueLines(expression: ts.Expression, text: string, sink: Sink, indent: string, context: InlineContext): string[] {
  const awaited = isThenable(context, expression);
  const from = indentationOf(expression, context.sourceFile);
  const shifted = (line: string, at: string): string[] => reindent(line, at, from);
  switch (sink.kind) {
    case 'return':
      return shifted(`return ${sink.insideTry && awaited ? 'await ' : ''}${text};`, indent);
    case 'final':
    case 'discard':
      return isInert(expression) ? [] : shifted(`${awaited ? 'await ' : ''}${text};`, indent);
    case 'bind':
      if (sink.binding === undefined) return isInert(expression) ? [] : shifted(`${awaited ? 'await ' : ''}${text};`, indent);
      return shifted(`const ${sink.binding}${sink.type === undefined ? '' : `: ${sink.type}`} = ${awaited ? 'await ' : ''}${text};`, indent);
    case 'assign':
      if (sink.binding === undefined) return isInert(expression) ? [] : shifted(`${awaited ? 'await ' : ''}${text};`, indent);
      return shifted(`${sink.binding} = ${awaited ? 'await ' : ''}${text};`, indent);
  }
}

function statementText(statement: ts.Statement, context: InlineContext): string {
  return context.slice(statement.getStart(context.sourceFile), statement.getEnd());
}

function textWithReplacements(statement: ts.Statement, replacements: readonly { node: ts.Node; text: string }[], context: InlineContext): string {
  let text = '';
  let position = statement.getStart(context.sourceFile);
  for (const { node, text: replacement } of [...replacements].sort((a, b) => a.node.pos - b.node.pos)) {
    const start = node.getStart(context.sourceFile);
    text += context.slice(position, start) + replacement;
    position = node.getEnd();
  }
  return text + context.slice(position, statement.getEnd());
}

/**
 * Moves a statement's text from the indentation `from` (its first line's, in the original) to
 * `indent`, every line shifted alike; text with a template literal keeps its later lines as they are.
 */
export function reindent(text: string, indent: string, from: string): string[] {
  const lines = text.split('\n');
  // A template literal spanning lines: shifting would change the string.
  if (text.includes('`')) return [`${indent}${lines[0] ?? ''}`, ...lines.slice(1)];
  return lines.map((line, index) => (index === 0 ? `${indent}${line}` : line.startsWith(from) ? `${indent}${line.slice(from.length)}` : line));
}

/** The names a callback brings into the function around it: its parameters and its body's own declarations. */
export function namesBroughtIn(callback: InlineCallback, includeParameters: boolean): string[] {
  const names: string[] = [];
  if (includeParameters) for (const parameter of callback.parameters) names.push(...bindingNames(parameter.name));
  if (ts.isBlock(callback.body)) {
    for (const statement of callback.body.statements) {
      if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) names.push(...bindingNames(declaration.name));
      else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name !== undefined) names.push(statement.name.text);
    }
  }
  return names;
}

export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** Every name a function's parameters declare or its body spells (outside `except`): names inlined code must not take. */
export function namesInFunction(fn: FunctionNode, except: ts.Node): Set<string> {
  const names = new Set<string>();
  for (const parameter of fn.parameters) for (const name of bindingNames(parameter.name)) names.add(name);
  const visit = (node: ts.Node): void => {
    if (node === except) return;
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  if (fn.body !== undefined) visit(fn.body);
  return names;
}

/** Do these lines end by leaving the function (`return`, `throw`)? */
export function endsInExit(lines: readonly string[]): boolean {
  return /^(?:return|throw)\b/.test(lines[lines.length - 1]?.trim() ?? '');
}

/** The indentation of the line a node starts on. */
export function indentationOf(node: ts.Node, sourceFile: ts.SourceFile): string {
  const start = node.getStart(sourceFile);
  const lineStart = sourceFile.text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(sourceFile.text.slice(lineStart, start))?.[0] ?? '';
}

/** The file's indentation unit: the smallest step between nested lines, two spaces when unclear. */
export function indentUnit(sourceFile: ts.SourceFile): string {
  if (sourceFile.text.includes('\n\t')) return '\t';
  // Lines inside block comments (` * …`) sit one space in whatever the unit is.
  const sizes = [...sourceFile.text.matchAll(/\n( +)([^\s*])/g)].map((match) => match[1]?.length ?? 0).filter((size) => size > 0);
  const smallest = sizes.length === 0 ? 2 : Math.min(...sizes);
  return ' '.repeat(smallest);
}

/**
 * ` (err)` for a catch clause taking over a callback's error parameter. The callback's parameter was
 * `any` (a `.catch` handler) or typed (`NodeJS.ErrnoException | null`); a `catch` clause's is
 * `unknown` under `useUnknownInCatchVariables` (part of `strict`): where the body does more with it
 * than hand it on, or declared a type for it, the clause says `any` so the body reads it as before.
 */
export function catchClauseBinding(name: ts.Identifier, callback: InlineCallback, context: InlineContext): string {
  const parameter = callback.parameters.find((candidate) => candidate.name === name);
  const type = parameter?.type;
  if (type !== undefined && (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.UnknownKeyword)) return ` (${name.text}: ${type.getText(context.sourceFile)})`;
  const options = context.program.getCompilerOptions();
  const unknownInCatch = options.useUnknownInCatchVariables ?? options.strict ?? false;
  if (!unknownInCatch || (type === undefined && onlyPassedOn(callback.body, name.text))) return ` (${name.text})`;
  return ` (${name.text}: any)`;
}

/** Is the name only handed on as it is (`next(err)`, `throw err`, `` `${err}` ``)? */
function onlyPassedOn(body: ts.Node, name: string): boolean {
  let passedOn = true;
  const visit = (node: ts.Node): void => {
    if (!passedOn) return;
    if (ts.isIdentifier(node) && node.text === name) {
      const parent = node.parent;
      const handedOn =
        (ts.isCallExpression(parent) && parent.arguments.includes(node)) ||
        ts.isThrowStatement(parent) ||
        ts.isTemplateSpan(parent) ||
        (ts.isShorthandPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
        (ts.isIfStatement(parent) && parent.expression === node);
      if (!handedOn) passedOn = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return passedOn;
}
