import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import rule, { type MessageIds, type Options } from '../../src/rules/no-missing-await.js';
import { promiseHandlerShapes, promiseHelpers } from './cases/promise-handler-shapes.js';
import { typedRuleTester } from './rule-tester.js';

type Valid = ValidTestCase<Options> | string;
type Invalid = InvalidTestCase<MessageIds, Options>;

const helpers = `${promiseHelpers}declare function getUser(id: string): Promise<{ name: string }>;\ndeclare function count(): Promise<number>;\ndeclare function isAdmin(): Promise<boolean>;\n`;

/** `body` inside an async function (or a sync one), after the helpers. */
function inAsync(body: string, modifier = 'async '): string {
  return `${helpers}\nexport ${modifier}function run() {\n${body
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n')}\n}\n`;
}

/** Where `needle` first occurs after the helper declarations. */
function indexOf(code: string, needle: string): number {
  return code.indexOf(needle, code.startsWith(helpers) ? helpers.length : 0);
}

/** `code` with the first `needle` after the helpers replaced. */
function replace(code: string, needle: string, text: string): string {
  const index = indexOf(code, needle);
  return `${code.slice(0, index)}${text}${code.slice(index + needle.length)}`;
}

function at(code: string, needle: string): { line: number; column: number } {
  const before = code.slice(0, indexOf(code, needle));
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/** One report of `messageId` on `needle`; in an async function the suggestion awaits it. */
function invalid(code: string, needle: string, messageId: MessageIds, suggestion?: { messageId: MessageIds; replacement: string }, extra: Partial<Invalid> = {}): Invalid {
  const suggestions = suggestion === undefined ? [] : [{ messageId: suggestion.messageId, output: replace(code, needle, suggestion.replacement) }];
  return { code, ...extra, errors: [{ messageId, ...at(code, needle), suggestions }] };
}

function awaitIn(code: string, needle: string, messageId: MessageIds, awaitedText = `await ${needle}`): Invalid {
  return invalid(code, needle, messageId, { messageId: 'addAwait', replacement: awaitedText });
}

const genericValid: Valid[] = [
  inAsync("const text = `Hello ${(await getUser('1')).name}`;\nconsole.log(text);"),
  inAsync("console.log('n=' + String(await count()));"),
  inAsync("if (await isAdmin()) console.log('admin');"),
  inAsync("while (await isAdmin()) break;"),
  inAsync("console.log((await isAdmin()) ? 'yes' : 'no');"),
  inAsync("console.log(!(await isAdmin()));"),
  inAsync("const total = (await count()) * 2;\nconsole.log(total);"),
  inAsync("console.log((await count()) > 3);"),
  inAsync("console.log(JSON.stringify({ user: await getUser('1') }));"),
  inAsync("console.log(JSON.stringify(await Promise.all([getUser('1'), getUser('2')])));"),
  inAsync("const pending = getUser('1');\nconsole.log(JSON.stringify(await pending));"),
  inAsync("const both = getUser('1') === getUser('2');\nconsole.log(both);"),
  inAsync("const user = getUser('1');\nconsole.log(user instanceof Promise);"),
  inAsync("try {\n  return await getUser('1');\n} catch {\n  return undefined;\n}"),
  inAsync("try {\n  console.log('x');\n} catch {\n  return getUser('fallback');\n}\nreturn getUser('1');"),
  inAsync("return getUser('1');"),
  inAsync("const tag = (parts: TemplateStringsArray, ...values: unknown[]) => parts.join(String(values.length));\nconsole.log(tag`${getUser('1')}`);"),
  inAsync("const store = { json(value: unknown) { return value; } };\nstore.json({ user: getUser('1') });"),
  inAsync("const cached = new Map<string, Promise<{ name: string }>>();\ncached.set('1', getUser('1'));"),
  inAsync("console.log(`${String(await count())}`);"),
  inAsync("const name = 'x';\nconsole.log(name ? 'set' : 'empty');"),
  inAsync("const maybe = Math.random() > 0.5 ? undefined : 1;\nconsole.log(maybe ?? 0);"),
  inAsync("return Response.json({ user: await getUser('1') });"),
  inAsync("return new Response(JSON.stringify({ count: await count() }));"),
  inAsync("const json = JSON;\nconsole.log(json.stringify({ n: 1 }));"),
  `${helpers}import type { Knex } from 'knex';\ndeclare const db: Knex;\nexport async function run() {\n  await db('users').insert({ name: 'a' });\n}\n`,
  `${helpers}import type { Kysely } from 'kysely';\ndeclare const db: Kysely<{ users: { name: string } }>;\nexport async function run() {\n  await db.insertInto('users').values({ name: 'a' }).execute();\n}\n`,
  `${helpers}import type { PrismaClient } from '@prisma/client';\ndeclare const prisma: PrismaClient;\nexport async function run() {\n  await prisma.user.delete({ where: { id: 1 } });\n  return prisma.user.findMany();\n}\n`,
];

genericValid.push(
  inAsync("const cache = new Map<string, Promise<string>>();\nconst pending = cache.get('a') ?? Promise.resolve('b');\nconsole.log(await pending);"),
  inAsync("const cache = new Map<string, Promise<string>>();\nconst cached = cache.get('a');\nif (cached) console.log(await cached);\nconsole.log(cached === undefined);"),
  // Declared a promise, asserted maybe-missing where it is tested: a presence check as written.
  inAsync("declare const parent: Promise<unknown>;\nconsole.log((parent as Promise<unknown> | undefined) !== undefined);"),
  inAsync("console.log(typeof getUser('1'));"),
  inAsync("void getUser('1');"),
  inAsync("console.log(getUser('1').then((user) => user.name === 'x'));"),
  inAsync("console.log([getUser('1')].length);"),
  inAsync("const settled = await Promise.allSettled([getUser('1')]);\nconsole.log(JSON.stringify(settled));"),
);

const genericInvalid: Invalid[] = [
  (() => {
    const code = inAsync("console.log(JSON.stringify({ ...{ user: getUser('1') } }));");
    return awaitIn(code, "getUser('1')", 'serialized');
  })(),
  (() => {
    const code = `${helpers}import { Router } from 'express';\n\nexport const router = Router();\nrouter.get('/pair', async (req, res) => {\n  res.json({ users: [getUser('1'), getUser('2')] });\n});\n`;
    const first = indexOf(code, "getUser('1')");
    const second = indexOf(code, "getUser('2')");
    const position = (index: number): { line: number; column: number } => ({ line: code.slice(0, index).split('\n').length, column: index - code.lastIndexOf('\n', index - 1) });
    return {
      code,
      filename: 'routes.ts',
      errors: [
        { messageId: 'response', ...position(first), suggestions: [{ messageId: 'addAwait', output: replace(code, "getUser('1')", "await getUser('1')") }] },
        { messageId: 'response', ...position(second), suggestions: [{ messageId: 'addAwait', output: replace(code, "getUser('2')", "await getUser('2')") }] },
      ],
    };
  })(),
  (() => {
    const code = inAsync("console.log(`Hello ${getUser('1')}`);");
    return awaitIn(code, "getUser('1')", 'template');
  })(),
  (() => {
    const code = inAsync("const line = `total: ${count()} items`;\nconsole.log(line);");
    return awaitIn(code, 'count()', 'template');
  })(),
  (() => {
    const code = inAsync("console.log('n=' + count());");
    return awaitIn(code, 'count()', 'concatenation');
  })(),
  (() => {
    const code = inAsync("let message = 'user: ';\nmessage += getUser('1');\nconsole.log(message);");
    return awaitIn(code, "getUser('1')", 'concatenation');
  })(),
  (() => {
    const code = inAsync("if (isAdmin()) console.log('admin');");
    return awaitIn(code, 'isAdmin()', 'condition');
  })(),
  (() => {
    const code = inAsync("while (isAdmin()) break;");
    return awaitIn(code, 'isAdmin()', 'condition');
  })(),
  (() => {
    const code = inAsync("do {\n  console.log('x');\n} while (isAdmin());");
    return awaitIn(code, 'isAdmin()', 'condition');
  })(),
  (() => {
    const code = inAsync("for (let i = 0; isAdmin(); i++) break;");
    return awaitIn(code, 'isAdmin()', 'condition');
  })(),
  (() => {
    const code = inAsync("console.log(isAdmin() ? 'yes' : 'no');");
    return awaitIn(code, 'isAdmin()', 'condition');
  })(),
  (() => {
    const code = inAsync("console.log(!isAdmin());");
    return awaitIn(code, 'isAdmin()', 'condition', '(await isAdmin())');
  })(),
  (() => {
    const code = inAsync("const allowed = isAdmin() && 'yes';\nconsole.log(allowed);");
    return awaitIn(code, 'isAdmin()', 'condition');
  })(),
  (() => {
    const code = inAsync("const fallback = getUser('1') || { name: 'none' };\nconsole.log(fallback);");
    return awaitIn(code, "getUser('1')", 'condition');
  })(),
  (() => {
    const code = inAsync("const user = getUser('1') ?? { name: 'none' };\nconsole.log(user);");
    return awaitIn(code, "getUser('1')", 'condition');
  })(),
  (() => {
    const code = inAsync('console.log(count() > 3);');
    return awaitIn(code, 'count()', 'comparison');
  })(),
  (() => {
    const code = inAsync("console.log(getUser('1') === undefined);");
    return awaitIn(code, "getUser('1')", 'comparison');
  })(),
  (() => {
    const code = inAsync('console.log(0 !== count());');
    return awaitIn(code, 'count()', 'comparison');
  })(),
  (() => {
    const code = inAsync('console.log(count() * 2);');
    return awaitIn(code, 'count()', 'arithmetic');
  })(),
  (() => {
    const code = inAsync('console.log(10 - count());');
    return awaitIn(code, 'count()', 'arithmetic');
  })(),
  (() => {
    const code = inAsync('console.log(1 + count());');
    return awaitIn(code, 'count()', 'arithmetic');
  })(),
  (() => {
    const code = inAsync('console.log(-count());');
    return awaitIn(code, 'count()', 'arithmetic', '(await count())');
  })(),
  (() => {
    const code = inAsync("console.log(JSON.stringify(getUser('1')));");
    return awaitIn(code, "getUser('1')", 'serialized');
  })(),
  (() => {
    const code = inAsync("console.log(JSON.stringify({ user: getUser('1'), n: 1 }));");
    return awaitIn(code, "getUser('1')", 'serialized');
  })(),
  (() => {
    const code = inAsync("console.log(JSON.stringify([getUser('1')]));");
    return awaitIn(code, "getUser('1')", 'serialized');
  })(),
  (() => {
    const code = inAsync("const pending = getUser('1');\nconsole.log(JSON.stringify({ pending }));");
    return awaitIn(code, 'pending }', 'serialized', 'pending: await pending }');
  })(),
  (() => {
    const code = inAsync("const body = { user: getUser('1') };\nreturn Response.json(body);");
    return awaitIn(code, "getUser('1')", 'serialized');
  })(),
  (() => {
    const code = inAsync("return new Response(JSON.stringify({ count: count() }));");
    return awaitIn(code, 'count()', 'serialized');
  })(),
  (() => {
    const code = inAsync('return new Response(count() as unknown as string);');
    return awaitIn(code, 'count()', 'serialized');
  })(),
  (() => {
    const code = inAsync("try {\n  return getUser('1');\n} catch {\n  return undefined;\n}");
    return { code, output: replace(code, "return getUser('1');", "return await getUser('1');"), errors: [{ messageId: 'returnInTry', ...at(code, "getUser('1');") }] };
  })(),
  (() => {
    const code = inAsync("try {\n  return getUser('1');\n} finally {\n  console.log('done');\n}");
    return { code, output: replace(code, "return getUser('1');", "return await getUser('1');"), errors: [{ messageId: 'returnInTry', ...at(code, "getUser('1');") }] };
  })(),
  (() => {
    const code = inAsync("try {\n  if (Math.random() > 0.5) {\n    return count();\n  }\n  return 0;\n} catch {\n  return -1;\n}");
    return { code, output: replace(code, 'return count();', 'return await count();'), errors: [{ messageId: 'returnInTry', ...at(code, 'count();') }] };
  })(),
  (() => {
    const code = inAsync("console.log(`Hello ${getUser('1')}`);", '');
    return invalid(code, "getUser('1')", 'template');
  })(),
  (() => {
    const code = `${helpers}import type { Knex } from 'knex';\ndeclare const db: Knex;\nexport async function run() {\n  db('users').insert({ name: 'a' });\n}\n`;
    return invalid(code, "db('users')", 'lazyQuery', { messageId: 'addAwait', replacement: "await db('users')" });
  })(),
  (() => {
    const code = `${helpers}import type { Knex } from 'knex';\ndeclare const db: Knex;\nexport function run() {\n  db('users').where('id', 1).del();\n}\n`;
    return invalid(code, "db('users')", 'lazyQuery');
  })(),
  (() => {
    const code = `${helpers}import type { PrismaClient } from '@prisma/client';\ndeclare const prisma: PrismaClient;\nexport async function run() {\n  prisma.user.delete({ where: { id: 1 } });\n}\n`;
    return invalid(code, 'prisma.user.delete', 'lazyQuery', { messageId: 'addAwait', replacement: 'await prisma.user.delete' });
  })(),
  (() => {
    const code = `${helpers}import type { Kysely } from 'kysely';\ndeclare const db: Kysely<{ users: { name: string } }>;\nexport async function run() {\n  await db.insertInto('users').values({ name: 'a' });\n}\n`;
    const query = "db.insertInto('users').values({ name: 'a' })";
    return { code, errors: [{ messageId: 'lazyQueryNotExecuted', ...at(code, query), suggestions: [{ messageId: 'addExecute', output: replace(code, query, `${query}.execute()`) }] }] };
  })(),
];

const handlerValid: Valid[] = [];
const handlerInvalid: Invalid[] = [];
for (const shape of promiseHandlerShapes) {
  const sink = shape.sink;
  if (sink === undefined) continue;
  const code = (value: string): string => `${helpers}${shape.code.replace('$STMT', sink.statement.replace('$VALUE', value))}`;
  if (shape.async) handlerValid.push({ code: code("await getUser('1')"), filename: shape.filename, name: `${shape.name}: awaited` });
  handlerValid.push({ code: code("'ready'"), filename: shape.filename, name: `${shape.name}: a plain value` });
  const source = code("getUser('1')");
  const needle = "getUser('1')";
  const suggestions: { messageId: MessageIds; output: string }[] = [];
  if (shape.async) suggestions.push({ messageId: 'addAwait', output: replace(source, needle, `await ${needle}`) });
  else if (shape.awaitsReturn) {
    const head = ['(req, res, next) =>', '(req, res) =>', '(ctx) =>', 'function handler'].find((candidate) => source.includes(candidate)) ?? '';
    const asyncAt = indexOf(source, head);
    const withAsync = `${source.slice(0, asyncAt)}async ${source.slice(asyncAt)}`;
    suggestions.push({ messageId: 'addAwaitAndAsync', output: replace(withAsync, needle, `await ${needle}`) });
  }
  handlerInvalid.push({
    code: source,
    filename: shape.filename,
    name: `${shape.name}: a promise sent with ${sink.name}`,
    errors: [{ messageId: sink.messageId, ...at(source, needle), suggestions }],
  });
}

// A promise tested for truth inside each framework's handler: `if (!canEdit(...)) deny()` never denies.
for (const shape of promiseHandlerShapes) {
  const source = `${helpers}${shape.code.replace('$STMT', "if (!isAdmin()) console.log('denied');")}`;
  const needle = 'isAdmin()';
  const suggestions: { messageId: MessageIds; output: string }[] = [];
  if (shape.async) suggestions.push({ messageId: 'addAwait', output: replace(source, needle, `(await ${needle})`) });
  else if (shape.awaitsReturn) {
    const head = ['(req, res, next) =>', '(req, res) =>', '(ctx) =>', 'function handler'].find((candidate) => source.includes(candidate)) ?? '';
    const asyncAt = indexOf(source, head);
    const withAsync = `${source.slice(0, asyncAt)}async ${source.slice(asyncAt)}`;
    suggestions.push({ messageId: 'addAwaitAndAsync', output: replace(withAsync, needle, `(await ${needle})`) });
  }
  handlerInvalid.push({ code: source, filename: shape.filename, name: `${shape.name}: a promise tested in a condition`, errors: [{ messageId: 'condition', ...at(source, needle), suggestions }] });
  if (shape.async) {
    handlerValid.push({ code: `${helpers}${shape.code.replace('$STMT', "if (!(await isAdmin())) console.log('denied');")}`, filename: shape.filename, name: `${shape.name}: an awaited condition` });
  }
}

// Handlers whose framework sends what they return: a promise nested in the returned object.
const returnedCases: Invalid[] = [
  (() => {
    const code = `${helpers}import Fastify from 'fastify';\n\nconst fastify = Fastify();\nfastify.get('/me', async () => {\n  return { user: getUser('1'), ok: true };\n});\n`;
    return { ...awaitIn(code, "getUser('1')", 'returned'), filename: 'server.ts' };
  })(),
  (() => {
    const code = `${helpers}import { Controller, Get } from '@nestjs/common';\n\n@Controller('me')\nexport class MeController {\n  @Get()\n  async show() {\n    return { user: getUser('1') };\n  }\n}\n`;
    return { ...awaitIn(code, "getUser('1')", 'returned'), filename: 'users.controller.ts' };
  })(),
  (() => {
    const code = `${helpers}import type { APIGatewayProxyHandler } from 'aws-lambda';\n\nexport const handler: APIGatewayProxyHandler = async () => {\n  return { statusCode: 200, body: JSON.stringify({ n: count() }) };\n};\n`;
    return { ...awaitIn(code, 'count()', 'serialized'), filename: 'lambda.ts' };
  })(),
];
const returnedValid: Valid[] = [
  { code: `${helpers}import Fastify from 'fastify';\n\nconst fastify = Fastify();\nfastify.get('/me', async () => getUser('1'));\n`, filename: 'server.ts' },
  { code: `${helpers}import Fastify from 'fastify';\n\nconst fastify = Fastify();\nfastify.get('/me', async () => {\n  return getUser('1');\n});\n`, filename: 'server.ts' },
];

typedRuleTester().run('no-missing-await', rule, {
  valid: [...genericValid, ...handlerValid, ...returnedValid],
  invalid: [...genericInvalid, ...handlerInvalid, ...returnedCases],
});
