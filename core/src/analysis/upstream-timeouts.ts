import ts from 'typescript';

import { httpClients, type HttpClientApi } from '../registry/http-clients.js';
import { enclosingFunction, insideTest, type FunctionNode } from './functions.js';
import type { HandlerIndex } from './handler-index.js';
import type { HandlerInfo } from './handlers.js';
import { findLocalDeclaration, importedPath, skipWrappers } from './import-binding.js';

/** An outbound HTTP call that can wait forever. */
export interface UntimedCall {
  readonly call: ts.CallExpression;
  /** How the call reads: `fetch`, `axios.get`, `got.post`, `undici.request`, `api.get` (an axios instance). */
  readonly display: string;
  readonly client: HttpClientApi;
  /** Where the options go, and the options literal when there is one. */
  readonly optionsIndex: number;
  readonly options: ts.ObjectLiteralExpression | undefined;
  /** The option to add: `signal` (fetch, undici), `timeout` (axios, got). */
  readonly add: 'signal' | 'timeout' | 'got-timeout';
  readonly fn: FunctionNode;
  readonly handler: HandlerInfo | undefined;
}

const axiosMethods: Readonly<Record<string, number>> = { get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, request: 0 };
const gotMethods = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);

const client = (pkg: string, exported: HttpClientApi['export']): HttpClientApi => {
  const found = httpClients.find((candidate) => candidate.package === pkg && candidate.export === exported);
  if (found === undefined) throw new Error(`[loopguard core] Failed to find the HTTP client ${pkg} ${exported} in the registry. Add it to httpClients.`);
  return found;
};

/**
 * Finds outbound HTTP calls made inside functions with nothing bounding how long they may take, so
 * a hung upstream hangs the request (and whatever else awaits it) for as long as the socket stays
 * open: `fetch` without `signal`; axios without `timeout` or `signal`, neither per call nor on the
 * instance when its creation (`axios.create(…)`, `instance.defaults.timeout = …`) is in the file;
 * `got` without `timeout`; undici `request`/`fetch` without `signal` or timeouts; `node-fetch`.
 * Options the analysis cannot see (a variable from elsewhere, a spread, a `Request` object) count as
 * having one. Calls at module top level run at start-up and are left alone, and so are calls in tests
 * (`it`, `test`, their hooks), which the test runner bounds.
 *
 * @example
 * findUntimedUpstreamCalls(sourceFile, program, handlerIndexFor(program)).map((call) => call.display);
 */
export function findUntimedUpstreamCalls(sourceFile: ts.SourceFile, program: ts.Program | undefined, handlers: HandlerIndex | undefined): UntimedCall[] {
  const checker = program?.getTypeChecker();
  const found: UntimedCall[] = [];
  const instanceDefaults = defaultsAssignments(sourceFile);

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const match = matchCall(node, checker, instanceDefaults);
      const fn = match === undefined ? undefined : enclosingFunction(node);
      // A test's requests are bounded by the runner's own timeout: not a request that can hang.
      if (match !== undefined && fn !== undefined && !insideTest(fn)) {
        const options = node.arguments[match.optionsIndex];
        const literals = options === undefined ? undefined : literalsOf(options);
        const lacking = literals?.find((literal) => !hasOption(literal, match.client.timeoutOptions, checker));
        if (options === undefined || lacking !== undefined) {
          const handler = handlers?.enclosingHandler(node)?.info;
          found.push({ call: node, ...match, options: lacking, fn, handler });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/**
 * The object literals an options argument can be, directly or through a local constant, also each
 * branch of `cond ? { … } : { … }`; undefined when any of them cannot be seen.
 */
function literalsOf(expression: ts.Expression, depth = 0): ts.ObjectLiteralExpression[] | undefined {
  const inner = skipWrappers(expression);
  if (ts.isObjectLiteralExpression(inner)) return [inner];
  if (ts.isConditionalExpression(inner) && depth < 4) {
    const whenTrue = literalsOf(inner.whenTrue, depth + 1);
    const whenFalse = literalsOf(inner.whenFalse, depth + 1);
    return whenTrue === undefined || whenFalse === undefined ? undefined : [...whenTrue, ...whenFalse];
  }
  if (!ts.isIdentifier(inner) || depth >= 4) return undefined;
  const declaration = findLocalDeclaration(inner);
  if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
  if ((ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) === 0) return undefined;
  // `init.signal = controller.signal` after the declaration: the literal is not all the object has.
  if (isChangedAfter(declaration)) return undefined;
  return literalsOf(declaration.initializer, depth + 1);
}

/** The calls an options object is passed to for a request (`fetch(url, init)`, `axios.get(url, config)`). */
const requestCallNames = new Set(['fetch', 'request', 'axios', 'got', 'stream', ...Object.keys(axiosMethods), ...gotMethods]);
/** The options that bound a request, in any client: a write to one of them may add a timeout. */
const timeoutOptionNames = new Set(['signal', 'timeout', ...httpClients.flatMap((candidate) => candidate.timeoutOptions)]);

/**
 * Could the constant's object have gained a timeout after its declaration? Yes when any use of it
 * other than reading a member, spreading it or passing it to a request call could change it: a
 * write to one of its timeout options or a computed one (`init.signal = …`, `init[key] = …`), or
 * the object going anywhere else (`withDeadline(init)`, `Object.assign(init, …)`, an alias, a
 * destructuring assignment into it).
 */
function isChangedAfter(declaration: ts.VariableDeclaration): boolean {
  const name = declaration.name;
  if (!ts.isIdentifier(name)) return false;
  const scope = declaration.parent.parent.parent;
  const visit = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && findLocalDeclaration(node) === declaration) return mayChange(node);
    return ts.forEachChild(node, visit) === true;
  };
  return visit(scope);
}

/** May this use of an options object change it (see `isChangedAfter`)? */
function mayChange(reference: ts.Identifier): boolean {
  let node: ts.Node = reference;
  // `fetch(url, (fast ? quick : init) as RequestInit)` passes it on as it is.
  const passesOn = (parent: ts.Node): boolean =>
    ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isNonNullExpression(parent) || (ts.isConditionalExpression(parent) && parent.condition !== node);
  while (passesOn(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return isWriteTarget(parent) && timeoutOptionNames.has(parent.name.text);
  if (ts.isElementAccessExpression(parent) && parent.expression === node) {
    const key = parent.argumentExpression;
    return isWriteTarget(parent) && !(ts.isStringLiteralLike(key) && !timeoutOptionNames.has(key.text));
  }
  if (ts.isSpreadAssignment(parent)) return false;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = parent.expression;
    const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    return called === undefined || !requestCallNames.has(called);
  }
  return true;
}

/**
 * Is the member access written to: the target of an assignment (also inside a destructuring one,
 * `({ signal: init.signal } = c)`), of `++`/`--`, or of `delete`?
 */
function isWriteTarget(node: ts.Expression): boolean {
  let current: ts.Node = node;
  for (;;) {
    const parent = current.parent;
    const inPattern =
      ts.isParenthesizedExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === current) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isSpreadAssignment(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isObjectLiteralExpression(parent);
    if (!inPattern) break;
    current = parent;
  }
  const parent = current.parent;
  if (ts.isBinaryExpression(parent)) return parent.left === current && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  return current === node && ts.isDeleteExpression(parent);
}

/** The single literal an options argument is, for `axios.create(config)` and the like. */
function literalOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const literals = literalsOf(expression);
  return literals?.length === 1 ? literals[0] : undefined;
}

/** Does the literal set one of the options (or spread something that may)? */
function hasOption(literal: ts.ObjectLiteralExpression, names: readonly string[], checker: ts.TypeChecker | undefined): boolean {
  return literal.properties.some((property) => {
    if (ts.isSpreadAssignment(property)) {
      if (checker === undefined) return true;
      const type = checker.getTypeAtLocation(property.expression);
      if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return true;
      return names.some((name) => type.getProperty(name) !== undefined);
    }
    const name = property.name;
    const text = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
    return text !== undefined && names.includes(text);
  });
}

interface CallMatch {
  readonly display: string;
  readonly client: HttpClientApi;
  readonly optionsIndex: number;
  readonly add: UntimedCall['add'];
}

function matchCall(call: ts.CallExpression, checker: ts.TypeChecker | undefined, defaults: ReadonlySet<string>): CallMatch | undefined {
  const callee = skipWrappers(call.expression);
  // The global fetch: `fetch(…)`, `globalThis.fetch(…)`, not a local or imported `fetch`.
  if (isGlobalFetch(callee, checker)) {
    const [input] = call.arguments;
    if (input !== undefined && mayCarrySignal(input, checker)) return undefined;
    return { display: 'fetch', client: client('', 'global-fetch'), optionsIndex: 1, add: 'signal' };
  }
  const imported = importedPath(callee, checker);
  if (imported !== undefined) {
    const { specifier, path } = imported;
    if (specifier === 'undici' && (path === 'fetch' || path === 'request')) {
      return { display: `undici.${path}`, client: client('undici', path), optionsIndex: 1, add: 'signal' };
    }
    if (specifier === 'node-fetch' && path === 'default') return { display: 'node-fetch', client: client('node-fetch', 'default'), optionsIndex: 1, add: 'signal' };
    if (specifier === 'axios') {
      if (defaults.has('axios')) return undefined;
      if (path === 'default') return { display: 'axios', client: client('axios', 'default'), optionsIndex: call.arguments.length > 0 && isStringish(call.arguments[0]) ? 1 : 0, add: 'timeout' };
      const method = path.startsWith('default.') ? path.slice('default.'.length) : path;
      const index = axiosMethods[method];
      if (index !== undefined) return { display: `axios.${method}`, client: client('axios', 'default'), optionsIndex: index, add: 'timeout' };
      return undefined;
    }
    if (specifier === 'got') {
      if (path === 'default') return { display: 'got', client: client('got', 'default'), optionsIndex: 1, add: 'got-timeout' };
      const method = path.startsWith('default.') ? path.slice('default.'.length) : path;
      if (gotMethods.has(method)) return { display: `got.${method}`, client: client('got', 'default'), optionsIndex: 1, add: 'got-timeout' };
    }
    return undefined;
  }
  // An instance made in this file: `const api = axios.create({ … })`, `const client = got.extend({ … })`.
  const target = ts.isPropertyAccessExpression(callee) ? skipWrappers(callee.expression) : callee;
  if (!ts.isIdentifier(target)) return undefined;
  const instance = instanceOf(target, checker);
  if (instance === undefined || instance.hasTimeout || defaults.has(target.text)) return undefined;
  if (instance.kind === 'axios') {
    if (target === callee) return { display: target.text, client: client('axios', 'default'), optionsIndex: call.arguments.length > 0 && isStringish(call.arguments[0]) ? 1 : 0, add: 'timeout' };
    const method = (callee as ts.PropertyAccessExpression).name.text;
    const index = axiosMethods[method];
    return index === undefined ? undefined : { display: `${target.text}.${method}`, client: client('axios', 'default'), optionsIndex: index, add: 'timeout' };
  }
  if (target === callee) return { display: target.text, client: client('got', 'default'), optionsIndex: 1, add: 'got-timeout' };
  const method = (callee as ts.PropertyAccessExpression).name.text;
  return gotMethods.has(method) ? { display: `${target.text}.${method}`, client: client('got', 'default'), optionsIndex: 1, add: 'got-timeout' } : undefined;
}

function isStringish(node: ts.Expression | undefined): boolean {
  return node !== undefined && !ts.isObjectLiteralExpression(skipWrappers(node));
}

function isGlobalFetch(callee: ts.Expression, checker: ts.TypeChecker | undefined): boolean {
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'globalThis' ? callee.name : undefined;
  if (name?.text !== 'fetch') return false;
  if (ts.isIdentifier(callee) && findLocalDeclaration(callee) !== undefined) return false;
  if (checker === undefined) return true;
  const symbol = checker.getSymbolAtLocation(name);
  // Declared by the platform's typings (lib.dom, @types/node, undici-types), not by the app.
  return symbol === undefined || (symbol.declarations ?? []).every((declaration) => declaration.getSourceFile().isDeclarationFile);
}

/** A `Request` object (or anything not a URL) may carry its own signal. */
function mayCarrySignal(input: ts.Expression, checker: ts.TypeChecker | undefined): boolean {
  const inner = skipWrappers(input);
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner) || ts.isBinaryExpression(inner)) return false;
  if (ts.isNewExpression(inner)) return ts.isIdentifier(inner.expression) && inner.expression.text === 'Request';
  if (checker === undefined) return false;
  const type = checker.getTypeAtLocation(inner);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 || part.getSymbol()?.name === 'Request');
}

/** `const api = axios.create({ timeout })` or `got.extend({ … })`: which kind, and whether it sets a timeout. */
function instanceOf(identifier: ts.Identifier, checker: ts.TypeChecker | undefined): { kind: 'axios' | 'got'; hasTimeout: boolean } | undefined {
  const declaration = checker === undefined ? findLocalDeclaration(identifier) : (checker.getSymbolAtLocation(identifier)?.valueDeclaration ?? findLocalDeclaration(identifier));
  if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
  const initializer = skipWrappers(declaration.initializer);
  if (!ts.isCallExpression(initializer)) return undefined;
  const made = importedPath(skipWrappers(initializer.expression), checker);
  const kind = made?.specifier === 'axios' && (made.path === 'default.create' || made.path === 'create') ? 'axios' : made?.specifier === 'got' && (made.path === 'default.extend' || made.path === 'extend') ? 'got' : undefined;
  if (kind === undefined) return undefined;
  const [config] = initializer.arguments;
  const literal = config === undefined ? undefined : literalOf(config);
  return { kind, hasTimeout: config !== undefined && (literal === undefined || hasOption(literal, client(kind, 'default').timeoutOptions, checker)) };
}

/** Names whose defaults get a timeout in this file: `axios.defaults.timeout = …`, `api.defaults.timeout = …`. */
function defaultsAssignments(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipWrappers(node.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'timeout') {
        const owner = skipWrappers(left.expression);
        if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'defaults' && ts.isIdentifier(owner.expression)) names.add(owner.expression.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

/**
 * The edit that bounds an untimed call: `signal: AbortSignal.timeout(ms)` for fetch and undici,
 * `timeout: ms` for axios, `timeout: { request: ms }` for got; into the options literal written in
 * the call, into a copy of a constant one (`{ ...init, signal: … }`), or as a new options argument
 * (after `undefined` for a missing axios body).
 *
 * @example
 * const edit = planUpstreamTimeout(untimed, sourceFile, 10_000);
 */
export function planUpstreamTimeout(untimed: UntimedCall, sourceFile: ts.SourceFile, timeoutMs: number): { start: number; end: number; text: string } | undefined {
  const ms = String(timeoutMs);
  const property = untimed.add === 'signal' ? `signal: AbortSignal.timeout(${ms})` : untimed.add === 'timeout' ? `timeout: ${ms}` : `timeout: { request: ${ms} }`;
  const { options, call, optionsIndex } = untimed;
  if (options !== undefined) {
    const argument = call.arguments[optionsIndex];
    if (argument === undefined) return undefined;
    // The literal written in the call, also behind `as RequestInit`, takes the option itself.
    if (skipWrappers(argument) !== options) {
      // A constant (`fetch(url, init)`) may serve other calls, and a timer set where it is declared
      // would run from then: this call gets a copy with the option, `{ ...init, signal: … }`.
      if (literalsOf(argument)?.length !== 1) return undefined;
      const text = argument.getText(sourceFile);
      return { start: argument.getStart(sourceFile), end: argument.getEnd(), text: `{ ...${ts.isIdentifier(argument) ? text : `(${text})`}, ${property} }` };
    }
    const last = options.properties.at(-1);
    if (last === undefined) return { start: options.getStart(sourceFile), end: options.getEnd(), text: `{ ${property} }` };
    return { start: last.getEnd(), end: last.getEnd(), text: `, ${property}` };
  }
  const args = call.arguments;
  if (args.length > optionsIndex) return undefined;
  const fillers = Array.from({ length: optionsIndex - args.length }, () => 'undefined');
  const parts = [...fillers, `{ ${property} }`];
  const lastArgument = args.at(-1);
  if (lastArgument === undefined) {
    const open = call.arguments.pos;
    return { start: open, end: open, text: parts.join(', ') };
  }
  return { start: lastArgument.getEnd(), end: lastArgument.getEnd(), text: `, ${parts.join(', ')}` };
}
