import ts from 'typescript';

import { functionName, isPromiseType, type FunctionNode } from '@loopguard/core/analysis';

import type { Boundary } from '../transforms/types.js';

/** Why a function cannot simply become async. */
export interface BoundaryReason {
  readonly reason: Boundary['reason'];
  readonly message: string;
}

/** Derived classes by the symbol of their base class, to find methods overridden elsewhere. */
export type SubclassIndex = ReadonlyMap<ts.Symbol, readonly ts.ClassLikeDeclaration[]>;

/** Where instances of a class are used as another type: the types `new C()` is assigned or passed to. */
export type InstanceSlots = (owner: ts.ClassLikeDeclaration) => readonly ts.Type[];

/**
 * Indexes `class B extends A` across the program.
 *
 * @example
 * const subclasses = indexSubclasses(files, checker);
 */
export function indexSubclasses(files: readonly ts.SourceFile[], checker: ts.TypeChecker): SubclassIndex {
  const index = new Map<ts.Symbol, ts.ClassLikeDeclaration[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const extendsClause = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
      const base = extendsClause?.types[0]?.expression;
      if (base !== undefined) {
        let symbol = checker.getSymbolAtLocation(base);
        if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
        if (symbol !== undefined) {
          const list = index.get(symbol) ?? [];
          list.push(node);
          index.set(symbol, list);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(file);
  return index;
}

function memberName(fn: ts.MethodDeclaration): string | undefined {
  return ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name) ? fn.name.text : undefined;
}

/**
 * What in a function's own declaration stops it from becoming async: its kind (constructor,
 * accessor, generator), overloads, a type-predicate return, a method that implements or overrides a
 * member declared elsewhere or is overridden, or a function callers outside the program may use.
 */
export function declarationBoundary(
  fn: FunctionNode,
  program: ts.Program,
  subclasses: SubclassIndex,
  instanceSlots: InstanceSlots,
  isPublicApi: (declaration: ts.Node) => boolean,
): BoundaryReason | undefined {
  const checker = program.getTypeChecker();
  const name = functionName(fn);
  if (ts.isConstructorDeclaration(fn)) {
    return { reason: 'constructor', message: `\`${name}\` is a constructor, which cannot be async. Move the blocking work into an async factory (\`static async create()\`) and convert it by hand.` };
  }
  if (ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
    return { reason: 'accessor', message: `\`${name}\` is a getter or setter, which cannot be async. Turn it into an async method and convert it by hand.` };
  }
  if (fn.asteriskToken !== undefined) {
    return { reason: 'generator', message: `\`${name}\` is a generator; an async generator changes how every consumer iterates it. Convert it by hand.` };
  }
  if (fn.type !== undefined && ts.isTypePredicateNode(fn.type)) {
    return { reason: 'type-predicate', message: `\`${name}\` returns a type predicate (\`${fn.type.getText()}\`), which an async function cannot. Split the check from the blocking work.` };
  }
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && hasOverloads(fn, checker)) {
    return { reason: 'overloads', message: `\`${name}\` has overload signatures; each would need its own \`Promise\` return type. Convert it by hand.` };
  }
  if (ts.isMethodDeclaration(fn) && (ts.isClassDeclaration(fn.parent) || ts.isClassExpression(fn.parent))) {
    const member = memberName(fn);
    if (member !== undefined) {
      const inherited = inheritedMember(fn.parent, member, checker);
      if (inherited !== undefined) {
        return { reason: 'implements-member', message: `\`${name}\` implements \`${inherited}\`, declared elsewhere with a sync signature that other implementations and callers rely on. Change the declaration first.` };
      }
      const structural = structuralMatch(fn.parent, member, program, instanceSlots);
      if (structural !== undefined) {
        return { reason: 'implements-member', message: `\`${name}\` satisfies \`${structural}\` structurally (instances can be used where it is expected, and called without \`await\`). Change that declaration first.` };
      }
      const override = overriddenIn(fn.parent, member, checker, subclasses);
      if (override !== undefined) {
        return { reason: 'overridden', message: `\`${name}\` is overridden by \`${override}\`, which would stay sync. Convert the class hierarchy by hand.` };
      }
    }
  }
  if (isPublicApi(fn)) {
    return { reason: 'public-api', message: `\`${name}\` is exported from the package's entry point, so callers outside this program would silently get a promise. Add an async variant and deprecate the sync one.` };
  }
  return undefined;
}

function hasOverloads(fn: ts.FunctionDeclaration | ts.MethodDeclaration, checker: ts.TypeChecker): boolean {
  const symbol = fn.name === undefined ? undefined : checker.getSymbolAtLocation(fn.name);
  return (symbol?.declarations ?? []).some((declaration) => declaration !== fn && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body === undefined);
}

function inheritedMember(owner: ts.ClassLikeDeclaration, member: string, checker: ts.TypeChecker): string | undefined {
  for (const clause of owner.heritageClauses ?? []) {
    for (const heritage of clause.types) {
      const type = checker.getTypeAtLocation(heritage);
      if (type.getProperty(member) !== undefined) return `${heritage.expression.getText()}.${member}`;
    }
  }
  return undefined;
}

function structuralMatch(owner: ts.ClassLikeDeclaration, member: string, program: ts.Program, instanceSlots: InstanceSlots): string | undefined {
  const checker = program.getTypeChecker();
  for (const expected of instanceSlots(owner)) {
    const slot = expected.getProperty(member);
    const declaration = slot?.valueDeclaration ?? slot?.declarations?.[0];
    if (slot === undefined || declaration === undefined) continue;
    // A slot that already returns a promise takes the async version too.
    const slotType = checker.getTypeOfSymbolAtLocation(slot, declaration);
    if (slotType.getCallSignatures().some((signature) => isPromiseType(program, checker, checker.getReturnTypeOfSignature(signature), { thenables: true }))) continue;
    return `${checker.typeToString(expected)}.${member}`;
  }
  return undefined;
}

function overriddenIn(owner: ts.ClassLikeDeclaration, member: string, checker: ts.TypeChecker, subclasses: SubclassIndex): string | undefined {
  const ownerSymbol = owner.name === undefined ? undefined : checker.getSymbolAtLocation(owner.name);
  if (ownerSymbol === undefined) return undefined;
  const seen = new Set<ts.Symbol>();
  const queue = [ownerSymbol];
  while (queue.length > 0) {
    const symbol = queue.shift();
    if (symbol === undefined || seen.has(symbol)) continue;
    seen.add(symbol);
    for (const derived of subclasses.get(symbol) ?? []) {
      const overriding = derived.members.some((candidate) => candidate.name !== undefined && !ts.isComputedPropertyName(candidate.name) && candidate.name.getText() === member);
      const derivedName = derived.name?.text ?? 'anonymous class';
      if (overriding) return `${derivedName}.${member}`;
      const derivedSymbol = derived.name === undefined ? undefined : checker.getSymbolAtLocation(derived.name);
      if (derivedSymbol !== undefined) queue.push(derivedSymbol);
    }
  }
  return undefined;
}

/**
 * Can a function that now returns a promise stand where `expression` is, a callback argument or a
 * value assigned to a typed slot? Only where the expected function type's result admits a promise
 * (`() => Promise<void> | void`, Vitest's test functions); a `void` or inferred result (`map`,
 * `sort`, `setTimeout`, event listeners) means the promise would be dropped or handed on unawaited.
 * Returns undefined when it can, else the reason it cannot.
 */
export function promiseAcceptingSlot(expression: ts.Expression, program: ts.Program, inTest = false): string | undefined {
  const checker = program.getTypeChecker();
  const expected = checker.getContextualType(expression);
  const where = describeSlot(expression);
  if (expected === undefined) return `it is used as a value (${where}), where a promise would go unnoticed`;
  const signatures = (expected.isUnion() ? expected.types : [expected]).flatMap((member) => member.getCallSignatures());
  if (signatures.length === 0) return `it is used as a value (${where}), where a promise would go unnoticed`;
  for (const signature of signatures) {
    const result = checker.getReturnTypeOfSignature(signature);
    const members = result.isUnion() ? result.types : [result];
    if (members.some((member) => isPromiseType(program, checker, member, { thenables: true }))) return undefined;
    // Test runners type their callbacks loosely (`Awaitable<any>`) and await what they return.
    if (inTest && members.some((member) => (member.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0)) return undefined;
  }
  const [first] = signatures;
  const result = first === undefined ? 'unknown' : checker.typeToString(checker.getReturnTypeOfSignature(first));
  return `it is passed as a callback (${where}) whose result is typed \`${result}\`, so its promise would be ignored or passed on unawaited`;
}

function describeSlot(expression: ts.Expression): string {
  let node: ts.Node = expression;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = parent.expression.getText();
    return `to \`${callee.length > 40 ? `${callee.slice(0, 37)}...` : callee}\``;
  }
  const text = parent.getText();
  return `\`${text.length > 50 ? `${text.slice(0, 47)}...` : text}\``;
}
