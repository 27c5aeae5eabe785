import ts from 'typescript';

import { orderedScopeApis, type OrderedScopeApi } from '../registry/ordered-scopes.js';
import { areFreshConstantNames, assignmentOperator, bindingIdentifiers, declaredInLoop, encloses, forEachAssignedIdentifier, isReference, mayAssign } from './bindings.js';
import { callEffects, orderedByEffect } from './call-effects.js';
import { losesNarrowing, mutableRoot } from './callback-narrowing.js';
import { enclosingFunction, insideTest, isAsyncFunction, isFunctionNode, type FunctionNode } from './functions.js';
import type { HandlerIndex } from './handler-index.js';
import type { HandlerInfo } from './handlers.js';
import { findLocalDeclaration, skipWrappers } from './import-binding.js';
import { declaringPackage } from './lazy-query.js';
import { isInertMember, listMembers, memberValue, operandListOf, statementEvaluatingFirst, type OperandList } from './operand-lists.js';
import { typeAt } from './promise-types.js';

// The `typescript` module's exports are getters (its bundle re-exports them), looked up in an
// object of thousands of keys on every use: the walks below read each once, here.
const {
  NodeFlags, SignatureKind, SyntaxKind, TypeFlags, forEachChild, isArrayLiteralExpression,
  isAsExpression, isAwaitExpression, isBinaryExpression, isBlock, isBreakStatement,
  isCallExpression, isCaseBlock, isCaseClause, isClassDeclaration, isComputedPropertyName,
  isConditionalExpression, isContinueStatement, isDefaultClause, isDoStatement,
  isElementAccessExpression, isEmptyStatement, isExpressionStatement, isForInStatement,
  isForOfStatement, isForStatement, isFunctionDeclaration, isFunctionExpression, isIdentifier,
  isImportClause, isImportEqualsDeclaration, isImportSpecifier, isInterfaceDeclaration,
  isLabeledStatement, isLiteralExpression, isMethodDeclaration, isNamespaceImport, isNewExpression,
  isNonNullExpression, isNoSubstitutionTemplateLiteral, isObjectLiteralExpression, isParameter,
  isParenthesizedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression,
  isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isSatisfiesExpression,
  isShorthandPropertyAssignment, isSourceFile, isSpreadAssignment, isSpreadElement,
  isSwitchStatement, isTaggedTemplateExpression, isTemplateExpression, isThrowStatement,
  isTypeAliasDeclaration, isTypeOfExpression, isVariableDeclaration, isVariableDeclarationList,
  isVariableStatement, isWhileStatement,
} = ts;

/** One awaited statement of a sequence: `const x = await f()`, `const { a } = await f()`, `x = await f()`. */
export interface AwaitStep {
  readonly statement: ts.Statement;
  /** The awaited expression (`f()` of `await f()`). */
  readonly operand: ts.Expression;
  /** What receives the value: a binding name or pattern, or an assignment target. */
  readonly target: ts.BindingName | ts.Expression;
  /** `const`, `let`, `var`, or `assign` for an assignment to existing bindings. */
  readonly kind: 'const' | 'let' | 'var' | 'assign';
  /** The declared type (`const user: User = …`), if any. */
  readonly typeAnnotation: ts.TypeNode | undefined;
}

/** Awaits of one block, one after another, none using what an earlier one produced. */
export interface SequentialAwaits {
  readonly kind: 'sequence';
  readonly fn: FunctionNode;
  readonly handler: HandlerInfo | undefined;
  readonly steps: readonly AwaitStep[];
  /** Every statement from the first step to the last, in source order. */
  readonly statements: readonly ts.Statement[];
  /** Statements in between that use no awaited value: they go before the combined await. */
  readonly before: readonly ts.Statement[];
  /** Statements in between that derive from awaited values: they go after it. */
  readonly after: readonly ts.Statement[];
  /**
   * A step's call takes its type arguments from the type of what receives it
   * (`const users: User[] = await query(sql)` for a generic `query<T>`). Inside `Promise.all` they
   * would be inferred as `unknown`, so the rewrite hands the declared types to `Promise.all`, and
   * offers nothing for assignments, whose targets' types it cannot name.
   */
  readonly typedByTarget: boolean;
  /**
   * With `typedByTarget`: a step's value narrows its declared union (`const name: string | undefined
   * = await readName()` is a `string` from there on). `Promise.all` given the declared types would
   * return the whole union, and code after it relying on the narrowing would no longer type-check.
   */
  readonly narrowedByValue: boolean;
  /**
   * The last statement, when the last steps are awaited properties of an object literal in it
   * (`const user = await getUser(id); res.json({ user, posts: await getPosts(id) })`): those steps'
   * targets are the properties' keys, and the statement stays after the combined await with the
   * properties made shorthand. Undefined for a sequence of awaited statements only.
   */
  readonly literal: ts.Statement | undefined;
}

/** A `for…of` (or counting `for`) loop whose iterations await one after another, independently. */
export interface SequentialLoop {
  readonly kind: 'loop';
  readonly fn: FunctionNode;
  readonly handler: HandlerInfo | undefined;
  readonly loop: ts.ForOfStatement | ts.ForStatement;
  /** The awaits of the body, in source order. */
  readonly awaits: readonly ts.AwaitExpression[];
  /**
   * The body writes output or fills a collection in an order (`res.write(chunk)`, `results.push(v)`
   * after the await), other than the one-statement collecting forms (`list.push(await f(x))`).
   */
  readonly orderedEffects: boolean;
  /**
   * Where the body does that only in its last statement, one collecting call after every await
   * (`const row = await repo.find(id); rows.push(toDto(row));`): that call, and the bindings it reads.
   * The rewrite awaits every item's declarations together, then makes the call for each item in
   * order. Undefined when no rewrite keeps the order.
   */
  readonly inOrder: InOrderPart | undefined;
  /**
   * A name or member path the body reads that TypeScript narrows there but would not narrow inside
   * a callback (`req.user` after `if (!req.user) return`; `token` after `if (!token) return`,
   * assigned again after the loop): moved into the callback of a rewrite, the body would not
   * type-check, so none is made. Undefined for most loops.
   */
  readonly losesNarrowing: ts.Identifier | ts.Expression | undefined;
}

/** The collecting call that ends a loop body, made in order once every item's awaits are done. */
export interface InOrderPart {
  readonly call: ts.ExpressionStatement;
  /** The bindings of the iteration it reads (the loop's own, those declared before it), in order of declaration. */
  readonly carried: readonly ts.Identifier[];
}

/**
 * Awaits that are members of one object literal, array literal or argument list, evaluated one
 * after another though none can read another's value: `res.json({ user: await getUser(id), posts:
 * await getPosts(id) })`.
 */
export interface SequentialOperands {
  readonly kind: 'operands';
  readonly fn: FunctionNode;
  readonly handler: HandlerInfo | undefined;
  readonly list: OperandList;
  /** The awaits, in order: each a member of the list (a property's value, an element, an argument). */
  readonly awaits: readonly ts.AwaitExpression[];
  /**
   * The statement holding the list, when one combined await can go just before it: the list is an
   * object literal whose awaits are the values of named properties, the statement awaits nothing
   * else, and nothing it evaluates before the awaits has an effect. Undefined otherwise.
   */
  readonly statement: ts.Statement | undefined;
  /**
   * With `statement`: an awaited call is generic and may take its type from where the literal is
   * (`const body: Body = { users: await query(sql) }`); inside `Promise.all` it would not, so no
   * rewrite is made.
   */
  readonly typedByContext: boolean;
}

export type ConcurrencyFinding = SequentialAwaits | SequentialLoop | SequentialOperands;

/**
 * The awaited expressions of a sequence or of one literal's members, in order: what the report names
 * and the combined `Promise.all` runs.
 *
 * @example
 * awaitedOperands(finding).map((operand) => operand.getText()); // ['getProfile(id)', 'getPosts(id)']
 */
export function awaitedOperands(finding: SequentialAwaits | SequentialOperands): ts.Expression[] {
  return finding.kind === 'sequence' ? finding.steps.map((step) => step.operand) : finding.awaits.map((node) => node.expression);
}

/** Settings of the analysis; the lint rule's options map onto these. */
export interface ConcurrentAwaitOptions {
  /**
   * Callees whose awaits are left alone, as text patterns with `*` for any run of characters:
   * `db.*`, `*.lock`, `sendEmail`.
   */
  readonly ignore?: readonly string[];
  /** Report loops whose iterations could run together (default true). */
  readonly loops?: boolean;
  /**
   * The file's awaits, when the caller has walked the file already (the lint rule collects them in
   * ESLint's own traversal); else the analysis finds them.
   */
  readonly awaits?: readonly ts.AwaitExpression[];
}

/**
 * Finds independent awaits run one after another in handlers and async functions: two or more
 * awaited statements in one block where none reads a binding an earlier one wrote (directly,
 * through destructuring, or through a variable derived from it) and nothing between them lets an
 * awaited value decide whether a later await runs; and `for…of`/counting `for` loops whose
 * iterations await without carrying anything from one iteration to the next. Awaits inside a
 * transaction or lock callback, awaits next to a write (`db.orders.create(o)`: what it changed may
 * reach the other call through the database), awaits whose value is discarded (`await mkdir(dir)`:
 * done for an effect a later call may need) and ignored callees are left alone. The lint rule suggests the rewrite `planConcurrentRewrite` makes;
 * the `concurrent-awaits` codemod applies it.
 *
 * @example
 * findSequentialAwaits(sourceFile, program, handlerIndexFor(program)).map((finding) => finding.kind);
 */
export function findSequentialAwaits(sourceFile: ts.SourceFile, program: ts.Program | undefined, handlers: HandlerIndex | undefined, options: ConcurrentAwaitOptions = {}): ConcurrencyFinding[] {
  const findings: ConcurrencyFinding[] = [];
  // Most files have nothing to offer: no checker, no walk. One await is a finding only in a loop.
  if (!sourceFile.text.includes('await')) return findings;
  const fileAwaits = options.awaits ?? awaitsIn(sourceFile);
  if (fileAwaits.length < 2 && !loopKeyword.test(sourceFile.text)) return findings;
  // The checker is asked only when a method of a transaction or lock API takes a callback: other
  // files cost a walk of their syntax and nothing more.
  // A checker answers only about its own program's nodes: a file parsed apart from it gets none.
  let checker: ts.TypeChecker | null | undefined;
  const checkerOf = (): ts.TypeChecker | undefined => (checker ??= program?.getSourceFile(sourceFile.fileName) === sourceFile ? program.getTypeChecker() : null) ?? undefined;
  const ignore = (options.ignore ?? []).map(globToRegExp);
  const reads = new ReadIndex(sourceFile.text);

  // Per function, where its own awaits are (not those of functions nested in it): whether an
  // operand or a loop body awaits is a look-up in these instead of another walk.
  const awaitsByFunction = new Map<FunctionNode, ts.AwaitExpression[]>();
  const awaitsWithin = (fn: FunctionNode, node: ts.Node): ts.AwaitExpression[] => (awaitsByFunction.get(fn) ?? []).filter((candidate) => encloses(node, candidate));
  const awaitsInside = (fn: FunctionNode, node: ts.Node): boolean => (awaitsByFunction.get(fn) ?? []).some((candidate) => encloses(node, candidate));

  /**
   * Can no awaited call change the name's value? A `const`, a function, a class, a parameter or
   * `let` that nothing assigns: read after the awaits instead of before them, it reads the same.
   * An import may be another module's `export let`, and a global other than the stateless ones
   * (`JSON`, `undefined`) anything.
   */
  const stable = new Map<ts.Node, boolean>();
  const isStableName = (identifier: ts.Identifier): boolean => {
    const declaration = reads.declarationOf(identifier);
    if (declaration === undefined) return stateless.has(identifier.text);
    if (isImportClause(declaration) || isImportSpecifier(declaration) || isNamespaceImport(declaration) || isImportEqualsDeclaration(declaration)) return false;
    const root = mutableRoot(declaration);
    if (root === undefined) return true;
    let answer = stable.get(declaration);
    if (answer === undefined) {
      // A parameter's scope is its function; a `let`'s, the function or file around it (closures included).
      let container: ts.Node = root.parent;
      while (!isParameter(root) && !isSourceFile(container) && !isFunctionNode(container)) container = container.parent;
      let assigned = false;
      if (mayAssign(reads.textOf(container))) {
        forEachAssignedIdentifier(container, (target) => {
          assigned = target.text === identifier.text && reads.declarationOf(target) === declaration;
          return assigned;
        });
      }
      answer = !assigned;
      stable.set(declaration, answer);
    }
    return answer;
  };
  /** Does the node read a name some awaited call could change (outside functions it defines)? */
  const readsUnstableName = (node: ts.Node): boolean => {
    let found = false;
    const visit = (current: ts.Node): void => {
      if (found || (current !== node && isFunctionNode(current))) return;
      if (isIdentifier(current)) found = isReference(current) && !isStableName(current);
      else forEachChild(current, visit);
    };
    visit(node);
    return found;
  };
  const isInertHere = (member: ts.Node): boolean => isInertMember(member) && !readsUnstableName(member);

  // Grouping the block's awaits first and asking whether a closure reads a step's binding only of
  // the groups found: the closure check walks the whole function, and most groups end with one step.
  // A group with a step (other than its last) whose value a closure may read before the group ends
  // is grouped again with the check made per step: a group then ends before the first such closure
  // is created. The last step is free: until it is done, its binding is unset in either form.
  const visitBlock = (statements: ts.NodeArray<ts.Statement>, fn: FunctionNode): void => {
    const found = findings.length;
    groupBlock(statements, fn, false);
    if (findings.slice(found).some((finding) => finding.kind === 'sequence' && finding.steps.slice(0, -1).some((step) => captureLimit(step, fn, reads) < endOf(finding)))) {
      findings.length = found;
      groupBlock(statements, fn, true);
    }
  };

  const groupBlock = (statements: ts.NodeArray<ts.Statement>, fn: FunctionNode, checkCaptured: boolean): void => {
    const handler = handlers?.handlerOf(fn) ?? handlers?.enclosingHandler(fn)?.info;
    interface Pending {
      readonly statement: ts.Statement;
      readonly derived: boolean;
    }
    interface Group {
      readonly steps: AwaitStep[];
      readonly statements: ts.Statement[];
      readonly before: ts.Statement[];
      readonly after: ts.Statement[];
      readonly tainted: Set<ts.Identifier>;
      pending: Pending[];
      /** Where the first closure reading one of its steps' bindings is created: the group ends before it. */
      limit: number;
      /** The statement whose awaited properties ended the group, if one did. */
      literal?: ts.Statement;
    }
    let group: Group | undefined;
    const close = (): void => {
      if (group !== undefined && group.steps.length >= 2) {
        const typedByTarget = group.steps.some((step) => isTypedByTarget(step, checkerOf));
        const narrowedByValue = typedByTarget && group.steps.some((step) => isNarrowedByValue(step, checkerOf));
        findings.push({ kind: 'sequence', fn, handler, steps: group.steps, statements: group.statements, before: group.before, after: group.after, typedByTarget, narrowedByValue, literal: group.literal });
      }
      group = undefined;
    };
    /** Adds the statements waiting in between to the group, now that another await follows them. */
    const flush = (current: Group): void => {
      for (const between of current.pending) {
        current.statements.push(between.statement);
        (between.derived ? current.after : current.before).push(between.statement);
      }
      current.pending = [];
    };
    const start = (step: AwaitStep, limit: number): Group => ({ steps: [step], statements: [step.statement], before: [], after: [], tainted: new Set(reads.written(step)), pending: [], limit });
    for (const statement of statements) {
      const step = awaitStepOf(statement);
      if (step !== undefined && startsWork(step.operand) && !isIgnored(step.operand, ignore) && !awaitsInside(fn, step.operand)) {
        const limit = checkCaptured ? captureLimit(step, fn, reads) : Infinity;
        if (group === undefined) {
          group = start(step, limit);
          continue;
        }
        const current: Group = group;
        const first = current.steps[0];
        const dependent =
          first?.kind !== step.kind ||
          // A closure reading an earlier step's value exists by the end of this one: it could run before that value.
          statement.end > current.limit ||
          // A value derived from an earlier await (also by a statement in between) is read.
          reads.readsAny(step.operand, current.tainted) ||
          (step.kind === 'assign' && reads.readsAny(step.target, current.tainted)) ||
          current.steps.some((earlier) => orderedByEffect(earlier.operand, step.operand));
        if (dependent) {
          close();
          group = start(step, limit);
          continue;
        }
        // The statements in between join the rewrite only now that an await follows them.
        flush(current);
        current.steps.push(step);
        current.statements.push(statement);
        current.limit = Math.min(current.limit, limit);
        for (const written of reads.written(step)) current.tainted.add(written);
        continue;
      }
      if (group === undefined) continue;
      // A type declared in between goes before the combined await, where the code after it still sees it.
      if (isNeutral(statement)) {
        group.pending.push({ statement, derived: false });
        continue;
      }
      // A statement whose awaits are properties of one object literal (`res.json({ user, posts: await
      // getPosts(id) })`) joins the group as its last steps, and ends it: the statement itself runs after.
      const literalSteps = literalStatements.has(statement) ? literalStepsOf(statement, fn) : undefined;
      if (
        literalSteps !== undefined &&
        // Only where the sequence keeps a rewrite: declared types it cannot combine with the
        // literal's would cost the literal its own.
        group.steps.every((step) => step.kind === 'const' && step.typeAnnotation === undefined) &&
        (isTypeScript(sourceFile) || !group.statements.some((candidate) => /@(?:type|satisfies)\b/.test(reads.textOf(candidate)))) &&
        statement.end <= group.limit &&
        !literalSteps.some((literalStep) => reads.readsAny(literalStep.operand, group?.tainted ?? new Set()) || (group?.steps ?? []).some((earlier) => orderedByEffect(earlier.operand, literalStep.operand)))
      ) {
        flush(group);
        group.steps.push(...literalSteps);
        group.statements.push(statement);
        group.literal = statement;
        close();
        continue;
      }
      // A name an awaited call could change (`const m = mode` after `switchMode()`) would be read
      // before or after every await, not between: it ends the group.
      if (isPureDeclaration(statement) && !readsUnstableName(statement)) {
        // A member read may observe state an earlier await changed (`session.token` after `refresh()`): it goes after.
        const derived = reads.readsAny(statement, group.tainted) || readsMembers(statement, reads);
        group.pending.push({ statement, derived });
        if (derived) for (const declared of reads.declared(statement)) group.tainted.add(declared);
        continue;
      }
      close();
    }
    close();
  };

  const visitLoop = (loop: ts.ForOfStatement | ts.ForStatement, fn: FunctionNode): void => {
    if (options.loops === false) return;
    if (isForOfStatement(loop) && loop.awaitModifier !== undefined) return;
    if (isLabeledStatement(loop.parent)) return;
    const awaits = awaitsWithin(fn, loop.statement);
    if (awaits.length === 0 || awaits.some((node) => isIgnored(node.expression, ignore))) return;
    if (exitsLoop(loop.statement, reads)) return;
    // An await in the loop's own binding (`for (const [x = await f()] of …)`) cannot move into a callback.
    if (isForOfStatement(loop) && awaitsInside(fn, loop.initializer)) return;
    // A queue the loop itself grows (a crawler pushing links to the list it walks): carried state.
    if (isForOfStatement(loop) && growsOwnIterable(loop, reads)) return;
    // Carried state: a binding declared outside the loop and assigned inside it (a cursor, an accumulator).
    if (assignsOuterBinding(loop, reads)) return;
    if (isForStatement(loop) && !isCountingLoop(loop)) return;
    // The same write repeated on one target (`db.insert(row)` per row) is ordered by intent.
    if (awaits.some((node) => isWriteCall(node.expression))) return;
    // Iterations that use one transaction share its connection: they run one at a time anyway.
    if (awaits.some((node) => callEffects(node.expression).inTransaction)) return;
    // A collection declared outside, changed and read (`if (!seen.has(id)) … seen.add(id)`): carried state.
    if (sharesOuterCollection(loop, reads)) return;
    // The outermost loop is the one to rewrite: a loop inside a reported one is part of its rewrite.
    if (findings.some((finding) => finding.kind === 'loop' && finding.loop.pos <= loop.pos && loop.end <= finding.loop.end)) return;
    // Asked last, as of blocks: most loops carry state, found without looking at the function.
    if (!isEligible(fn)) return;
    const handler = handlers?.handlerOf(fn) ?? handlers?.enclosingHandler(fn)?.info;
    // Output or collections filled in order (`res.write(chunk)`, `results.push(n)` after the await):
    // still independent, but a rewrite would change the order, so none is offered.
    const orderedEffects = mutatesOuterInOrder(loop, reads);
    const inOrder = orderedEffects ? inOrderPart(loop, awaits, reads) : undefined;
    // Asked only of loops a rewrite would move into a callback.
    const narrowing = isForOfStatement(loop) && (!orderedEffects || inOrder !== undefined) ? losesNarrowing(loop, fn, reads, checkerOf, program?.getCompilerOptions().noUncheckedIndexedAccess === true) : undefined;
    findings.push({ kind: 'loop', fn, handler, loop, awaits, orderedEffects, inOrder, losesNarrowing: narrowing });
  };

  // The members of a list are evaluated in order, like statements: its awaits are grouped as a
  // block's are, each group ending at a write, an await that is not a step, or a member with effects.
  const visitList = (list: OperandList, members: readonly ts.AwaitExpression[], fn: FunctionNode): void => {
    const groups: ts.AwaitExpression[][] = [];
    let group: ts.AwaitExpression[] = [];
    const close = (): void => {
      if (group.length >= 2) groups.push(group);
      group = [];
    };
    for (const member of listMembers(list)) {
      const value = memberValue(member);
      const awaited = value === undefined ? undefined : members.find((node) => node === value);
      if (awaited !== undefined) {
        const operand = awaited.expression;
        if (!startsWork(operand) || isIgnored(operand, ignore) || awaitsInside(fn, operand)) {
          close();
          continue;
        }
        if (group.some((earlier) => orderedByEffect(earlier.expression, operand))) close();
        group.push(awaited);
        continue;
      }
      // A member with an effect between two awaits would run after both in a rewrite.
      if (!isPureMember(member)) close();
    }
    close();
    if (groups.length === 0 || !isEligible(fn)) return;
    const handler = handlers?.handlerOf(fn) ?? handlers?.enclosingHandler(fn)?.info;
    for (const awaits of groups) {
      const statement = groups.length === 1 ? hoistingStatement(list, awaits, fn) : undefined;
      const typedByContext = statement !== undefined && awaits.some((node) => isGenericCall(node.expression, checkerOf));
      findings.push({ kind: 'operands', fn, handler, list, awaits, statement, typedByContext });
    }
  };

  /**
   * The statement a combined await can go before: every await of the statement is in the group,
   * the list is an object literal of named properties, and what the statement evaluates before the
   * awaits (the callee of `res.json(…)`, the target of `ctx.body = …`, members before them) has no effect.
   */
  const hoistingStatement = (list: OperandList, awaits: readonly ts.AwaitExpression[], fn: FunctionNode): ts.Statement | undefined => {
    if (!isObjectLiteralExpression(list) || awaits.some((node) => !isPropertyAssignment(node.parent) || !isIdentifier(node.parent.name))) return undefined;
    // Members before the last await would be evaluated after every await: only values no await can change.
    const last = awaits.at(-1)?.parent;
    const members = listMembers(list);
    if (last === undefined || !members.slice(0, members.indexOf(last)).every((member) => awaits.some((node) => node.parent === member) || isInertHere(member))) return undefined;
    const statement = statementEvaluatingFirst(list, isInertHere);
    if (statement === undefined || awaitsWithin(fn, statement).length !== awaits.length) return undefined;
    return statement;
  };

  /**
   * The awaited properties of the one object literal of a statement, as steps a sequence can end
   * with: each a call that starts work, none generic (it could take its type from where the literal
   * goes), none a write after another, the statement one a combined await can go before, and every
   * key free to name a constant.
   */
  const literalStepsOf = (statement: ts.Statement, fn: FunctionNode): AwaitStep[] | undefined => {
    const list = literalStatements.get(statement);
    const awaits = list === undefined ? undefined : lists.get(list)?.awaits;
    if (list === undefined || awaits === undefined || hoistingStatement(list, awaits, fn) !== statement) return undefined;
    const keys: ts.Identifier[] = [];
    for (const [index, node] of awaits.entries()) {
      const operand = node.expression;
      if (!startsWork(operand) || isIgnored(operand, ignore) || awaitsInside(fn, operand) || awaits.slice(0, index).some((earlier) => orderedByEffect(earlier.expression, operand))) return undefined;
      keys.push((node.parent as ts.PropertyAssignment).name as ts.Identifier);
    }
    if (awaits.some((node) => isGenericCall(node.expression, checkerOf)) || !areFreshConstantNames(keys, fn, sourceFile)) return undefined;
    return awaits.map((node, index) => ({ statement, operand: node.expression, target: keys[index] ?? node.expression, kind: 'const', typeAnnotation: undefined }));
  };

  // Only the blocks and loops that hold an await can hold a finding: each is analysed once.
  const eligible = new Map<FunctionNode, boolean>();
  const isEligible = (fn: FunctionNode): boolean => {
    let answer = eligible.get(fn);
    if (answer === undefined) {
      // Asked once per function, for its blocks and its loops alike (a loop's function is its await's).
      answer = isAsyncFunction(fn) && !isGenerator(fn) && !insideTest(fn) && !insideOrderedScope(fn, program === undefined ? undefined : checkerOf);
      eligible.set(fn, answer);
    }
    return answer;
  };
  // Per block, how many of its statements await: a sequence needs two.
  const blocks = new Map<ts.Block | ts.CaseClause | ts.DefaultClause, { fn: FunctionNode; statements: Set<ts.Node> }>();
  const loops = new Map<ts.ForOfStatement | ts.ForStatement, FunctionNode>();
  // Per object literal, array literal or argument list, the awaits that are its members.
  const lists = new Map<OperandList, { fn: FunctionNode; awaits: ts.AwaitExpression[] }>();
  // Per statement of a block, the object literal its awaits are properties of (undefined for two literals).
  const literalStatements = new Map<ts.Node, ts.ObjectLiteralExpression | undefined>();
  for (const node of fileAwaits) {
    // One walk up: the block the await's statement is in, the loops around it, its function.
    // A switch on each ancestor's kind: this runs for every await of every file linted.
    let block: ts.Block | ts.CaseClause | ts.DefaultClause | undefined;
    let statement: ts.Node | undefined;
    let around: (ts.ForOfStatement | ts.ForStatement)[] | undefined;
    let fn: FunctionNode | undefined;
    for (let child: ts.Node = node, current: ts.Node = node.parent; fn === undefined && current.kind !== SyntaxKind.SourceFile; child = current, current = current.parent) {
      switch (current.kind) {
        case SyntaxKind.Block:
        case SyntaxKind.CaseClause:
        case SyntaxKind.DefaultClause:
          if (block === undefined) {
            block = current as ts.Block | ts.CaseClause | ts.DefaultClause;
            statement = child;
          }
          break;
        case SyntaxKind.ForOfStatement:
        case SyntaxKind.ForStatement:
          (around ??= []).push(current as ts.ForOfStatement | ts.ForStatement);
          break;
        default:
          if (isFunctionNode(current)) fn = current;
      }
    }
    // Whether the function qualifies is asked later, of candidates only: most blocks hold one await.
    if (fn === undefined) continue;
    const own = awaitsByFunction.get(fn);
    if (own === undefined) awaitsByFunction.set(fn, [node]);
    else own.push(node);
    if (block !== undefined && statement !== undefined) {
      const entry = blocks.get(block) ?? { fn, statements: new Set<ts.Node>() };
      entry.statements.add(statement);
      blocks.set(block, entry);
    }
    if (around !== undefined) for (const loop of around) loops.set(loop, fn);
    const list = operandListOf(node);
    if (list !== undefined && isObjectLiteralExpression(list) && statement !== undefined) {
      literalStatements.set(statement, literalStatements.has(statement) && literalStatements.get(statement) !== list ? undefined : list);
    }
    if (list !== undefined) {
      const members = lists.get(list);
      if (members === undefined) lists.set(list, { fn, awaits: [node] });
      else members.awaits.push(node);
    }
  }
  // Blocks in any order (findings are sorted at the end); loops outer first.
  for (const [block, { fn, statements }] of blocks) {
    // A sequence needs two statements of the awaited forms (`const x = await f()`, `x = await f()`).
    if (statements.size < 2 || countSteps(statements, literalStatements) < 2) continue;
    // Whether the function qualifies (async, no test, no transaction) is asked of what it would report:
    // most blocks of two awaits are a dependent chain, found without looking at the function.
    const found = findings.length;
    visitBlock(block.statements, fn);
    if (findings.length > found && !isEligible(fn)) findings.length = found;
  }
  // Outer loops first: a loop inside a reported one is part of its rewrite.
  for (const [loop, fn] of [...loops].sort(([a], [b]) => a.pos - b.pos)) visitLoop(loop, fn);
  // A literal whose awaits ended a sequence is part of its rewrite.
  const merged = new Set(findings.flatMap((finding) => (finding.kind === 'sequence' && finding.literal !== undefined ? [literalStatements.get(finding.literal)] : [])));
  for (const [list, { fn, awaits }] of lists) if (awaits.length >= 2 && !merged.has(list as ts.ObjectLiteralExpression)) visitList(list, awaits, fn);
  return findings.sort((a, b) => startOf(a) - startOf(b));
}

/** Statements of the awaited forms, and statements awaiting properties of an object literal (at most one, last). */
function countSteps(statements: ReadonlySet<ts.Node>, literalStatements: ReadonlyMap<ts.Node, unknown>): number {
  let count = 0;
  let literal = false;
  for (const statement of statements) {
    if (awaitStepOf(statement as ts.Statement) !== undefined) count += 1;
    else if (literalStatements.has(statement)) literal = true;
  }
  return count === 0 ? 0 : count + (literal ? 1 : 0);
}

const loopKeyword = /\b(?:for|while)\b/;

/** Every `await` of a file, for callers without a traversal of their own (the codemod). */
function awaitsIn(sourceFile: ts.SourceFile): ts.AwaitExpression[] {
  const found: ts.AwaitExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (isAwaitExpression(node)) found.push(node);
    forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Where a finding is reported, for ordering: statements never share their leading trivia, so `pos` orders as their starts do. */
function startOf(finding: ConcurrencyFinding): number {
  if (finding.kind === 'sequence') return (finding.steps[1]?.statement ?? finding.fn).pos;
  return finding.kind === 'loop' ? finding.loop.pos : (finding.awaits[1] ?? finding.list).pos;
}

/** The await a statement is made of, when it is one of the forms a rewrite can combine. */
export function awaitStepOf(statement: ts.Statement): AwaitStep | undefined {
  if (isVariableStatement(statement)) {
    const list = statement.declarationList;
    if (list.declarations.length !== 1) return undefined;
    const [declaration] = list.declarations;
    if (declaration?.initializer === undefined) return undefined;
    const initializer = skipParentheses(declaration.initializer);
    if (!isAwaitExpression(initializer)) return undefined;
    const flags = list.flags;
    // `await using` carries the const bit too: disposables are left alone.
    const kind = (flags & NodeFlags.Using) !== 0 ? undefined : (flags & NodeFlags.Const) !== 0 ? 'const' : (flags & NodeFlags.Let) !== 0 ? 'let' : 'var';
    if (kind === undefined) return undefined;
    return { statement, operand: initializer.expression, target: declaration.name, kind, typeAnnotation: declaration.type };
  }
  if (isExpressionStatement(statement)) {
    const expression = skipParentheses(statement.expression);
    if (!isBinaryExpression(expression) || expression.operatorToken.kind !== SyntaxKind.EqualsToken) return undefined;
    const right = skipParentheses(expression.right);
    if (!isAwaitExpression(right)) return undefined;
    const left = expression.left;
    // `this.token = await …` writes state a later await may read through `this`: not combined.
    if (!isIdentifier(left)) return undefined;
    return { statement, operand: right.expression, target: left, kind: 'assign', typeAnnotation: undefined };
  }
  return undefined;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let current = node;
  while (isParenthesizedExpression(current)) current = current.expression;
  return current;
}

/** Is there an `await` (or `for await`) in the node, outside nested functions? */
export function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || isFunctionNode(current)) return;
    if (isAwaitExpression(current) || (isForOfStatement(current) && current.awaitModifier !== undefined)) found = true;
    else forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Type declarations and empty statements change nothing at run time. */
function isNeutral(statement: ts.Statement): boolean {
  return isEmptyStatement(statement) || isTypeAliasDeclaration(statement) || isInterfaceDeclaration(statement);
}

/**
 * A declaration whose initialisers cannot throw on their own account or have effects: names,
 * literals, member reads, templates, arithmetic, object and array literals of those, functions.
 * Moving it before or after a combined await changes nothing but when it runs.
 */
function isPureDeclaration(statement: ts.Statement): boolean {
  if (!isVariableStatement(statement) || (statement.declarationList.flags & NodeFlags.Using) !== 0) return false;
  return statement.declarationList.declarations.every((declaration) => declaration.initializer === undefined || isPureExpression(declaration.initializer));
}

function isPureExpression(node: ts.Expression): boolean {
  if (isIdentifier(node) || isLiteralExpression(node) || isNoSubstitutionTemplateLiteral(node) || isFunctionNode(node)) return true;
  switch (node.kind) {
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
    case SyntaxKind.ThisKeyword:
      return true;
    default:
      break;
  }
  if (isParenthesizedExpression(node) || isAsExpression(node) || isSatisfiesExpression(node) || isNonNullExpression(node) || isTypeOfExpression(node)) {
    return isPureExpression(node.expression);
  }
  if (isPropertyAccessExpression(node)) return isPureExpression(node.expression);
  if (isElementAccessExpression(node)) return isPureExpression(node.expression) && isPureExpression(node.argumentExpression);
  if (isTemplateExpression(node)) return node.templateSpans.every((span) => isPureExpression(span.expression));
  if (isPrefixUnaryExpression(node)) return node.operator !== SyntaxKind.PlusPlusToken && node.operator !== SyntaxKind.MinusMinusToken && isPureExpression(node.operand);
  if (isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator >= SyntaxKind.FirstAssignment && operator <= SyntaxKind.LastAssignment) return false;
    return isPureExpression(node.left) && isPureExpression(node.right);
  }
  if (isConditionalExpression(node)) return isPureExpression(node.condition) && isPureExpression(node.whenTrue) && isPureExpression(node.whenFalse);
  if (isArrayLiteralExpression(node)) return node.elements.every((element) => isPureExpression(isSpreadElement(element) ? element.expression : element));
  if (isObjectLiteralExpression(node)) {
    return node.properties.every((property) => {
      if (isShorthandPropertyAssignment(property)) return true;
      if (isPropertyAssignment(property)) return (!isComputedPropertyName(property.name) || isPureExpression(property.name.expression)) && isPureExpression(property.initializer);
      if (isSpreadAssignment(property)) return isPureExpression(property.expression);
      return isMethodDeclaration(property);
    });
  }
  return false;
}

/** The text of what an await calls: `db.users.insert` of `await db.users.insert(row)`. */
function calleeText(operand: ts.Expression): string | undefined {
  const inner = skipWrappers(operand);
  return isCallExpression(inner) || isNewExpression(inner) ? pathText(inner.expression) : undefined;
}

/** A chain of names as text (`db.users.insert`, `this.cache`, `client.().get` for a call in it); undefined past anything else. */
function pathText(expression: ts.Expression): string | undefined {
  const parts: string[] = [];
  let current: ts.Expression = skipWrappers(expression);
  for (;;) {
    if (isIdentifier(current)) {
      parts.unshift(current.text);
      return parts.join('.');
    }
    if (current.kind === SyntaxKind.ThisKeyword) {
      parts.unshift('this');
      return parts.join('.');
    }
    if (isPropertyAccessExpression(current)) {
      parts.unshift(current.name.text);
      current = skipWrappers(current.expression);
      continue;
    }
    if (isCallExpression(current)) {
      current = skipWrappers(current.expression);
      parts.unshift('()');
      continue;
    }
    return undefined;
  }
}

function isIgnored(operand: ts.Expression, ignore: readonly RegExp[]): boolean {
  if (ignore.length === 0) return false;
  const text = calleeText(operand);
  return text !== undefined && ignore.some((pattern) => pattern.test(text));
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** A call of a write-like method on a receiver: `db.users.insert(row)`, `cache.set(key, value)`. */
function isWriteCall(operand: ts.Expression): boolean {
  // A receiver the callee text can name (an identifier or `this` at its root).
  return callEffects(operand).writes && calleeText(operand) !== undefined;
}

/** Is the node inside a callback handed to a transaction or lock API (`prisma.$transaction(async (tx) => …)`)? */
function insideOrderedScope(node: ts.Node, checkerOf: (() => ts.TypeChecker | undefined) | undefined): boolean {
  for (let fn = isFunctionNode(node) ? node : enclosingFunction(node); fn !== undefined; fn = enclosingFunction(fn)) {
    const call = fn.parent;
    if (!isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) continue;
    const callee = skipWrappers(call.expression);
    if (!isPropertyAccessExpression(callee)) continue;
    const apis = orderedScopeApisByMethod.get(callee.name.text);
    if (apis === undefined) continue;
    const checker = checkerOf?.();
    if (checker === undefined) return true;
    const packages = declaringPackages(typeAt(checker, callee.expression));
    // An untyped receiver (any), or one the project declares itself (its own transaction wrapper),
    // still names the API: better quiet than a wrong rewrite inside a transaction.
    if (packages === undefined || packages.size === 0 || apis.some((api) => api.packages.some((name) => [...packages].some((owner) => owner === name || owner.startsWith(`${name}/`))))) return true;
  }
  return false;
}

const orderedScopeApisByMethod = new Map<string, OrderedScopeApi[]>();
for (const api of orderedScopeApis) orderedScopeApisByMethod.set(api.method, [...(orderedScopeApisByMethod.get(api.method) ?? []), api]);

function declaringPackages(type: ts.Type): Set<string> | undefined {
  if ((type.flags & (TypeFlags.Any | TypeFlags.Unknown)) !== 0) return undefined;
  const names = new Set<string>();
  const parts = type.isUnionOrIntersection() ? type.types : [type];
  for (const part of parts) {
    for (const symbol of [part.getSymbol(), part.aliasSymbol]) {
      for (const declaration of symbol?.declarations ?? []) {
        const name = declaringPackage(declaration);
        if (name !== undefined) names.add(name);
      }
    }
  }
  return names;
}

/** Does the loop body leave the loop (or the function) depending on what happens inside? */
function exitsLoop(body: ts.Statement, reads: ReadIndex): boolean {
  if (!exitKeywords.test(reads.textOf(body))) return false;
  let exits = false;
  const visit = (node: ts.Node, nestedLoop: boolean): void => {
    if (exits || isFunctionNode(node)) return;
    if (isReturnStatement(node) || isThrowStatement(node)) exits = true;
    else if (isBreakStatement(node) && (!nestedLoop || node.label !== undefined)) exits = true;
    else if (isContinueStatement(node) && node.label !== undefined) exits = true;
    else if (isSwitchStatement(node)) {
      forEachChild(node, (child) => {
        visitSwitch(child, nestedLoop);
      });
    } else {
      forEachChild(node, (child) => {
        visit(child, nestedLoop || isLoop(child));
      });
    }
  };
  // A `break` inside a switch leaves the switch, not the loop.
  const visitSwitch = (node: ts.Node, nestedLoop: boolean): void => {
    if (isBreakStatement(node) && node.label === undefined) return;
    if (isCaseBlock(node) || isCaseClause(node) || isDefaultClause(node)) {
      forEachChild(node, (child) => {
        visitSwitch(child, nestedLoop);
      });
      return;
    }
    visit(node, nestedLoop);
  };
  visit(body, false);
  return exits;
}

const exitKeywords = /\b(?:return|throw|break|continue)\b/;

function isLoop(node: ts.Node): boolean {
  return isForStatement(node) || isForOfStatement(node) || isForInStatement(node) || isWhileStatement(node) || isDoStatement(node);
}

/** `for (let i = start; i < end; i++)`: a counter nothing but the header changes. */
function isCountingLoop(loop: ts.ForStatement): boolean {
  const initializer = loop.initializer;
  if (initializer === undefined || !isVariableDeclarationList(initializer) || initializer.declarations.length !== 1) return false;
  const [declaration] = initializer.declarations;
  if (declaration === undefined || !isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  const incrementor = loop.incrementor;
  if (incrementor === undefined) return false;
  const updatesCounter =
    ((isPostfixUnaryExpression(incrementor) || isPrefixUnaryExpression(incrementor)) && isIdentifier(incrementor.operand) && incrementor.operand.text === name) ||
    (isBinaryExpression(incrementor) && isIdentifier(incrementor.left) && incrementor.left.text === name);
  return updatesCounter;
}

/** Does the node read a binding declared inside the loop? */
function readsLoopBinding(node: ts.Node, loop: ts.ForOfStatement | ts.ForStatement): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (isIdentifier(current)) {
      if (isReference(current) && declaredInLoop(current, loop)) found = true;
      return;
    }
    forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Does the loop body assign a binding declared outside the loop (or the counter)? */
function assignsOuterBinding(loop: ts.ForOfStatement | ts.ForStatement, reads: ReadIndex): boolean {
  // Most loop bodies assign nothing: no walk when the text has no assignment operator.
  if (!assignmentOperator.test(reads.textOf(loop.statement))) return false;
  let assigns = false;
  const isOuter = (target: ts.Expression): boolean => {
    const inner = skipParentheses(target);
    if (isIdentifier(inner)) return !declaredInLoop(inner, loop);
    // `state.cursor = …`, `this.page = …`: state carried in an object declared outside the loop.
    if (isPropertyAccessExpression(inner) || isElementAccessExpression(inner)) {
      const root = rootOf(inner);
      return root === undefined || !declaredInLoop(root, loop);
    }
    if (isArrayLiteralExpression(inner)) return inner.elements.some((element) => isOuter(isSpreadElement(element) ? element.expression : element));
    if (isObjectLiteralExpression(inner)) {
      return inner.properties.some((property) =>
        isShorthandPropertyAssignment(property) ? isOuter(property.name) : isPropertyAssignment(property) ? isOuter(property.initializer) : isSpreadAssignment(property) && isOuter(property.expression),
      );
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (assigns) return;
    if (isBinaryExpression(node) && node.operatorToken.kind >= SyntaxKind.FirstAssignment && node.operatorToken.kind <= SyntaxKind.LastAssignment && isOuter(node.left)) assigns = true;
    else if ((isPrefixUnaryExpression(node) || isPostfixUnaryExpression(node)) && (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken) && isOuter(node.operand)) {
      assigns = true;
    } else forEachChild(node, visit);
  };
  visit(loop.statement);
  return assigns;
}

/**
 * Which bindings a node reads and writes. Bindings are kept as the identifiers that declare them and
 * compared by name first; identifiers spelled alike are resolved through their scopes (the same
 * walk JavaScript does), so a parameter that shadows an awaited name is not a read of it. No type
 * checker is needed: local bindings are all this asks about.
 */
class ReadIndex {
  readonly #declarations = new Map<ts.Identifier, ts.Node | undefined>();
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** Could the node call an order-sensitive method (`.push(`, `.write(`)? A test of its text. */
  callsOrderedMethod(node: ts.Node): boolean {
    const text = this.textOf(node);
    return orderedMethodCall.test(text) || text.includes('\\u');
  }

  /** The node's source text, with its leading trivia. */
  textOf(node: ts.Node): string {
    return this.#text.slice(node.pos, node.end);
  }

  /** Does the node's source text spell one of the names (a cheap test before walking it)? */
  mentionsAny(node: ts.Node, names: Iterable<ts.Identifier>): boolean {
    const text = this.textOf(node);
    for (const name of names) if (text.includes(name.text)) return true;
    // A name may be spelled with a Unicode escape (`\u0061` for `a`): the walk decides then.
    return text.includes('\\u');
  }

  /** The node declaring the binding an identifier refers to, when the file declares it. */
  declarationOf(identifier: ts.Identifier): ts.Node | undefined {
    if (this.#declarations.has(identifier)) return this.#declarations.get(identifier);
    const declaration = findLocalDeclaration(identifier);
    this.#declarations.set(identifier, declaration);
    return declaration;
  }

  /** Does `reference` denote the binding one of `declarations` declares? */
  sameBindingAsAny(reference: ts.Identifier, declarations: readonly ts.Identifier[]): boolean {
    const candidates = declarations.filter((declaration) => declaration.text === reference.text);
    if (candidates.length === 0) return false;
    const target = this.declarationOf(reference);
    // A declaring name's binding is its own declaration, unless an earlier one declared the name
    // first (`var` twice): the own one is checked first, without a walk.
    return candidates.some((candidate) => candidate.parent === target || this.declarationOf(candidate) === target);
  }

  /** The identifiers of the bindings a step writes (an assignment's target is an identifier: see `awaitStepOf`). */
  written(step: AwaitStep): ts.Identifier[] {
    return isIdentifier(step.target) ? [step.target] : bindingIdentifiers(step.target as ts.BindingName);
  }

  /** The identifiers a declaration statement declares. */
  declared(statement: ts.Statement): ts.Identifier[] {
    if (!isVariableStatement(statement)) return [];
    return statement.declarationList.declarations.flatMap((declaration) => bindingIdentifiers(declaration.name));
  }

  /** Does the node read any of these bindings (also from closures inside it)? */
  readsAny(node: ts.Node, keys: ReadonlySet<ts.Identifier>): boolean {
    // Most nodes asked about never spell the names: no walk for them.
    if (keys.size === 0 || !this.mentionsAny(node, keys)) return false;
    const declarations = [...keys];
    const names = new Set(declarations.map((key) => key.text));
    let found = false;
    const visit = (current: ts.Node): void => {
      if (found) return;
      if (isIdentifier(current) && names.has(current.text) && isReference(current) && !declarations.includes(current)) {
        if (this.sameBindingAsAny(current, declarations)) found = true;
        return;
      }
      forEachChild(current, visit);
    };
    visit(node);
    return found;
  }
}

/** A member evaluated without effects: `id`, `total: rows.length`, `...defaults`, a method. */
function isPureMember(member: ts.Node): boolean {
  if (isShorthandPropertyAssignment(member) || isMethodDeclaration(member) || member.kind === SyntaxKind.GetAccessor || member.kind === SyntaxKind.SetAccessor) return true;
  if (isPropertyAssignment(member)) return (!isComputedPropertyName(member.name) || isPureExpression(member.name.expression)) && isPureExpression(member.initializer);
  if (isSpreadAssignment(member) || isSpreadElement(member)) return isPureExpression(member.expression);
  return member.kind === SyntaxKind.OmittedExpression || isPureExpression(member as ts.Expression);
}

/**
 * Is the awaited call generic, with no type arguments? It may take them from where its value goes
 * (a typed variable the literal is assigned to, a typed parameter it is passed to).
 */
function isGenericCall(operand: ts.Expression, checkerOf: () => ts.TypeChecker | undefined): boolean {
  const call = skipParentheses(operand);
  if (!(isCallExpression(call) || isNewExpression(call) || isTaggedTemplateExpression(call)) || call.typeArguments !== undefined) return false;
  const checker = checkerOf();
  if (checker === undefined) return false;
  // The callee's own signatures, before inference: a function made generic by another
  // (`const query = traced(rawQuery)`) or by JSDoc `@template` has type parameters there too.
  const callee = isTaggedTemplateExpression(call) ? call.tag : call.expression;
  const signatures = checker.getSignaturesOfType(checker.getTypeAtLocation(callee), isNewExpression(call) ? SignatureKind.Construct : SignatureKind.Call);
  return signatures.some((signature) => (signature.typeParameters?.length ?? 0) > 0);
}

/**
 * Might the step's call take its type arguments from the declared type of what receives it? Asked
 * only of calls without type arguments whose value goes to a declaration with a type or to an
 * assignment: any that the checker resolves to a generic signature (a class's, for `new`) might,
 * since even a type parameter a parameter is declared as comes from the target when the argument
 * is left out (`collect<T>(...values: T[])` called with none) or is a literal the target types.
 */
function isTypedByTarget(step: AwaitStep, checkerOf: () => ts.TypeChecker | undefined): boolean {
  return (step.kind === 'assign' || step.typeAnnotation !== undefined) && isGenericCall(step.operand, checkerOf);
}

/**
 * Does the awaited value narrow the step's declared type? TypeScript narrows a declared union to
 * the members its initial value can be (`const name: string | undefined = await readName()` is a
 * `string` after it); a value at least as wide as the declared type narrows nothing, which is the
 * case of a generic call typed by its declaration.
 */
function isNarrowedByValue(step: AwaitStep, checkerOf: () => ts.TypeChecker | undefined): boolean {
  const checker = checkerOf();
  if (step.typeAnnotation === undefined || checker === undefined) return false;
  const declared = checker.getTypeFromTypeNode(step.typeAnnotation);
  if (!declared.isUnion()) return false;
  return !checker.isTypeAssignableTo(declared, checker.getTypeAtLocation(step.operand.parent));
}

/** Does the awaited expression start work (a call, `new`)? Awaiting a promise already running costs nothing extra. */
function startsWork(operand: ts.Expression): boolean {
  const inner = skipWrappers(operand);
  return isCallExpression(inner) || isNewExpression(inner) || isTaggedTemplateExpression(inner);
}

function isGenerator(fn: FunctionNode): boolean {
  return (isFunctionDeclaration(fn) || isFunctionExpression(fn) || isMethodDeclaration(fn)) && fn.asteriskToken !== undefined;
}

const memberSyntax = /[.[]/;

/** Does the declaration read a member (`a.b`, `a[b]`), which may see state an await changed? */
function readsMembers(statement: ts.Statement, reads: ReadIndex): boolean {
  // No `.` and no `[` in its text, no member read.
  if (!memberSyntax.test(reads.textOf(statement))) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionNode(node)) return;
    if (isPropertyAccessExpression(node) || isElementAccessExpression(node)) found = true;
    else forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/**
 * From where on a function nested in the one awaiting (a hoisted helper, a callback) may read a
 * binding the step writes: the start of the first such function, since a function expression cannot
 * run before it is created. A combined await must end before that, or a call it starts could run the
 * function and read the value before it exists. 0 when one may run at any time: a hoisted function
 * declaration, or any closure when the binding outlives the block (a step assigning an existing
 * binding, or a `var`): a closure from an earlier run, or one in a `finally` after a failed await,
 * reads it then. A `const` or `let` is a new binding on each run of the block. Classes count as
 * nested functions: a field initialiser runs when an instance is made. Infinity when none reads it.
 */
function captureLimit(step: AwaitStep, fn: FunctionNode, reads: ReadIndex): number {
  const written = reads.written(step);
  const closures = closureReferencesOf(fn, reads);
  let limit = Infinity;
  for (const identifier of written) {
    for (const reference of closures.get(identifier.text) ?? []) {
      if (!reads.sameBindingAsAny(reference, written)) continue;
      const nested = outermostNestedScope(reference, fn);
      if (nested === undefined || isFunctionDeclaration(nested) || step.kind === 'assign' || step.kind === 'var') return 0;
      limit = Math.min(limit, nested.pos);
    }
  }
  return limit;
}

/** Where a group of steps ends: its last statement's end. */
function endOf(finding: SequentialAwaits): number {
  return finding.statements[finding.statements.length - 1]?.end ?? finding.fn.end;
}

/** The function or class directly inside `fn` that holds the node. */
function outermostNestedScope(node: ts.Node, fn: FunctionNode): ts.Node | undefined {
  let nested: ts.Node | undefined;
  for (let current = node.parent; current !== fn; current = current.parent) {
    if (isNestedScope(current)) nested = current;
  }
  return nested;
}

/** A function, or a class (whose field initialisers and static blocks run as its instances are made). */
function isNestedScope(node: ts.Node): boolean {
  return isFunctionNode(node) || isClassDeclaration(node) || node.kind === SyntaxKind.ClassExpression;
}

// Per function, the names its nested functions refer to: collected in one walk, however many awaits ask.
const closureReferences = new WeakMap<FunctionNode, Map<string, ts.Identifier[]>>();

function closureReferencesOf(fn: FunctionNode, reads: ReadIndex): Map<string, ts.Identifier[]> {
  const references = closureReferences.get(fn);
  if (references !== undefined) return references;
  const found = new Map<string, ts.Identifier[]>();
  // Most handlers nest no function at all: their text says so without a walk.
  const body = fn.body;
  if (body === undefined || !functionSyntax.test(reads.textOf(body))) {
    closureReferences.set(fn, found);
    return found;
  }
  // How many functions deep the walk is inside `fn` (one visitor, no closure per node).
  let depth = 0;
  const visit = (node: ts.Node): void => {
    if (depth > 0 && isIdentifier(node) && isReference(node)) {
      const list = found.get(node.text);
      if (list === undefined) found.set(node.text, [node]);
      else list.push(node);
    }
    const nested = isNestedScope(node);
    if (nested) depth += 1;
    forEachChild(node, visit);
    if (nested) depth -= 1;
  };
  visit(body);
  closureReferences.set(fn, found);
  return found;
}

/**
 * What a function nested in a text starts with: an arrow, `function`, `class`, or a method or
 * accessor (`)` then, past whitespace (TypeScript's, which also counts U+0085 and U+200B) and
 * comments, `{` or a return type's `:`). `if (ok) {` and `ok ? (a) : b` match too, which only costs
 * the walk the test saves elsewhere.
 */
const functionSyntax = /=>|\bfunction\b|\bclass\b|\)(?:[\s\u0085\u200B]|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*[{:]/;

/** Methods that add to a collection or a stream: both lists below start from these. */
const addingNames = 'push|unshift|splice|set|add|append|enqueue|write|send|emit';
const mutatorNames = `${addingNames}|delete|clear|pop|shift|sort|reverse|fill`;
/** Methods that change a collection or a stream in place. */
const mutatorMethods = new RegExp(`^(?:${mutatorNames})$`);
/** The same names anywhere in a text: the cheap test before a walk. */
const mutatorCall = new RegExp(`\\b(?:${mutatorNames})\\b`);

/**
 * Does the loop keep state in a collection declared outside it, changing it and also reading it
 * (`if (!seen.has(id)) { …; seen.add(id); }`, `values.find(…)` then `values.push(…)`,
 * `this.cache.get(key)` then `this.cache.set(key, …)`)? A later iteration sees what an earlier one
 * left, as with a cursor. Changing it alone (`results.push(await f(x))`) carries nothing.
 */
function sharesOuterCollection(loop: ts.ForOfStatement | ts.ForStatement, reads: ReadIndex): boolean {
  const body = loop.statement;
  if (!mutatorCall.test(reads.textOf(body))) return false;
  // The receivers changed: by their root binding, or by their text when rooted at `this`.
  const changedRoots = new Set<ts.Identifier>();
  const changedMembers = new Map<string, ts.Node[]>();
  const collect = (node: ts.Node): void => {
    if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && mutatorMethods.test(node.expression.name.text)) {
      const receiver = skipParentheses(node.expression.expression);
      const member = thisMemberText(receiver);
      const root = member === undefined ? rootOf(receiver) : undefined;
      if (member !== undefined) changedMembers.set(member, [...(changedMembers.get(member) ?? []), receiver]);
      else if (root !== undefined && !declaredInLoop(root, loop)) changedRoots.add(root);
    }
    forEachChild(node, collect);
  };
  collect(body);
  // Any other reference to a changed root's binding (the roots themselves are not counted).
  if (reads.readsAny(body, changedRoots)) return true;
  if (changedMembers.size === 0) return false;
  const receivers = new Set([...changedMembers.values()].flat());
  let read = false;
  const find = (node: ts.Node): void => {
    if (read || receivers.has(node)) return;
    const member = isPropertyAccessExpression(node) ? thisMemberText(node) : undefined;
    if (member !== undefined && changedMembers.has(member)) read = true;
    else forEachChild(node, find);
  };
  find(body);
  return read;
}

/** `this.cache` or `this.state.items` as text; undefined for anything else. */
function thisMemberText(expression: ts.Expression): string | undefined {
  const text = isPropertyAccessExpression(expression) ? pathText(expression) : undefined;
  return text?.startsWith('this.') === true && !text.includes('()') ? text : undefined;
}

/** Does the loop add to the very list it walks (`for (const url of queue) queue.push(…)`)? */
function growsOwnIterable(loop: ts.ForOfStatement, reads: ReadIndex): boolean {
  const iterable = rootOf(loop.expression);
  if (iterable === undefined || !reads.mentionsAny(loop.statement, [iterable])) return false;
  let grows = false;
  const visit = (node: ts.Node): void => {
    if (grows || isFunctionNode(node)) return;
    if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && orderedMethods.test(node.expression.name.text)) {
      const root = rootOf(node.expression.expression);
      if (root?.text === iterable.text && reads.sameBindingAsAny(root, [iterable])) grows = true;
    }
    forEachChild(node, visit);
  };
  visit(loop.statement);
  return grows;
}

function rootOf(expression: ts.Expression): ts.Identifier | undefined {
  let current = expression;
  while (isPropertyAccessExpression(current) || isElementAccessExpression(current) || isCallExpression(current) || isParenthesizedExpression(current) || isNonNullExpression(current)) {
    current = current.expression;
  }
  return isIdentifier(current) ? current : undefined;
}

const orderedMethodNames = `${addingNames}|end|pipe|resolve`;
/** A method whose calls must keep their order (a name alone). */
const orderedMethods = new RegExp(`^(?:${orderedMethodNames})$`);
/** The same names anywhere in a text: the cheap test before a walk. */
const orderedMethodCall = new RegExp(`\\b(?:${orderedMethodNames})\\b`);

/**
 * Does the loop body call an order-sensitive method on something declared outside the loop
 * (`results.push(n)`, `res.write(chunk)`, `queue.push(...links)`, also in a callback such as
 * `lines.forEach((line) => rows.push(line))`), other than the one collecting form the rewrite
 * keeps in order (`list.push(await f(x))` alone in the body)?
 */
function mutatesOuterInOrder(loop: ts.ForOfStatement | ts.ForStatement, reads: ReadIndex): boolean {
  const body = loop.statement;
  if (!reads.callsOrderedMethod(body)) return false;
  return callsOrderedMethodOnOuter(body, loop, collectingCall(body)?.call, reads);
}

/** A loop body that only collects one awaited value: `list.push(await f(x))`, `map.set(key, await f(x))`. */
export interface CollectingCall {
  readonly call: ts.CallExpression;
  /** `list` of `list.push(…)`. */
  readonly receiver: ts.Expression;
  readonly method: 'push' | 'set';
  readonly key: ts.Expression | undefined;
  /** What is awaited: `f(x)` of `list.push(await f(x))`. */
  readonly operand: ts.Expression;
}

/**
 * The one collecting call a loop body is made of, if it is: the form the rewrite turns into one
 * await of every result, collected in the order of the items.
 *
 * @example
 * collectingCall(loop.statement)?.method; // 'push' for `for (const id of ids) list.push(await f(id));`
 */
export function collectingCall(body: ts.Statement): CollectingCall | undefined {
  let statement: ts.Statement | undefined = body;
  if (isBlock(body)) statement = body.statements.length === 1 ? body.statements[0] : undefined;
  if (statement === undefined || !isExpressionStatement(statement)) return undefined;
  const call = statement.expression;
  if (!isCallExpression(call) || !isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  const receiver = call.expression.expression;
  const last = call.arguments.at(-1);
  if (last === undefined || !isAwaitExpression(last) || containsAwait(receiver)) return undefined;
  if (method === 'push' && call.arguments.length === 1) return { call, receiver, method, key: undefined, operand: last.expression };
  const [key] = call.arguments;
  if (method === 'set' && call.arguments.length === 2 && key !== undefined && !containsAwait(key)) return { call, receiver, method, key, operand: last.expression };
  return undefined;
}

/** Does the node call an order-sensitive method of something declared outside the loop (other than `except`)? */
function callsOrderedMethodOnOuter(node: ts.Node, loop: ts.ForOfStatement | ts.ForStatement, except: ts.CallExpression | undefined, reads: ReadIndex): boolean {
  if (!reads.callsOrderedMethod(node)) return false;
  const visit = (current: ts.Node): boolean => {
    if (isCallExpression(current) && isPropertyAccessExpression(current.expression) && orderedMethods.test(current.expression.name.text)) {
      const receiver = current.expression.expression;
      const root = rootOf(receiver);
      const outer = root === undefined || !declaredInLoop(root, loop) || aliasesOuter(root, loop);
      // `list.push(await f(x))` keeps its order when `list` is the same for every item.
      const kept = current === except && (root === undefined || !readsLoopBinding(receiver, loop));
      if (outer && !kept) return true;
    }
    return forEachChild(current, visit) === true;
  };
  return visit(node);
}

/**
 * Splits a `for…of` body that ends in one collecting call after its awaits
 * (`const row = await repo.find(id); rows.push(toDto(row));`): the declarations before it run for
 * every item together, the call runs afterwards for each item in order, with the bindings of the iteration it
 * reads. Every item's first part then runs before any call, so the split is made only where that
 * cannot change what a call sees, judged by syntax:
 * - the first part only declares values, calling nothing but what it awaits, methods of the
 *   iteration's own values (`user.name.trim()`) and stateless globals (`JSON.stringify`): a call
 *   made for its effect (`i18n.setLocale(…)`, a helper setting module state) could change what a
 *   later call reads; no `using` (disposed too early), no `continue` (it would skip the call), no
 *   alias of an outer object (`const tab = page`: the call would read what later items left);
 * - the call collects into something declared outside (`results.push`, `this.items.push`,
 *   `res.write`) that the first part never names, and its arguments read only the iteration's
 *   values, functions they call (`toDto(row)`) and stateless globals;
 * - no carried `let` is assigned anywhere in the body (a copy is carried), and no carried name is
 *   also read by the loop's header (the new header would read it before it is set).
 * One call, and not a block of statements: a later `if (error) … else rows.push(data)` would lose the
 * narrowing that ties `data` to `error` once they are carried apart.
 */
function inOrderPart(loop: ts.ForOfStatement | ts.ForStatement, awaits: readonly ts.AwaitExpression[], reads: ReadIndex): InOrderPart | undefined {
  const body = loop.statement;
  if (!isForOfStatement(loop) || !isBlock(body) || !isVariableDeclarationList(loop.initializer)) return undefined;
  const { statements } = body;
  // The last statement collects, after every await; the ones before it are the first part.
  const call = statements.at(-1);
  if (call === undefined || !isExpressionStatement(call) || !isCallExpression(call.expression) || awaits.some((node) => encloses(call, node))) return undefined;
  const collecting = call.expression;
  const before = statements.slice(0, -1);
  if (!isPropertyAccessExpression(collecting.expression) || !orderedMethods.test(collecting.expression.name.text)) return undefined;
  const receiver = collecting.expression.expression;
  if (!isOuterPath(receiver, loop) || namesReceiver(before, receiver, reads)) return undefined;
  if (!collecting.arguments.every((argument) => readsOnlyIteration(argument, loop))) return undefined;
  if (!before.every((statement) => declaresOnly(statement, loop))) return undefined;
  const declared = [...loop.initializer.declarations.flatMap((declaration) => bindingIdentifiers(declaration.name)), ...before.flatMap((statement) => declaredNames(statement))];
  const carried = declared.filter((identifier) => reads.readsAny(call, new Set([identifier])));
  if (carried.length === 0) return undefined;
  // `for (const { body } of body.ids)`, `for (const { max = limit } of jobs)`: the new header reads its own names.
  const names = new Set(carried.map((identifier) => identifier.text));
  if (referencesName(loop.expression, names) || referencesName(loop.initializer, names)) return undefined;
  const lets = carried.filter((identifier) => !isConstBinding(identifier));
  if (lets.length > 0 && statements.some((statement) => assignsAny(statement, lets, reads))) return undefined;
  return { call, carried };
}

/** `const out = res` in the loop: a name of the loop's own for an outer object, written to as that object. */
function aliasesOuter(identifier: ts.Identifier, loop: ts.ForOfStatement | ts.ForStatement): boolean {
  const declaration = findLocalDeclaration(identifier, loop);
  if (declaration === undefined || !isVariableDeclaration(declaration) || declaration.initializer === undefined) return false;
  const initializer = skipParentheses(declaration.initializer);
  return initializer.kind === SyntaxKind.ThisKeyword || ((isIdentifier(initializer) || isPropertyAccessExpression(initializer)) && isOuterPath(initializer, loop));
}

/** `results`, `this.items`, `res`: a path of names from a binding declared outside the loop (or `this`). */
function isOuterPath(expression: ts.Expression, loop: ts.ForOfStatement | ts.ForStatement): boolean {
  if (expression.kind === SyntaxKind.ThisKeyword) return true;
  if (isPropertyAccessExpression(expression)) return isOuterPath(expression.expression, loop);
  return isIdentifier(expression) && !declaredInLoop(expression, loop);
}

/** Does the first part name the receiver's root (its binding, or `this` at all)? */
function namesReceiver(before: readonly ts.Statement[], receiver: ts.Expression, reads: ReadIndex): boolean {
  const root = rootOf(receiver);
  if (root === undefined) return before.some((statement) => /\bthis\b/.test(reads.textOf(statement)));
  return before.some((statement) => reads.readsAny(statement, new Set([root])));
}

/** Globals whose members hold no state an iteration changes. */
const stateless = new Set(['JSON', 'Math', 'Object', 'Array', 'String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'Date', 'URL', 'Buffer', 'Intl', 'undefined', 'NaN', 'Infinity', 'encodeURIComponent', 'decodeURIComponent', 'parseInt', 'parseFloat']);

function isStatelessGlobal(identifier: ts.Identifier): boolean {
  return stateless.has(identifier.text) && findLocalDeclaration(identifier) === undefined;
}

/** Does the expression read only the iteration's own values, functions it calls by name, and stateless globals? */
function readsOnlyIteration(expression: ts.Node, loop: ts.ForOfStatement): boolean {
  if (expression.kind === SyntaxKind.ThisKeyword) return false;
  if (isIdentifier(expression)) {
    if (!isReference(expression) || declaredInLoop(expression, loop) || isStatelessGlobal(expression)) return true;
    const parent = expression.parent;
    return (isCallExpression(parent) || isNewExpression(parent)) && parent.expression === expression;
  }
  return forEachChild(expression, (child) => (readsOnlyIteration(child, loop) ? undefined : true)) !== true;
}

/**
 * Is the statement a declaration that calls nothing but what it awaits, methods of the
 * iteration's own values and stateless globals, and aliases no outer object?
 */
function declaresOnly(statement: ts.Statement, loop: ts.ForOfStatement): boolean {
  if (!isVariableStatement(statement) || (statement.declarationList.flags & NodeFlags.Using) !== 0 || skipsIteration(statement)) return false;
  const callsOnlyHarmless = (node: ts.Node): boolean => {
    if ((isCallExpression(node) || isNewExpression(node) || isTaggedTemplateExpression(node)) && !isHarmlessCall(node, loop)) return false;
    return forEachChild(node, (child) => (callsOnlyHarmless(child) ? undefined : true)) !== true;
  };
  return statement.declarationList.declarations.every((declaration) => {
    const initializer = declaration.initializer === undefined ? undefined : skipParentheses(declaration.initializer);
    if (initializer === undefined) return true;
    // `const tab = page`, `const ctx = this.ctx`: an outer object under an iteration's name.
    if (initializer.kind === SyntaxKind.ThisKeyword || ((isIdentifier(initializer) || isPropertyAccessExpression(initializer)) && isOuterPath(initializer, loop))) return false;
    return callsOnlyHarmless(initializer);
  });
}

/**
 * A call the first part may make: one it awaits (its result is what the iteration waits for), a
 * stateless global (`JSON.stringify(…)`, `String(…)`), or a method of the iteration's own value or
 * of a literal (`user.name.trim()`, `'a,b'.split(',')`).
 */
function isHarmlessCall(node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, loop: ts.ForOfStatement): boolean {
  if (isAwaitExpression(skipParenthesesUp(node).parent)) return true;
  const callee = isTaggedTemplateExpression(node) ? node.tag : node.expression;
  if (isIdentifier(callee)) return isStatelessGlobal(callee);
  if (!isPropertyAccessExpression(callee) && !isElementAccessExpression(callee)) return false;
  const root = rootOf(callee);
  if (root === undefined) return isLiteralReceiver(callee.expression);
  return declaredInLoop(root, loop) || isStatelessGlobal(root);
}

/** `'a,b'.split(',')`, `[1, 2].map(…)`: a method of a value written in place. */
function isLiteralReceiver(expression: ts.Expression): boolean {
  return isLiteralExpression(expression) || isNoSubstitutionTemplateLiteral(expression) || isTemplateExpression(expression) || isArrayLiteralExpression(expression) || isObjectLiteralExpression(expression);
}

/** The outermost parentheses around a node (`(f())` of `await (f())`). */
function skipParenthesesUp(node: ts.Node): ts.Node {
  let current = node;
  while (isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

/** Does the node refer to a binding by one of these names (whichever binding it is)? */
function referencesName(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (isIdentifier(node)) return names.has(node.text) && isReference(node);
  return forEachChild(node, (child) => (referencesName(child, names) ? true : undefined)) === true;
}

/** Is the binding a `const` (its declaration list's flag; a loop header's own `const` too)? */
function isConstBinding(identifier: ts.Identifier): boolean {
  let node: ts.Node = identifier;
  while (!isVariableDeclarationList(node) && !isFunctionNode(node) && !isSourceFile(node)) node = node.parent;
  return isVariableDeclarationList(node) && (node.flags & NodeFlags.Const) !== 0;
}

/** The names a statement declares for the rest of its block: variables, functions, classes. */
export function declaredNames(statement: ts.Statement): ts.Identifier[] {
  if (isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => bindingIdentifiers(declaration.name));
  if ((isFunctionDeclaration(statement) || isClassDeclaration(statement)) && statement.name !== undefined) return [statement.name];
  return [];
}

/**
 * Does the node assign one of the bindings (`x = …`, `x += …`, `x++`, `[x] = …`, `for (x of …)`)?
 * Carried as constants, they cannot be. Assignments in nested functions count too.
 */
function assignsAny(node: ts.Node, bindings: readonly ts.Identifier[], reads: ReadIndex): boolean {
  if (!mayAssign(reads.textOf(node))) return false;
  return forEachAssignedIdentifier(node, (identifier) => bindings.some((binding) => binding.text === identifier.text) && reads.sameBindingAsAny(identifier, bindings));
}

/** A `continue` of this loop (not of one nested in it): it would skip the statements after it. */
function skipsIteration(statement: ts.Statement): boolean {
  const visit = (node: ts.Node): boolean => {
    if (isFunctionNode(node) || isLoop(node)) return false;
    if (isContinueStatement(node)) return true;
    return forEachChild(node, visit) === true;
  };
  return visit(statement);
}

/**
 * Is the file TypeScript, where a declaration's type is written as syntax (in JavaScript a
 * `@type` comment is one)?
 *
 * @example
 * isTypeScript(sourceFile); // true for `routes.ts`, false for `routes.js`
 */
export function isTypeScript(sourceFile: ts.SourceFile): boolean {
  return /\.[cm]?tsx?$/.test(sourceFile.fileName);
}
