import { isBuiltin } from 'node:module';

import ts from 'typescript';

import { frameworks as allFrameworks, matchHandlerFile, receiversForFactory, receiversForMethod, receiversForType, registrationsForCall } from '../registry/registry.js';
import type { FrameworkDefinition, HandlerRegistration, MethodRegistration, Receiver } from '../registry/types.js';
import { functionOfDeclaration, isFunctionNode, type FunctionNode } from './functions.js';
import { findLocalDeclaration, importedPath, skipWrappers } from './import-binding.js';
import { packageDirName } from './module-origin.js';
import { typeAt } from './promise-types.js';

/** A function the handler registry recognises, and how. */
export interface HandlerInfo {
  readonly framework: FrameworkDefinition;
  readonly role: HandlerRegistration['role'];
}

/** What handler detection needs. */
export interface HandlerContext {
  readonly checker?: ts.TypeChecker | undefined;
  readonly frameworks?: readonly FrameworkDefinition[];
  /** The project root, to match file conventions (`app/**\/route.ts`) on relative paths. */
  readonly projectRoot?: string | undefined;
}

interface ReceiverHit {
  readonly framework: FrameworkDefinition;
  readonly receiver: Receiver;
}

const registrationMethodNames = new Set(
  allFrameworks.flatMap((framework) =>
    framework.registrations.flatMap((registration) =>
      registration.kind === 'method-call' || registration.kind === 'event-listener' ? registration.methods : [],
    ),
  ),
);

/**
 * Every function in a file that a framework calls per request: route handlers, middleware, hooks,
 * `createServer` listeners, App Router method exports, Nest controller methods, Lambda handlers.
 * Handlers passed by name (`app.get('/', listUsers)`) resolve to their declaration, in this file or,
 * with a checker, in another.
 *
 * @example
 * findHandlers(sourceFile, { checker }).get(arrowFunction)?.framework.id; // 'express4'
 */
export function findHandlers(sourceFile: ts.SourceFile, context: HandlerContext): Map<FunctionNode, HandlerInfo> {
  const candidates = context.frameworks ?? allFrameworks;
  const handlers = new Map<FunctionNode, HandlerInfo>();
  const add = (fn: FunctionNode | undefined, info: HandlerInfo): void => {
    if (fn !== undefined && !handlers.has(fn)) handlers.set(fn, info);
  };
  const frameworkImports = importedFrameworkPackages(sourceFile);

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      visitCall(node, context, candidates, frameworkImports, add);
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) visitClass(node, context, candidates, add);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  visitFileExports(sourceFile, context, candidates, add);
  return handlers;
}

function visitCall(
  call: ts.CallExpression | ts.NewExpression,
  context: HandlerContext,
  candidates: readonly FrameworkDefinition[],
  frameworkImports: ReadonlySet<string>,
  add: (fn: FunctionNode | undefined, info: HandlerInfo) => void,
): void {
  const args = call.arguments ?? ts.factory.createNodeArray();
  const callee = skipWrappers(call.expression);
  // `http.createServer(listener)`, `new http.Server(listener)`: only files that load a factory's module can call one.
  const imported = loadsFactoryModule(frameworkImports) ? importedPath(callee, context.checker) : undefined;
  if (imported !== undefined) {
    for (const framework of candidates) {
      for (const registration of framework.registrations) {
        if (registration.kind !== 'factory-argument') continue;
        const invocation = ts.isNewExpression(call) ? 'construct' : 'call';
        const matches = registration.factories.some(
          (factory) => factory.module === imported.specifier && factory.export === builtinPath(imported.specifier, imported.path) && factory.invocation === invocation,
        );
        if (matches) for (const argument of args) add(functionArgument(argument, context), { framework, role: registration.role });
      }
    }
  }
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(callee) || !registrationMethodNames.has(callee.name.text)) return;
  const method = callee.name.text;
  for (const hit of receiversOf(callee.expression, context, candidates, frameworkImports)) {
    for (const registration of registrationsForCall(hit.framework, hit.receiver.name, method)) {
      if (registration.kind === 'event-listener') {
        const [event, listener] = args;
        if (event !== undefined && ts.isStringLiteralLike(event) && registration.events.includes(event.text) && listener !== undefined) {
          add(functionArgument(listener, context), { framework: hit.framework, role: registration.role });
        }
        continue;
      }
      for (const fn of registeredFunctions(registration, args, context)) add(fn, { framework: hit.framework, role: registration.role });
    }
  }
}

function registeredFunctions(registration: MethodRegistration, args: ts.NodeArray<ts.Expression>, context: HandlerContext): FunctionNode[] {
  if (registration.events !== undefined) {
    const [event] = args;
    if (event === undefined || !ts.isStringLiteralLike(event) || !registration.events.includes(event.text)) return [];
  }
  const found: FunctionNode[] = [];
  const functionArgs = args.flatMap((argument) => expandArgument(argument, context));
  const functions = functionArgs.map((argument) => functionArgument(argument, context)).filter((fn): fn is FunctionNode => fn !== undefined);
  if (registration.handlerArguments === 'all-functions') found.push(...functions);
  else {
    const last = functions.at(-1);
    if (last !== undefined) found.push(last);
  }
  for (const property of registration.handlerProperties ?? []) {
    for (const argument of args) {
      const inner = skipWrappers(argument);
      if (!ts.isObjectLiteralExpression(inner)) continue;
      for (const element of inner.properties) {
        if (ts.isMethodDeclaration(element) && element.name.getText() === property) found.push(element);
        if (ts.isPropertyAssignment(element) && element.name.getText() === property) {
          const values = ts.isArrayLiteralExpression(skipWrappers(element.initializer)) ? [...(skipWrappers(element.initializer) as ts.ArrayLiteralExpression).elements] : [element.initializer];
          for (const value of values) {
            const fn = functionArgument(value, context);
            if (fn !== undefined) found.push(fn);
          }
        }
        if (ts.isShorthandPropertyAssignment(element) && element.name.text === property) {
          const fn = functionArgument(element.name, context);
          if (fn !== undefined) found.push(fn);
        }
      }
    }
  }
  return found;
}

/**
 * The expressions an argument stands for: the elements of an array (`[auth, handler]`) or of a
 * spread constant (`...middleware`), else the argument itself.
 */
function expandArgument(argument: ts.Expression, context: HandlerContext, depth = 0): ts.Expression[] {
  const inner = skipWrappers(ts.isSpreadElement(argument) ? argument.expression : argument);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap((element) => expandArgument(element, context, depth + 1));
  if (ts.isSpreadElement(argument) && ts.isIdentifier(inner) && depth < 3) {
    const declaration = context.checker?.getSymbolAtLocation(inner)?.declarations?.[0] ?? findLocalDeclaration(inner);
    if (declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
      return expandArgument(declaration.initializer, context, depth + 1);
    }
  }
  return [argument];
}

/**
 * The function an argument denotes: written inline, named and declared elsewhere, bound
 * (`controller.list.bind(controller)`), or wrapped by a helper that returns a handler
 * (`asyncHandler((req, res) => …)`).
 */
export function functionArgument(argument: ts.Expression, context: { checker?: ts.TypeChecker | undefined }): FunctionNode | undefined {
  const inner = skipWrappers(argument);
  if (isFunctionNode(inner)) return inner;
  if (ts.isCallExpression(inner)) {
    const callee = skipWrappers(inner.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return functionArgument(callee.expression, context);
    const [first] = inner.arguments;
    return first === undefined ? undefined : functionArgument(first, context);
  }
  if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner)) return undefined;
  if (context.checker !== undefined) {
    let symbol = context.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(inner) ? inner.name : inner);
    if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = context.checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) {
      const fn = functionOfDeclaration(declaration);
      if (fn !== undefined && !fn.getSourceFile().isDeclarationFile) return fn;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(inner)) return localMethod(inner);
  const declaration = findLocalDeclaration(inner);
  return declaration === undefined ? undefined : functionOfDeclaration(declaration);
}

/** `controller.list` without a checker: a method of an object literal or of `new Class()` declared in the same file. */
function localMethod(access: ts.PropertyAccessExpression): FunctionNode | undefined {
  const owner = skipWrappers(access.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const declaration = findLocalDeclaration(owner);
  if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
  const initializer = skipWrappers(declaration.initializer);
  const name = access.name.text;
  if (ts.isObjectLiteralExpression(initializer)) {
    for (const property of initializer.properties) {
      if (property.name?.getText() !== name) continue;
      if (ts.isMethodDeclaration(property) && property.body !== undefined) return property;
      if (ts.isPropertyAssignment(property)) return functionOfDeclaration(property);
    }
  }
  if (ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression)) {
    const classDeclaration = findLocalDeclaration(initializer.expression);
    if (classDeclaration !== undefined && ts.isClassDeclaration(classDeclaration)) {
      for (const member of classDeclaration.members) {
        if (ts.isMethodDeclaration(member) && member.body !== undefined && member.name.getText() === name) return member;
        if (ts.isPropertyDeclaration(member) && member.name.getText() === name) return functionOfDeclaration(member);
      }
    }
  }
  return undefined;
}

/**
 * Which framework objects an expression is: by its type when there is a checker (the type's name and
 * the package declaring it), else by where the value came from (`express()`, `new Koa()`,
 * `app.route('/x')`), else by the parameter names the framework's docs use, in files that import it.
 */
export function receiversOf(
  expression: ts.Expression,
  context: HandlerContext,
  candidates: readonly FrameworkDefinition[] = allFrameworks,
  frameworkImports: ReadonlySet<string> = importedFrameworkPackages(expression.getSourceFile()),
): ReceiverHit[] {
  const inner = skipWrappers(expression);
  if (context.checker !== undefined) {
    const typed = receiversByType(inner, context.checker, candidates);
    if (typed !== undefined) return typed;
  }
  const byOrigin = receiversByOrigin(inner, context, candidates, frameworkImports, 0);
  if (byOrigin.length > 0) return byOrigin;
  return receiversByName(inner, candidates, frameworkImports);
}

/** Undefined when the type says nothing (any, unknown, error), so other evidence is tried. */
function receiversByType(expression: ts.Expression, checker: ts.TypeChecker, candidates: readonly FrameworkDefinition[]): ReceiverHit[] | undefined {
  const type = typeAt(checker, expression);
  if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return undefined;
  const hits: ReceiverHit[] = [];
  const seen = new Set<ts.Type>();
  const visitType = (current: ts.Type, depth: number): void => {
    if (seen.has(current) || depth > 3) return;
    seen.add(current);
    for (const symbol of [current.aliasSymbol, current.getSymbol()]) {
      if (symbol === undefined) continue;
      for (const declaration of symbol.declarations ?? []) {
        const packageName = packageDirName(declaration.getSourceFile().fileName);
        if (packageName !== undefined) hits.push(...receiversForType(symbol.getName(), packageName, candidates));
      }
    }
    if (current.isUnionOrIntersection()) for (const part of current.types) visitType(part, depth + 1);
    if (hits.length === 0 && current.isClassOrInterface()) {
      for (const base of checker.getBaseTypes(current)) visitType(base, depth + 1);
    }
  };
  visitType(type, 0);
  const unique = dedupe(hits);
  return unique.length > 0 ? unique : type.isUnionOrIntersection() || (type.getSymbol() ?? type.aliasSymbol) !== undefined ? [] : undefined;
}

function receiversByOrigin(
  expression: ts.Expression,
  context: HandlerContext,
  candidates: readonly FrameworkDefinition[],
  frameworkImports: ReadonlySet<string>,
  depth: number,
): ReceiverHit[] {
  if (depth > 4) return [];
  if (ts.isIdentifier(expression)) {
    const declaration = context.checker?.getSymbolAtLocation(expression)?.declarations?.[0] ?? findLocalDeclaration(expression);
    if (declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
      return receiversByOrigin(skipWrappers(declaration.initializer), context, candidates, frameworkImports, depth + 1);
    }
    return [];
  }
  if (ts.isCallExpression(expression) || ts.isNewExpression(expression)) {
    const callee = skipWrappers(expression.expression);
    const invocation = ts.isNewExpression(expression) ? 'construct' : 'call';
    const imported = importedPath(callee, context.checker);
    if (imported !== undefined) {
      return [...receiversForFactory(imported.specifier, builtinPath(imported.specifier, imported.path), invocation, candidates)];
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const owners = receiversByOrigin(skipWrappers(callee.expression), context, candidates, frameworkImports, depth + 1);
      return owners.flatMap((owner) =>
        receiversForMethod(owner.framework, owner.receiver.name, callee.name.text).map((receiver) => ({ framework: owner.framework, receiver })),
      );
    }
  }
  return [];
}

function receiversByName(expression: ts.Expression, candidates: readonly FrameworkDefinition[], frameworkImports: ReadonlySet<string>): ReceiverHit[] {
  if (!ts.isIdentifier(expression)) return [];
  const hits: ReceiverHit[] = [];
  for (const framework of candidates) {
    if (!framework.packages.some((pkg) => frameworkImports.has(pkg.name))) continue;
    for (const receiver of framework.receivers) {
      if (receiver.conventionalNames.includes(expression.text)) hits.push({ framework, receiver });
    }
  }
  return hits;
}

function dedupe(hits: ReceiverHit[]): ReceiverHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.framework.id}:${hit.receiver.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const factoryModules = new Set(
  allFrameworks.flatMap((framework) => framework.registrations.flatMap((registration) => (registration.kind === 'factory-argument' ? registration.factories.map((factory) => factory.module) : []))),
);

function loadsFactoryModule(imports: ReadonlySet<string>): boolean {
  for (const specifier of imports) if (factoryModules.has(specifier)) return true;
  return false;
}

/**
 * Module specifiers a file imports, requires or loads with `import()`: which factories it can call,
 * and the untyped fallback's conventional-name guess.
 */
function importedFrameworkPackages(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) names.add(statement.moduleSpecifier.text);
    if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
      names.add(statement.moduleReference.expression.text);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument)) names.add(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

function decoratorModuleName(decorator: ts.Decorator, context: HandlerContext): { specifier: string; name: string } | undefined {
  const expression = skipWrappers(decorator.expression);
  const callee = ts.isCallExpression(expression) ? skipWrappers(expression.expression) : expression;
  const imported = importedPath(callee, context.checker);
  return imported === undefined ? undefined : { specifier: imported.specifier, name: imported.path };
}

function visitClass(
  node: ts.ClassDeclaration | ts.ClassExpression,
  context: HandlerContext,
  candidates: readonly FrameworkDefinition[],
  add: (fn: FunctionNode | undefined, info: HandlerInfo) => void,
): void {
  const classDecorators = (ts.getDecorators(node) ?? []).map((decorator) => decoratorModuleName(decorator, context));
  const implemented = (node.heritageClauses ?? [])
    .filter((clause) => clause.token === ts.SyntaxKind.ImplementsKeyword)
    .flatMap((clause) => clause.types.map((type) => importedPath(type.expression, context.checker)));
  for (const framework of candidates) {
    for (const registration of framework.registrations) {
      if (registration.kind === 'decorated-method') {
        const isController = classDecorators.some((found) =>
          registration.classDecorators.some((ref) => ref.module === found?.specifier && ref.names.includes(found.name)),
        );
        if (!isController) continue;
        for (const member of node.members) {
          if (!ts.isMethodDeclaration(member) || member.body === undefined) continue;
          const decorated = (ts.getDecorators(member) ?? []).some((decorator) => {
            const found = decoratorModuleName(decorator, context);
            return found !== undefined && registration.methodDecorators.some((ref) => ref.module === found.specifier && ref.names.includes(found.name));
          });
          if (decorated) add(member, { framework, role: registration.role });
        }
      }
      if (registration.kind === 'implemented-method') {
        const implementsIt = implemented.some(
          (found) =>
            found !== undefined &&
            registration.interfaces.packages.includes(found.specifier) &&
            registration.interfaces.names.includes(found.path),
        );
        if (!implementsIt) continue;
        for (const member of node.members) {
          if (ts.isMethodDeclaration(member) && member.body !== undefined && member.name.getText() === registration.method) {
            add(member, { framework, role: registration.role });
          }
        }
      }
    }
  }
}

function visitFileExports(
  sourceFile: ts.SourceFile,
  context: HandlerContext,
  candidates: readonly FrameworkDefinition[],
  add: (fn: FunctionNode | undefined, info: HandlerInfo) => void,
): void {
  const fileName = sourceFile.fileName.replaceAll('\\', '/');
  const root = context.projectRoot?.replaceAll('\\', '/').replace(/\/$/, '');
  const relative = root !== undefined && fileName.startsWith(`${root}/`) ? fileName.slice(root.length + 1) : fileName;
  const byConvention = matchHandlerFile(relative, candidates);
  const importsLambdaTypes = sourceFile.statements.some(
    (statement) => ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === 'aws-lambda',
  );
  const anywhere = candidates.flatMap((framework) =>
    framework.registrations
      .filter((registration) => registration.kind === 'file-export' && registration.files === undefined)
      .map((registration) => ({ framework, registration })),
  );
  const wanted = new Map<string, HandlerInfo>();
  for (const match of byConvention) for (const name of match.registration.exports) wanted.set(name, { framework: match.framework, role: 'handler' });
  // An exported `handler` is only a Lambda handler in a file that uses the Lambda types.
  if (importsLambdaTypes) {
    for (const match of anywhere) {
      if (match.registration.kind === 'file-export') for (const name of match.registration.exports) wanted.set(name, { framework: match.framework, role: 'handler' });
    }
  }
  if (wanted.size === 0) return;
  for (const [name, declaration] of exportedDeclarations(sourceFile)) {
    const info = wanted.get(name);
    if (info !== undefined) add(functionOfDeclaration(declaration) ?? (isFunctionNode(declaration) ? declaration : undefined), info);
  }
}

/** Exported names of a file and the declaration each denotes (functions, variables, `export default`). */
function exportedDeclarations(sourceFile: ts.SourceFile): Map<string, ts.Node> {
  const exported = new Map<string, ts.Node>();
  const isExported = (node: ts.Node): boolean =>
    (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
  const isDefault = (node: ts.Node): boolean =>
    (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Default) !== 0;
  const local = (name: ts.Identifier): ts.Node | undefined => findLocalDeclaration(name);
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && isExported(statement)) {
      if (isDefault(statement)) exported.set('default', statement);
      else if (statement.name !== undefined) exported.set(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) exported.set(declaration.name.text, declaration);
      }
    } else if (ts.isExportAssignment(statement) && statement.isExportEquals !== true) {
      const expression = skipWrappers(statement.expression);
      if (isFunctionNode(expression)) exported.set('default', expression);
      else if (ts.isIdentifier(expression)) {
        const declaration = local(expression);
        if (declaration !== undefined) exported.set('default', declaration);
      }
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier === undefined && statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const localName = element.propertyName ?? element.name;
        if (!ts.isIdentifier(localName)) continue;
        const declaration = local(localName);
        if (declaration !== undefined) exported.set(element.name.text, declaration);
      }
    }
  }
  return exported;
}

/** Node's builtins have no default export of their own: `http.default.createServer` is `createServer`. */
function builtinPath(specifier: string, path: string): string {
  return isBuiltin(specifier) && path.startsWith('default.') ? path.slice('default.'.length) : path;
}
