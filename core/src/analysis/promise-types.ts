import ts from 'typescript';

/**
 * The type of an expression, or `unknown` when the checker cannot compute it: TypeScript overflows
 * its stack on a few recursive instantiation expressions (`typeof node.getNextNode<any>` under a
 * recursive interface), and a lint rule must not take ESLint down with it. Answers are kept per
 * checker and node: the checker re-checks an expression on every `getTypeAtLocation` (it caches
 * resolved signatures, not expression types), and loopguard's rules ask about the same expression
 * statements, operands and callbacks several times over.
 *
 * @example
 * const type = typeAt(checker, node);
 */
export function typeAt(checker: ts.TypeChecker, node: ts.Node): ts.Type {
  let types = typesByChecker.get(checker);
  if (types === undefined) {
    types = new WeakMap();
    typesByChecker.set(checker, types);
  }
  const cached = types.get(node);
  if (cached !== undefined) return cached;
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(node);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    type = checker.getUnknownType();
  }
  types.set(node, type);
  return type;
}

const typesByChecker = new WeakMap<ts.TypeChecker, WeakMap<ts.Node, ts.Type>>();

/**
 * The static method a call makes of `Promise` by name (`Promise.all(…)` → `'all'`), judged by its
 * syntax alone: what code means by the global `Promise`.
 *
 * @example
 * promiseStaticMethod(call); // 'allSettled' for `Promise.allSettled(jobs)`, undefined for `db.all()`
 */
export function promiseStaticMethod(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' ? callee.name.text : undefined;
}

/** How broadly "a promise" is understood. */
export interface PromiseTypeOptions {
  /** Any object with a callable `then` counts, not only `Promise`/`PromiseLike` and their subclasses. */
  readonly thenables?: boolean;
  /** Types the user declared safe (`allowForKnownSafePromises`): never a promise here, also as array elements. */
  readonly isSafeType?: (type: ts.Type) => boolean;
}

function isDefaultLibrary(program: ts.Program, declaration: ts.Declaration): boolean {
  return program.isSourceFileDefaultLibrary(declaration.getSourceFile());
}

function isBuiltinPromise(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, seen: Set<ts.Type>): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  // `Promise` only: a `PromiseLike` (Fastify's `register()`, query builders) is a thenable, judged as one on request.
  if (symbol?.name === 'Promise' && (symbol.declarations ?? []).some((declaration) => isDefaultLibrary(program, declaration))) {
    return true;
  }
  const target = (type as ts.TypeReference).target as ts.Type | undefined;
  const classLike = target !== undefined && target !== type ? target : type;
  if (classLike.isClassOrInterface()) return checker.getBaseTypes(classLike).some((base) => isBuiltinPromise(program, checker, base, seen));
  return false;
}

/** A thenable that can be rejected: its `then` takes a fulfilment and a rejection callback. */
function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  const then = type.getProperty('then');
  if (then === undefined) return false;
  const declaration = then.valueDeclaration ?? then.declarations?.[0];
  const thenType = declaration === undefined ? checker.getTypeOfSymbol(then) : checker.getTypeOfSymbolAtLocation(then, declaration);
  const isCallback = (parameter: ts.Symbol | undefined): boolean => {
    if (parameter === undefined) return false;
    const parameterType = checker.getNonNullableType(checker.getTypeOfSymbol(parameter));
    return (parameterType.isUnion() ? parameterType.types : [parameterType]).some((part) => part.getCallSignatures().length > 0);
  };
  return thenType.getCallSignatures().some((signature) => signature.parameters.length >= 2 && isCallback(signature.parameters[0]) && isCallback(signature.parameters[1]));
}

/**
 * Is this a promise: `Promise` or a class extending it (with `thenables`, any object whose `then`
 * takes a rejection callback, `PromiseLike` included), alone or in a union or intersection. Type parameters are judged by
 * their constraint; `any` and `unknown` are not promises.
 *
 * @example
 * isPromiseType(program, checker, checker.getTypeAtLocation(callNode)); // true for fetch(url)
 */
export function isPromiseType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, options: PromiseTypeOptions = {}): boolean {
  if (options.isSafeType?.(type) === true) return false;
  // Types are shared across expressions; the answer depends only on the type and `thenables`.
  const cache = options.thenables === true ? thenableCache : promiseCache;
  const cached = cache.get(type);
  if (cached !== undefined) return cached;
  const answer = computeIsPromise(program, checker, type, options);
  cache.set(type, answer);
  return answer;
}

const promiseCache = new WeakMap<ts.Type, boolean>();
const thenableCache = new WeakMap<ts.Type, boolean>();

function computeIsPromise(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, options: PromiseTypeOptions): boolean {
  const constraint = type.isTypeParameter() ? checker.getBaseConstraintOfType(type) : undefined;
  const actual = checker.getApparentType(constraint ?? type);
  if ((actual.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return false;
  const parts = actual.isUnionOrIntersection() ? actual.types : [actual];
  return parts.some((part) => (options.thenables === true ? isThenable(checker, part) : isBuiltinPromise(program, checker, part, new Set())));
}

/**
 * Is this an array or tuple of promises (`items.map(async …)`, `[a(), b()]`)?
 *
 * @example
 * isPromiseArrayType(program, checker, checker.getTypeAtLocation(mapCall)); // true
 */
export function isPromiseArrayType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, options: PromiseTypeOptions = {}): boolean {
  const parts = (type.isUnion() ? type.types : [type]).map((part) => (part.isTypeParameter() ? (checker.getBaseConstraintOfType(part) ?? part) : part));
  return parts.some((part) => {
    if (checker.isArrayType(part)) {
      const [element] = checker.getTypeArguments(part as ts.TypeReference);
      return element !== undefined && isPromiseType(program, checker, element, options);
    }
    if (checker.isTupleType(part)) return checker.getTypeArguments(part as ts.TypeReference).some((element) => isPromiseType(program, checker, element, options));
    return false;
  });
}

/** Does calling a value of this type return a promise (an async function, `() => fetch(url)`)? */
export function returnsPromise(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, options: PromiseTypeOptions = {}): boolean {
  return type.getCallSignatures().some((signature) => isPromiseType(program, checker, checker.getReturnTypeOfSignature(signature), options));
}
