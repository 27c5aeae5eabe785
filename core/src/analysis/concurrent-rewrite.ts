import ts from 'typescript';

import { areFreshConstantNames, bindingIdentifiers } from './bindings.js';
import { collectingCall, declaredNames, isTypeScript, type AwaitStep, type ConcurrencyFinding, type SequentialAwaits, type SequentialLoop, type SequentialOperands } from './concurrent-awaits.js';
import { isFunctionNode } from './functions.js';
import { findLocalDeclaration } from './import-binding.js';
import { promiseStaticMethod } from './promise-types.js';

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  NodeFlags, SyntaxKind, forEachChild, getLeadingCommentRanges, getTrailingCommentRanges,
  isArrayBindingPattern, isArrayLiteralExpression, isArrayTypeNode, isAsExpression, isBindingElement, isBlock,
  isCallExpression, isContinueStatement, isDoStatement, isElementAccessExpression,
  isForInStatement, isForOfStatement, isForStatement, isIdentifier,
  isNonNullExpression, isOmittedExpression, isParameter, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment,
  isSatisfiesExpression, isSourceFile, isSpreadElement, isTupleTypeNode, isTypeOperatorNode, isTypeReferenceNode,
  isVariableDeclaration, isVariableDeclarationList, isWhileStatement, isYieldExpression,
} = ts;

/** One replacement of source text: `[start, end)` becomes `text`. */
export interface ConcurrentRewrite {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Settings of the rewrite. */
export interface ConcurrentRewriteOptions {
  /** For loops: run at most this many iterations at once (the codemod's `--max-concurrency`). */
  readonly maxConcurrency?: number;
  /** The longest line before the combined await is split over several lines (default 100). */
  readonly printWidth?: number;
}

/**
 * The rewrite that runs a finding's awaits together: consecutive awaits become one
 * `const [a, b] = await Promise.all([x(), y()])` (statements in between that do not use an awaited
 * value go before it, those that do go after it), and a loop becomes
 * `await Promise.all(items.map(async (item) => { … }))`. Undefined where no rewrite keeps the code
 * valid: declarations of different kinds, some with a type annotation and some without, a loop
 * body with `var` or `yield` or reading a name whose narrowing a callback would lose, a counting
 * `for` loop. The lint rule offers it as a suggestion; the
 * `concurrent-awaits` codemod applies it.
 *
 * @example
 * const rewrite = planConcurrentRewrite(finding, sourceFile);
 * if (rewrite) text = text.slice(0, rewrite.start) + rewrite.text + text.slice(rewrite.end);
 */
export function planConcurrentRewrite(finding: ConcurrencyFinding, sourceFile: ts.SourceFile, options: ConcurrentRewriteOptions = {}): ConcurrentRewrite | undefined {
  if (finding.kind === 'operands') {
    const rewrite = planOperands(finding, sourceFile, options);
    return rewrite === undefined || finding.statement === undefined ? undefined : keepingComments(rewrite, [finding.statement], sourceFile);
  }
  const rewrite = finding.kind === 'sequence' ? planSequence(finding, sourceFile, options) : planLoop(finding, sourceFile, options);
  return rewrite === undefined ? undefined : keepingComments(rewrite, finding.kind === 'sequence' ? finding.statements : [finding.loop], sourceFile);
}

/**
 * Awaited properties of an object literal (`res.json({ user: await getUser(id), posts: await
 * getPosts(id) })`) become one `const [user, posts] = await Promise.all([…])` just before the
 * statement, each property shorthand for its constant. The properties' names are the constants'
 * names, so none may be a reserved word or spelled anywhere else in the function (a constant
 * would shadow or clash with it).
 */
function planOperands(finding: SequentialOperands, sourceFile: ts.SourceFile, options: ConcurrentRewriteOptions): ConcurrentRewrite | undefined {
  const { statement } = finding;
  if (statement === undefined || finding.typedByContext) return undefined;
  const steps: AwaitStep[] = [];
  for (const node of finding.awaits) if (isPropertyAssignment(node.parent) && isIdentifier(node.parent.name)) steps.push({ statement, operand: node.expression, target: node.parent.name, kind: 'const', typeAnnotation: undefined });
  if (steps.length !== finding.awaits.length || !areFreshConstantNames(steps.map((step) => step.target as ts.Identifier), finding.fn, sourceFile)) return undefined;
  // The combined await goes above the comments over the statement: they are about it, and a
  // directive among them (`// @ts-expect-error`, `// eslint-disable-next-line`) must stay on the line above it.
  const start = getLeadingCommentRanges(sourceFile.text, statement.getFullStart())?.[0]?.pos ?? statement.getStart(sourceFile);
  const indentation = lineIndentation(sourceFile, start);
  const newLine = newLineOf(sourceFile);
  const text = `${sourceFile.text.slice(start, statement.getStart(sourceFile))}${withShorthandProperties(statement, steps, sourceFile)}`;
  // `(ctx as Context).body = …` on the next line would continue a line without a semicolon.
  const semicolon = text.endsWith(';') || /^[([`+\-/]/.test(text) ? ';' : '';
  const combined = combinedAwait(steps, sourceFile, indentation, newLine, options.printWidth ?? 100, semicolon, false);
  return { start, end: statement.end, text: `${combined}${newLine}${indentation}${text}` };
}

/** The statement's text with each step's property (`posts: await getPosts(id)`) made shorthand (`posts`). */
function withShorthandProperties(statement: ts.Statement, steps: readonly AwaitStep[], sourceFile: ts.SourceFile): string {
  let text = '';
  let at = statement.getStart(sourceFile);
  for (const step of steps) {
    const property = step.operand.parent.parent;
    text += `${sourceFile.text.slice(at, property.getStart(sourceFile))}${step.target.getText(sourceFile)}`;
    at = property.end;
  }
  return `${text}${sourceFile.text.slice(at, statement.end)}`;
}

/**
 * The rewrite with every comment of the replaced code that its text no longer holds (one inside a
 * collecting loop's body, one between `=` and `await`) put on its own lines before it: a rewrite
 * never loses what a person wrote.
 */
function keepingComments(rewrite: ConcurrentRewrite, nodes: readonly ts.Node[], sourceFile: ts.SourceFile): ConcurrentRewrite {
  const replaced = sourceFile.text.slice(rewrite.start, rewrite.end);
  // Most code has no comment where it is rewritten: no walk for it.
  if (!replaced.includes('//') && !replaced.includes('/*')) return rewrite;
  const dropped = commentsIn(nodes, sourceFile, rewrite.start, rewrite.end).filter((comment) => !rewrite.text.includes(comment));
  if (dropped.length === 0) return rewrite;
  const indentation = lineIndentation(sourceFile, rewrite.start);
  const newLine = newLineOf(sourceFile);
  return { ...rewrite, text: [...dropped, rewrite.text].join(`${newLine}${indentation}`) };
}

/**
 * The comments in `[start, end)`, in order: the trivia before and after every node there (a `//`
 * in a string or a template is not one).
 */
function commentsIn(nodes: readonly ts.Node[], sourceFile: ts.SourceFile, start: number, end: number): string[] {
  const { text } = sourceFile;
  const ranges = new Map<number, ts.CommentRange>();
  // TypeScript splits trivia in two: comments on the same line (trailing) and after a line break (leading).
  const collect = (position: number): void => {
    for (const range of [...(getTrailingCommentRanges(text, position) ?? []), ...(getLeadingCommentRanges(text, position) ?? [])]) if (range.pos >= start && range.end <= end) ranges.set(range.pos, range);
  };
  const visit = (node: ts.Node): void => {
    collect(node.pos);
    collect(node.end);
    forEachChild(node, visit);
  };
  for (const node of nodes) visit(node);
  return [...ranges.values()].sort((a, b) => a.pos - b.pos).map((range) => text.slice(range.pos, range.end));
}

function lineIndentation(sourceFile: ts.SourceFile, position: number): string {
  const lineStart = sourceFile.text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(sourceFile.text.slice(lineStart, position))?.[0] ?? '';
}

function indentUnit(indentation: string): string {
  return indentation.includes('\t') ? '\t' : '  ';
}

function newLineOf(sourceFile: ts.SourceFile): string {
  return sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * A type written over several lines, on one (`| User\n  | Admin` as `User | Admin`), to sit in a
 * tuple; one holding a comment or a string literal stays as written.
 */
function oneLineType(type: string): string {
  return /\/\/|\/\*|['"`]/.test(type) ? type : type.replace(/\s+/g, ' ').replace(/^\| /, '');
}

/** A type's text as a member of a union: function, constructor and conditional types need parentheses there. */
function parenthesizedInUnion(type: string): string {
  return /=>|\bextends\b/.test(type) ? `(${type})` : type;
}

/** A statement's text with the comments above it, every line re-indented to `indentation`. */
function statementWithComments(statement: ts.Statement, sourceFile: ts.SourceFile, indentation: string, newLine: string): string {
  // Comments on their own lines above it (not the previous statement's same-line one), its text, and its own same-line comment.
  const trailing = trailingComments(statement, sourceFile);
  const lines = [...leadingComments(statement, sourceFile), `${statement.getText(sourceFile)}${trailing.length === 0 ? '' : ` ${trailing.join(' ')}`}`];
  return lines.join(`${newLine}${indentation}`);
}

/** Comments after a statement on its own line (`const a = await f(); // why`). */
function trailingComments(statement: ts.Statement, sourceFile: ts.SourceFile): string[] {
  return (getTrailingCommentRanges(sourceFile.text, statement.getEnd()) ?? []).map((range) => sourceFile.text.slice(range.pos, range.end));
}

/** The comments above a statement (none for the first of a range, whose comments stay where they are). */
function leadingComments(statement: ts.Statement, sourceFile: ts.SourceFile): string[] {
  return (getLeadingCommentRanges(sourceFile.text, statement.getFullStart()) ?? []).map((range) => sourceFile.text.slice(range.pos, range.end));
}

function planSequence(finding: SequentialAwaits, sourceFile: ts.SourceFile, options: ConcurrentRewriteOptions): ConcurrentRewrite | undefined {
  const { steps } = finding;
  const [first] = steps;
  const last = finding.statements.at(-1);
  const firstStatement = finding.statements[0];
  if (first === undefined || last === undefined || firstStatement === undefined) return undefined;
  const annotated = steps.filter((step) => step.typeAnnotation !== undefined).length;
  if (annotated !== 0 && annotated !== steps.length) return undefined;
  // An assignment's target gives a generic call its type; inside `Promise.all` nothing would. And
  // `Promise.all` given the declared types returns them whole, without the narrowing a value gave.
  if (finding.typedByTarget && (annotated === 0 || finding.narrowedByValue)) return undefined;
  // `const other: typeof user = …` cannot name `user` in the tuple type that declares both.
  if (steps.some((step) => step.typeAnnotation?.getText(sourceFile).includes('typeof') === true)) return undefined;
  // In JavaScript a `/** @type {…} */` comment above a declaration, or on its value as a cast, is a
  // type: the combined declaration would take neither.
  if (!isTypeScript(sourceFile) && steps.some((step) => /@(?:type|satisfies)\b/.test(sourceFile.text.slice(step.statement.getFullStart(), step.statement.getEnd())))) return undefined;
  const start = firstStatement.getStart(sourceFile);
  const indentation = lineIndentation(sourceFile, start);
  const newLine = newLineOf(sourceFile);
  const lines: string[] = [];
  for (const statement of finding.before) lines.push(statementWithComments(statement, sourceFile, indentation, newLine));
  // The comments above the later awaits, and those after each await on its line, stay with the combined one.
  const awaited = steps.filter((step) => step.statement !== finding.literal);
  for (const [index, step] of awaited.entries()) {
    if (index > 0) lines.push(...leadingComments(step.statement, sourceFile));
    if (step !== steps.at(-1)) lines.push(...trailingComments(step.statement, sourceFile));
  }
  // Semicolons as the code has them: the last await's statement says.
  const semicolon = (steps.at(-1)?.statement.getText(sourceFile) ?? ';').endsWith(';') ? ';' : '';
  lines.push(combinedAwait(steps, sourceFile, indentation, newLine, options.printWidth ?? 100, semicolon, finding.typedByTarget));
  for (const statement of finding.after) lines.push(statementWithComments(statement, sourceFile, indentation, newLine));
  // A statement whose awaited properties ended the sequence stays, last, with them made shorthand.
  const { literal } = finding;
  if (literal !== undefined) {
    // Its own comment after it on its line is past the rewrite's end: it stays where it is.
    lines.push(...leadingComments(literal, sourceFile), withShorthandProperties(literal, steps.filter((step) => step.statement === literal), sourceFile));
  }
  let text = withSemicolonsWhereNeeded(lines).map((line, index) => (index === 0 ? line : `${indentation}${line}`)).join(newLine);
  // `[a, b] = …` at the start of a statement continues the previous line when that one has no semicolon.
  if (first.kind === 'assign' && needsLeadingSemicolon(sourceFile, start)) text = `;${text}`;
  return { start, end: last.getEnd(), text };
}

/**
 * The lines with a `;` put before each statement that starts with `(`, `[` or a template while the
 * statement above it ends without one: moved next to each other (`const name = user.name` kept
 * after the combined await, then `;(ctx as Ctx).body = …`), the two would read as one call.
 */
function withSemicolonsWhereNeeded(lines: readonly string[]): string[] {
  let previous = '';
  return lines.map((line) => {
    const trimmed = line.trimStart();
    // Comment lines change nothing about where a statement ends.
    if (trimmed.startsWith('//') || trimmed.startsWith('/*')) return line;
    const needs = previous !== '' && /^[([`]/.test(trimmed) && !/[;{}]$/.test(previous);
    previous = line.trimEnd();
    return needs ? `;${line}` : line;
  });
}

function needsLeadingSemicolon(sourceFile: ts.SourceFile, position: number): boolean {
  const before = sourceFile.text.slice(0, position).replace(/(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*$/, '');
  return before !== '' && !/[;{}]$/.test(before);
}

function combinedAwait(steps: readonly AwaitStep[], sourceFile: ts.SourceFile, indentation: string, newLine: string, printWidth: number, semicolon: string, typedByTarget: boolean): string {
  const [first] = steps;
  const kind = first?.kind ?? 'const';
  const types = steps.every((step) => step.typeAnnotation !== undefined) ? steps.map((step) => oneLineType(step.typeAnnotation?.getText(sourceFile) ?? 'unknown')) : undefined;
  // A step that is itself a `Promise.all` (`const [html, text] = await Promise.all([…])`) joins its
  // elements to the combined list rather than nesting one `Promise.all` in another; with declared
  // types, their tuple stays one element.
  const parts = steps.flatMap((step): CombinedPart[] => (types === undefined ? promiseAllParts(step, sourceFile) : undefined) ?? [{ target: step.target, operand: step.operand }]);
  // Holes at the end of the pattern are left out (`[a, , ]` would read as a mistake).
  let named = parts.length;
  while (named > 0 && parts[named - 1]?.target === undefined) named -= 1;
  const targets = parts.slice(0, named).map((part) => part.target);
  const names = targets.map((target) => target?.getText(sourceFile) ?? '');
  const operands = parts.map((part) => part.operand.getText(sourceFile));
  const operandLayouts = parts.map(({ operand }): OperandLayout => ({ from: lineIndentation(sourceFile, operand.getStart(sourceFile)), literals: literalRanges(operand, sourceFile) }));
  // Declared types go on the destructuring, unless a generic call infers its type from them: then
  // `Promise.all` is given them, each as a value or a promise of it, so the call still sees its type.
  const annotation = types === undefined || typedByTarget ? '' : `: [${types.join(', ')}]`;
  const typeArguments = types === undefined || !typedByTarget ? '' : `<[${types.map((type) => `${parenthesizedInUnion(type)} | PromiseLike<${type}>`).join(', ')}]>`;
  const declaration = kind === 'assign' ? '' : `${kind} `;
  const tail = `${annotation} = await Promise.all${typeArguments}(`;
  let head = `${declaration}[${names.join(', ')}]${tail}`;
  const oneLine = `${head}[${operands.join(', ')}])${semicolon}`;
  if (indentation.length + oneLine.length <= printWidth && !oneLine.includes('\n')) return oneLine;
  const inner = `${indentation}${indentUnit(indentation)}`;
  // Names too long for one line go one per line, as a formatter breaks a long pattern (declared
  // types stay on the line they are written on).
  if (names.length > 1 && annotation === '' && typeArguments === '' && indentation.length + (head.split('\n')[0]?.length ?? 0) + 1 > printWidth) {
    const lines = targets.map((target) => (target === undefined ? inner : `${inner}${reindent(target.getText(sourceFile), inner, newLine, { from: lineIndentation(sourceFile, target.getStart(sourceFile)), literals: literalRanges(target, sourceFile) })}`));
    head = `${declaration}[${newLine}${lines.map((line) => `${line},`).join(newLine)}${newLine}${indentation}]${tail}`;
  }
  return `${head}[${newLine}${operands.map((operand, index) => `${inner}${reindent(operand, inner, newLine, operandLayouts[index])},`).join(newLine)}${newLine}${indentation}])${semicolon}`;
}

/** One element of a combined `Promise.all`: what receives the value (none for a hole), and the operand. */
interface CombinedPart {
  readonly target: ts.Node | undefined;
  readonly operand: ts.Expression;
}

/**
 * The names and operands of a step that awaits `Promise.all([a, b])` into an array pattern
 * (`const [x, y] = …`), as they go into a combined list: `x` receives `a`, `y` receives `b`, and an
 * element no name receives gets a hole. Undefined when the step is anything else, or when joining
 * would change what a name receives (a rest element, more names than elements, spread elements) or
 * lose a comment between the elements.
 */
function promiseAllParts(step: AwaitStep, sourceFile: ts.SourceFile): CombinedPart[] | undefined {
  let call: ts.Expression = step.operand;
  while (isParenthesizedExpression(call)) call = call.expression;
  if (!isCallExpression(call) || promiseStaticMethod(call) !== 'all' || call.arguments.length !== 1 || call.typeArguments !== undefined || call.questionDotToken !== undefined) return undefined;
  const [list] = call.arguments;
  if (list === undefined || !isArrayLiteralExpression(list) || list.elements.some((element) => isSpreadElement(element) || isOmittedExpression(element))) return undefined;
  const { target } = step;
  let names: (ts.Node | undefined)[];
  if (isArrayBindingPattern(target)) {
    if (target.elements.some((element) => isBindingElement(element) && element.dotDotDotToken !== undefined)) return undefined;
    names = target.elements.map((element) => (isOmittedExpression(element) ? undefined : element));
  } else if (isArrayLiteralExpression(target)) {
    if (target.elements.some((element) => isSpreadElement(element))) return undefined;
    names = target.elements.map((element) => (isOmittedExpression(element) ? undefined : element));
  } else return undefined;
  if (names.length > list.elements.length) return undefined;
  // Comments between the elements would be lost with the list's brackets.
  const { text } = sourceFile;
  let from = list.getStart(sourceFile) + 1;
  for (const element of list.elements) {
    if (text.slice(from, element.getStart(sourceFile)).includes('/')) return undefined;
    from = element.end;
  }
  if (text.slice(from, list.end - 1).includes('/')) return undefined;
  return list.elements.map((operand, index) => ({ target: names[index], operand }));
}

/**
 * Could a line break of the text be inside a template literal or a continued string? Indenting the
 * line after it would change the string, so such code keeps its lines as written.
 */
function mayBreakInsideLiteral(text: string): boolean {
  return text.includes('`') || /\\\r?\n/.test(text);
}

/** Where a moved operand's lines came from: its first line's indentation, and its string literals. */
interface OperandLayout {
  readonly from: string;
  /** `[start, end)` of each template or string literal, relative to the operand's text. */
  readonly literals: readonly (readonly [number, number])[];
}

/**
 * Moves the continuation lines of a multi-line operand with its first line, which goes to
 * `indentation` in the array: from the indentation of the line it started on (`layout.from`), else
 * one level deeper. An operand that began on a line of its own (`const user =⏎    await find(⏎
 * id,`) keeps its lines where they were relative to it. A line that starts inside a template literal
 * (a query's text) stays as it is, as formatters leave it: indenting it would change the string.
 * Without a layout (text the rewrite built), a text that may break inside a literal is left whole.
 */
function reindent(text: string, indentation: string, newLine: string, layout?: OperandLayout): string {
  if (layout === undefined && mayBreakInsideLiteral(text)) return text;
  const shift = (line: string): string => {
    if (layout !== undefined && line.startsWith(layout.from)) return `${indentation}${line.slice(layout.from.length)}`;
    // Without a layout, or a line indented less than the operand's first (an unusual one): a level deeper.
    return `${indentUnit(indentation)}${line}`;
  };
  let offset = 0;
  return text
    .split(/\r?\n/)
    .map((line, index) => {
      const start = offset;
      offset += line.length + (text.charAt(start + line.length) === '\r' ? 2 : 1);
      if (index === 0 || line.trim() === '') return line;
      if (layout?.literals.some(([from, to]) => start > from && start < to)) return line;
      return shift(line);
    })
    .join(newLine);
}

/** The template and string literals in a node, as `[start, end)` relative to its start. */
function literalRanges(node: ts.Node, sourceFile: ts.SourceFile): (readonly [number, number])[] {
  const origin = node.getStart(sourceFile);
  const ranges: (readonly [number, number])[] = [];
  if (!mayBreakInsideLiteral(sourceFile.text.slice(origin, node.end))) return ranges;
  const visit = (current: ts.Node): void => {
    const { kind } = current;
    if (kind === SyntaxKind.NoSubstitutionTemplateLiteral || kind === SyntaxKind.TemplateHead || kind === SyntaxKind.TemplateMiddle || kind === SyntaxKind.TemplateTail || kind === SyntaxKind.StringLiteral) {
      ranges.push([current.getStart(sourceFile) - origin, current.end - origin]);
      return;
    }
    forEachChild(current, visit);
  };
  visit(node);
  return ranges;
}

function planLoop(finding: SequentialLoop, sourceFile: ts.SourceFile, options: ConcurrentRewriteOptions): ConcurrentRewrite | undefined {
  const { loop } = finding;
  if (!isForOfStatement(loop) || (finding.orderedEffects && finding.inOrder === undefined) || finding.losesNarrowing !== undefined) return undefined;
  const initializer = loop.initializer;
  if (!isVariableDeclarationList(initializer) || initializer.declarations.length !== 1 || (initializer.flags & (NodeFlags.Const | NodeFlags.Let)) === 0) return undefined;
  const [declaration] = initializer.declarations;
  if (declaration === undefined || hasVarOrYield(loop.statement)) return undefined;
  // `for (const id of ids) { const id = …; }`: in a callback, the body's `id` would clash with the parameter.
  const own = new Set(bindingIdentifiers(declaration.name).map((identifier) => identifier.text));
  if (isBlock(loop.statement) && loop.statement.statements.some((statement) => declaredNames(statement).some((identifier) => own.has(identifier.text)))) return undefined;
  const start = loop.getStart(sourceFile);
  const indentation = lineIndentation(sourceFile, start);
  const newLine = newLineOf(sourceFile);
  const pattern = declaration.name.getText(sourceFile);
  const body = loopBody(loop.statement, sourceFile, indentation, newLine);
  const iterable = loop.expression;
  const callback = `async (${pattern}) => ${body}`;
  // `.map` where the items are an array by their syntax; elsewhere the items are spread into one
  // (`[...items].map`), which takes any iterable and keeps the items' type: `any` stays `any`, where
  // `Array.from(items, …)` would make it `unknown`. Either way no type checker is needed (the rule
  // must stay cheap, and the codemod writes the same).
  const isArray = isKnownArray(iterable, 0);
  const iterableText = iterable.getText(sourceFile);
  const limit = options.maxConcurrency;
  const bounded = limit !== undefined && limit > 0;
  const unit = indentUnit(indentation);
  // With a limit, every form below runs over one slice of the items at a time, in a loop over the
  // slices; its two names must not hide one the body reads (`items` is a common name for a result).
  const [itemsName, offsetName] = bounded ? freshNames(loop, ['items', 'offset']) : ['items', 'offset'];
  const mapOver = (fn: string): string => {
    if (bounded) return `${itemsName}.slice(${offsetName}, ${offsetName} + ${String(limit)}).map(${fn})`;
    return isArray ? `${needsParentheses(iterable) ? `(${iterableText})` : iterableText}.map(${fn})` : `[...${iterableText}].map(${fn})`;
  };
  const layout = { pattern, indentation, depth: bounded ? `${unit}${unit}` : '', newLine, printWidth: options.printWidth ?? 100, mapOver };
  const statement = inOrderStatement(finding, sourceFile, layout) ?? collectingStatement(finding, sourceFile, layout) ?? `await Promise.all(${mapOver(callback)});`;
  if (!bounded) return { start, end: loop.getEnd(), text: statement };
  const items = isArray ? iterableText : `[...${iterableText}]`;
  const text = [
    `{`,
    `${indentation}${unit}const ${itemsName} = ${items};`,
    `${indentation}${unit}for (let ${offsetName} = 0; ${offsetName} < ${itemsName}.length; ${offsetName} += ${String(limit)}) {`,
    `${indentation}${unit}${unit}${reindentBlock(statement, unit + unit, newLine)}`,
    `${indentation}${unit}}`,
    `${indentation}}`,
  ].join(newLine);
  return { start, end: loop.getEnd(), text };
}

interface CollectingLayout {
  /** The loop's binding or pattern, as written. */
  readonly pattern: string;
  /** The loop's indentation: the statement is written as if it stood there. */
  readonly indentation: string;
  /** How much deeper it will stand (inside a bounded loop): the caller shifts its lines by that. */
  readonly depth: string;
  readonly newLine: string;
  readonly printWidth: number;
  /** `items.map(fn)`, or whatever maps the items (or one slice of them) through `fn`. */
  readonly mapOver: (fn: string) => string;
}

/**
 * A loop that collects its results, as one statement that awaits every result, in the order of the
 * items, and then collects them: `list.push(await f(x))` becomes
 * `list.push(...(await Promise.all(items.map((x) => f(x)))))`, and `map.set(k, await f(x))` a loop
 * over the awaited entries. Undefined for a loop that does not collect in one of these forms.
 */
function collectingStatement(finding: SequentialLoop, sourceFile: ts.SourceFile, layout: CollectingLayout): string | undefined {
  const { loop } = finding;
  const { pattern, indentation, newLine, mapOver } = layout;
  const collected = collectingCall(loop.statement);
  if (collected === undefined) return undefined;
  // Past the print width, the mapping goes on its own line inside `Promise.all(…)`.
  const fits = (text: string): boolean => layout.depth.length + indentation.length + text.length <= layout.printWidth && !text.includes('\n');
  const inner = `${indentation}${indentUnit(indentation)}`;
  const wrapped = (mapping: string): string => `${newLine}${inner}${reindent(mapping, inner, newLine)},${newLine}${indentation}`;
  const { receiver, method, key, operand } = collected;
  if (method === 'push') {
    const mapping = mapOver(`(${pattern}) => ${operand.getText(sourceFile)}`);
    const collect = (all: string): string => `${receiver.getText(sourceFile)}.push(...(await Promise.all(${all})));`;
    return fits(collect(mapping)) ? collect(mapping) : collect(wrapped(mapping));
  }
  if (key === undefined) return undefined;
  const [keyName, valueName] = freshNames(loop, ['key', 'value']);
  const mapping = mapOver(`async (${pattern}) => [${key.getText(sourceFile)}, await ${operand.getText(sourceFile)}]${isTypeScript(sourceFile) ? ' as const' : ''}`);
  const head = `for (const [${keyName}, ${valueName}] of await Promise.all(`;
  const store = `${receiver.getText(sourceFile)}.set(${keyName}, ${valueName});`;
  const oneLine = `${head}${mapping})) ${store}`;
  // Broken over lines, the loop's one statement goes in a block, as a formatter would put it.
  return fits(oneLine) ? oneLine : `${head}${wrapped(mapping)})) {${newLine}${inner}${store}${newLine}${indentation}}`;
}

/**
 * A loop whose order-sensitive statements come after its last await, in two parts: the part up to
 * the last await runs for every item together, in a callback returning the bindings the rest reads;
 * the rest then runs for each item in order, in a loop over what the callbacks returned. The rest
 * keeps its own code, so its calls are typed as before (`results.push({ status })` still sees the
 * element type), and it still runs once per item (`this.push(chunk)` of a stream, `res.write`).
 */
function inOrderStatement(finding: SequentialLoop, sourceFile: ts.SourceFile, layout: CollectingLayout): string | undefined {
  const { loop, inOrder } = finding;
  const body = loop.statement;
  if (inOrder === undefined || !isBlock(body)) return undefined;
  const { call } = inOrder;
  const { pattern, indentation, newLine, mapOver } = layout;
  const { text } = sourceFile;
  // The body's own indentation (four spaces, a tab), from its first statement on a line of its own.
  const firstStatement = body.statements[0];
  const bodyIndentation = firstStatement === undefined ? '' : lineIndentation(sourceFile, firstStatement.getStart(sourceFile));
  const inner = bodyIndentation.length > indentation.length ? bodyIndentation : `${indentation}${indentUnit(indentation)}`;
  // The first part ends after the comment on its last line, if any: the call starts on the next line.
  const beforeEnd = body.statements[body.statements.indexOf(call) - 1]?.getEnd() ?? call.getFullStart();
  const splitAt = getTrailingCommentRanges(text, beforeEnd)?.at(-1)?.end ?? beforeEnd;
  const carried = `{ ${inOrder.carried.map((identifier) => identifier.text).join(', ')} }`;
  // `as const` keeps each binding's own type (`'up' | 'down'`), which a returned object would widen.
  // In JavaScript, a JSDoc const cast does the same for a checked file (`// @ts-check`).
  const returned = isTypeScript(sourceFile) ? `${carried} as const` : `/** @type {const} */ (${carried})`;
  const callback = `async (${pattern}) => ${text.slice(body.getStart(sourceFile), splitAt)}${newLine}${inner}return ${returned};${newLine}${indentation}}`;
  // The call's part runs to the body's closing brace: comments after the call stay with it.
  const rest = text.slice(splitAt, Math.max(call.getEnd(), body.getEnd() - 1)).trimEnd();
  // It starts on its own line, without the blank lines that set it apart from the first part.
  const lineBreak = /^(?:[^\S\r\n]*\r?\n)+/.exec(rest);
  const restLines = lineBreak === null ? `${inner}${rest.trimStart()}` : rest.slice(lineBreak[0].length);
  return `for (const ${carried} of await Promise.all(${mapOver(callback)})) {${newLine}${restLines}${newLine}${indentation}}`;
}

/** Names not used anywhere in the function around the loop: `key`, or `key2` when `key` is taken. */
function freshNames(loop: ts.Node, wanted: readonly string[]): string[] {
  let scope: ts.Node = loop;
  while (!isFunctionNode(scope) && !isSourceFile(scope)) scope = scope.parent;
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isIdentifier(node)) used.add(node.text);
    forEachChild(node, visit);
  };
  visit(scope);
  return wanted.map((name) => {
    let candidate = name;
    for (let index = 2; used.has(candidate); index += 1) candidate = `${name}${String(index)}`;
    used.add(candidate);
    return candidate;
  });
}

function reindentBlock(text: string, extra: string, newLine: string): string {
  if (mayBreakInsideLiteral(text)) return text;
  return text.split(/\r?\n/).map((line, index) => (index === 0 || line === '' ? line : `${extra}${line}`)).join(newLine);
}

function needsParentheses(expression: ts.Expression): boolean {
  return !(
    isIdentifier(expression) ||
    isPropertyAccessExpression(expression) ||
    isElementAccessExpression(expression) ||
    isCallExpression(expression) ||
    isArrayLiteralExpression(expression) ||
    isParenthesizedExpression(expression) ||
    expression.kind === SyntaxKind.ThisKeyword
  );
}

// Methods that return an array whatever they are called on (`slice`, `map`, `filter` also exist on strings and typed arrays).
const arrayMethods = new Set(['split', 'flat', 'flatMap']);

/** Is the expression an array by its syntax: a literal, an array method's result, a binding typed or initialised as one? */
function isKnownArray(expression: ts.Expression, depth: number): boolean {
  const inner = isParenthesizedExpression(expression) || isAsExpression(expression) || isSatisfiesExpression(expression) || isNonNullExpression(expression) ? expression.expression : expression;
  if (depth > 3) return false;
  if (isArrayLiteralExpression(inner)) return true;
  if (isCallExpression(inner) && isPropertyAccessExpression(inner.expression)) {
    const method = inner.expression.name.text;
    const owner = inner.expression.expression;
    if (arrayMethods.has(method)) return true;
    if (isIdentifier(owner) && ((owner.text === 'Array' && (method === 'from' || method === 'of')) || (owner.text === 'Object' && (method === 'keys' || method === 'values' || method === 'entries')))) return true;
    return false;
  }
  if (!isIdentifier(inner)) return false;
  const declaration = findLocalDeclaration(inner);
  if (declaration === undefined || !(isVariableDeclaration(declaration) || isParameter(declaration)) || !isIdentifier(declaration.name)) return false;
  if (declaration.type !== undefined) return isArrayAnnotation(declaration.type);
  return declaration.initializer !== undefined && isKnownArray(declaration.initializer, depth + 1);
}

function isArrayAnnotation(node: ts.TypeNode): boolean {
  if (isArrayTypeNode(node) || isTupleTypeNode(node)) return true;
  if (isTypeOperatorNode(node) && node.operator === SyntaxKind.ReadonlyKeyword) return isArrayAnnotation(node.type);
  return isTypeReferenceNode(node) && isIdentifier(node.typeName) && (node.typeName.text === 'Array' || node.typeName.text === 'ReadonlyArray');
}

/** A `var` would leave the callback's scope, a `yield` the generator's: neither can move into a callback. */
function hasVarOrYield(body: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (isYieldExpression(node)) found = true;
    else if (isVariableDeclarationList(node) && (node.flags & (NodeFlags.Const | NodeFlags.Let | NodeFlags.Using)) === 0) found = true;
    else forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The loop body as the callback's block: `continue` (of this loop) becomes `return`. */
function loopBody(body: ts.Statement, sourceFile: ts.SourceFile, indentation: string, newLine: string): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node, nested: boolean): void => {
    if (isFunctionNode(node)) return;
    if (isContinueStatement(node) && !nested && node.label === undefined) edits.push({ start: node.getStart(sourceFile), end: node.getEnd(), text: 'return;' });
    const entersLoop = isForStatement(node) || isForOfStatement(node) || isForInStatement(node) || isWhileStatement(node) || isDoStatement(node);
    forEachChild(node, (child) => {
      visit(child, nested || entersLoop);
    });
  };
  visit(body, false);
  const start = body.getStart(sourceFile);
  let text = sourceFile.text.slice(start, body.getEnd());
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start - start) + edit.text + text.slice(edit.end - start);
  if (isBlock(body)) return text;
  const unit = indentUnit(indentation);
  return `{${newLine}${indentation}${unit}${text}${newLine}${indentation}}`;
}
