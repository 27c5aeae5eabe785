import ts from 'typescript';

/** How broadly "a promise" is understood. */
export interface PromiseTypeOptions {
  /** Any object with a callable `then` counts, not only `Promise`/`PromiseLike` and their subclasses. */
  readonly thenables?: boolean;
}

function isDefaultLibrary(program: ts.Program, declaration: ts.Declaration): boolean {
  return program.isSourceFileDefaultLibrary(declaration.getSourceFile());
}

function isBuiltinPromise(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, seen: Set<ts.Type>): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (symbol !== undefined && (symbol.name === 'Promise' || symbol.name === 'PromiseLike') && (symbol.declarations ?? []).some((declaration) => isDefaultLibrary(program, declaration))) {
    return true;
  }
  const target = (type as ts.TypeReference).target as ts.Type | undefined;
  const classLike = target !== undefined && target !== type ? target : type;
  if (classLike.isClassOrInterface()) return checker.getBaseTypes(classLike).some((base) => isBuiltinPromise(program, checker, base, seen));
  return false;
}

function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  const then = type.getProperty('then');
  if (then === undefined) return false;
  const declaration = then.valueDeclaration ?? then.declarations?.[0];
  const thenType = declaration === undefined ? checker.getTypeOfSymbol(then) : checker.getTypeOfSymbolAtLocation(then, declaration);
  return thenType.getCallSignatures().length > 0;
}

/**
 * Is this a promise: `Promise`, `PromiseLike` or a class extending them (with `thenables`, any
 * object with a callable `then`), alone or in a union or intersection. Type parameters are judged by
 * their constraint; `any` and `unknown` are not promises.
 *
 * @example
 * isPromiseType(program, checker, checker.getTypeAtLocation(callNode)); // true for fetch(url)
 */
export function isPromiseType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type, options: PromiseTypeOptions = {}): boolean {
  const constraint = type.isTypeParameter() ? checker.getBaseConstraintOfType(type) : undefined;
  const actual = constraint ?? type;
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
  const parts = type.isUnion() ? type.types : [type];
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
