import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import rule, { type MessageIds, type Options } from '../../src/rules/no-dropped-rejections.js';
import { promiseHandlerShapes, promiseHelpers } from './cases/promise-handler-shapes.js';
import { express4FixtureDir, typedRuleTester } from './rule-tester.js';

type Valid = ValidTestCase<Options> | string;
type Invalid = InvalidTestCase<MessageIds, Options>;

const helpers = `${promiseHelpers}declare function load(id: string): Promise<string>;\n`;

function at(code: string, needle: string): { line: number; column: number } {
  const before = code.slice(0, code.indexOf(needle, helpers.length));
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/** Express 4 registrations, each with `$HANDLER` where the handler goes. */
const express4Registrations = [
  ['app.get', "import express from 'express';\n\nconst app = express();\napp.get('/users/:id', $HANDLER);\n"],
  ['app.post', "import express from 'express';\n\nconst app = express();\napp.post('/users', $HANDLER);\n"],
  ['app.use', "import express from 'express';\n\nconst app = express();\napp.use($HANDLER);\n"],
  ['app.all', "import express from 'express';\n\nconst app = express();\napp.all('/ping', $HANDLER);\n"],
  ['Router.put', "import { Router } from 'express';\n\nexport const router = Router();\nrouter.put('/users/:id', $HANDLER);\n"],
  ['Router.delete', "import express from 'express';\n\nexport const router = express.Router();\nrouter.delete('/users/:id', $HANDLER);\n"],
  ['route().patch', "import express from 'express';\n\nconst app = express();\napp.route('/users/:id').patch($HANDLER);\n"],
  ['app.patch', "import express from 'express';\n\nconst app = express();\napp.patch('/users/:id', $HANDLER);\n"],
  ['app.delete', "import express from 'express';\n\nconst app = express();\napp.delete('/users/:id', $HANDLER);\n"],
  ['Router.use', "import { Router } from 'express';\n\nexport const router = Router();\nrouter.use($HANDLER);\n"],
  ['Router.post with path array', "import { Router } from 'express';\n\nexport const router = Router();\nrouter.post(['/orders', '/v1/orders'], $HANDLER);\n"],
  ['route with middleware', "import express from 'express';\n\nconst app = express();\nconst auth: express.RequestHandler = (req, res, next) => next();\napp.get('/me', auth, $HANDLER);\n"],
] as const;

const express4Valid: Valid[] = [];
const express4Invalid: Invalid[] = [];
for (const [name, template] of express4Registrations) {
  const code = (handler: string): string => `${helpers}${template.replace('$HANDLER', handler)}`;
  express4Valid.push({ code: code("(req, res) => {\n  res.json({ id: req.params['id'] });\n}"), filename: 'app.ts', name: `${name}: sync handler` });
  express4Valid.push({
    code: code("async (req, res, next) => {\n  try {\n    res.json({ user: await load(String(req.params['id'])) });\n  } catch (error) {\n    next(error);\n  }\n}"),
    filename: 'app.ts',
    name: `${name}: every error forwarded to next`,
  });
  express4Valid.push({ code: code("(req, res, next) => {\n  load('1').then((user) => res.json({ user }), next);\n}"), filename: 'app.ts', name: `${name}: promise handled inside` });

  const arrow = "async (req, res) => {\n  res.json({ user: await load('1') });\n}";
  const source = code(arrow);
  const fixed = code("async (req, res, next) => {\n  try {\n    res.json({ user: await load('1') });\n  } catch (error) {\n    next(error);\n  }\n}");
  express4Invalid.push({
    code: source,
    filename: 'app.ts',
    name: `${name}: async arrow`,
    errors: [{ messageId: 'handler', ...at(source, 'async (req, res)'), suggestions: [{ messageId: 'forwardToNext', output: fixed }] }],
  });
  const expression = "async function show(req, res, next) {\n  res.send(await load('1'));\n  next();\n}";
  const expressionSource = code(expression);
  express4Invalid.push({
    code: expressionSource,
    filename: 'app.ts',
    name: `${name}: async function expression with next`,
    errors: [
      {
        messageId: 'handler',
        ...at(expressionSource, 'async function show'),
        suggestions: [{ messageId: 'forwardToNext', output: code("async function show(req, res, next) {\n  try {\n    res.send(await load('1'));\n    next();\n  } catch (error) {\n    next(error);\n  }\n}") }],
      },
    ],
  });
}

const express4Named: Invalid[] = [
  (() => {
    const code = `${helpers}import express from 'express';\nimport type { Request, Response } from 'express';\n\nconst app = express();\n\nasync function showUser(req: Request, res: Response): Promise<void> {\n  res.json({ user: await load(String(req.params['id'])) });\n}\n\napp.get('/users/:id', showUser);\n`;
    const output = `${helpers}import express from 'express';\nimport type { Request, Response, NextFunction } from 'express';\n\nconst app = express();\n\nasync function showUser(req: Request, res: Response, next: NextFunction): Promise<void> {\n  try {\n    res.json({ user: await load(String(req.params['id'])) });\n  } catch (error) {\n    next(error);\n  }\n}\n\napp.get('/users/:id', showUser);\n`;
    return { code, filename: 'app.ts', errors: [{ messageId: 'handler', ...at(code, 'async function showUser'), suggestions: [{ messageId: 'forwardToNext', output }] }] };
  })(),
  (() => {
    const code = `${helpers}import express from 'express';\n\nconst app = express();\napp.get('/a', async (_req, res) => res.send(await load('a')));\n`;
    const output = `${helpers}import express from 'express';\n\nconst app = express();\napp.get('/a', async (_req, res, next) => { try { res.send(await load('a')); } catch (error) { next(error); } });\n`;
    return { code, filename: 'app.ts', errors: [{ messageId: 'handler', ...at(code, 'async (_req, res)'), suggestions: [{ messageId: 'forwardToNext', output }] }] };
  })(),
  (() => {
    const code = `${helpers}import express from 'express';\nimport type { NextFunction, Request, Response } from 'express';\n\nconst app = express();\napp.use(async (error: Error, _req: Request, res: Response, next: NextFunction) => {\n  res.status(500).send(await load(error.message));\n});\n`;
    const output = `${helpers}import express from 'express';\nimport type { NextFunction, Request, Response } from 'express';\n\nconst app = express();\napp.use(async (error: Error, _req: Request, res: Response, next: NextFunction) => {\n  try {\n    res.status(500).send(await load(error.message));\n  } catch (error) {\n    next(error);\n  }\n});\n`;
    return { code, filename: 'app.ts', errors: [{ messageId: 'handler', ...at(code, 'async (error: Error'), suggestions: [{ messageId: 'forwardToNext', output }] }] };
  })(),
];

/** Everywhere else: listeners, timers, promise executors, node:http. */
const elsewhereInvalid: Invalid[] = [];
const elsewhereValid: Valid[] = [];
const listenerCases = [
  ["import { EventEmitter } from 'node:events';\n\nconst emitter = new EventEmitter();\nemitter.on('order', $FN);\n", "'order' listener"],
  ["import { EventEmitter } from 'node:events';\n\nconst emitter = new EventEmitter();\nemitter.once('ready', $FN);\n", "'ready' listener"],
  ["import { EventEmitter } from 'node:events';\n\nconst emitter = new EventEmitter();\nemitter.addListener('order', $FN);\n", "'order' listener"],
  ["import { EventEmitter } from 'node:events';\n\nconst emitter = new EventEmitter();\nemitter.prependListener('order', $FN);\n", "'order' listener"],
  ["process.on('message', $FN);\n", "'message' listener"],
  ["process.once('SIGTERM', $FN);\n", "'SIGTERM' listener"],
  ["import { createReadStream } from 'node:fs';\n\ncreateReadStream('data.csv').on('data', $FN);\n", "'data' listener"],
  ["import { Readable } from 'node:stream';\n\nReadable.from(['a']).on('end', $FN);\n", "'end' listener"],
] as const;
for (const [template, where] of listenerCases) {
  const invalidCode = `${helpers}${template.replace('$FN', "async () => {\n  await load('1');\n}")}`;
  elsewhereInvalid.push({ code: invalidCode, name: `${where}: async`, errors: [{ messageId: 'listener', data: { where }, ...at(invalidCode, 'async () =>') }] });
  elsewhereValid.push({ code: `${helpers}${template.replace('$FN', "() => {\n  console.log('sync');\n}")}`, name: `${where}: sync` });
  elsewhereValid.push({ code: `${helpers}${template.replace('$FN', "async () => {\n  try {\n    await load('1');\n  } catch (error) {\n    console.error(error);\n  }\n}")}`, name: `${where}: catches everything` });
}
const timerCases = [
  ["setTimeout($FN, 10);\n", 'setTimeout'],
  ["setInterval($FN, 1000);\n", 'setInterval'],
  ["setImmediate($FN);\n", 'setImmediate'],
  ["import timers from 'node:timers';\n\ntimers.setTimeout($FN, 10);\n", 'setTimeout'],
  ["import { setInterval as every } from 'node:timers';\n\nevery($FN, 10);\n", 'setInterval'],
  ["globalThis.setTimeout($FN, 10);\n", 'setTimeout'],
] as const;
for (const [template, where] of timerCases) {
  const invalidCode = `${helpers}${template.replace('$FN', "async () => {\n  await notify('tick');\n}")}`;
  elsewhereInvalid.push({ code: invalidCode, name: `${where}: async callback`, errors: [{ messageId: 'timer', data: { where }, ...at(invalidCode, 'async () =>') }] });
  elsewhereValid.push({ code: `${helpers}${template.replace('$FN', "() => {\n  void notify('tick');\n}")}`, name: `${where}: sync callback` });
  elsewhereValid.push({ code: `${helpers}${template.replace('$FN', "async () => {\n  try {\n    await notify('tick');\n  } catch {\n    // retried on the next tick\n  }\n}")}`, name: `${where}: catches everything` });
}
elsewhereInvalid.push(
  (() => {
    const code = `${helpers}export const value = new Promise<string>(async (resolve) => {\n  resolve(await load('1'));\n});\n`;
    return { code, errors: [{ messageId: 'promiseExecutor', ...at(code, 'async (resolve)') }] };
  })(),
  (() => {
    const code = `${helpers}export function later(): Promise<void> {\n  return new Promise(async function executor(resolve, reject) {\n    await notify('x').catch(reject);\n    resolve();\n  });\n}\n`;
    return { code, errors: [{ messageId: 'promiseExecutor', ...at(code, 'async function executor') }] };
  })(),
  (() => {
    const code = `${helpers}async function onTick(): Promise<void> {\n  await notify('tick');\n}\nsetInterval(onTick, 1000);\n`;
    return { code, errors: [{ messageId: 'timer', data: { where: 'setInterval' }, ...at(code, 'async function onTick') }] };
  })(),
  (() => {
    const code = `${helpers}import { createServer } from 'node:http';\n\nexport const server = createServer(async (req, res) => {\n  res.end(await load(req.url ?? '/'));\n});\n`;
    return { code, filename: 'server.ts', errors: [{ messageId: 'handler', ...at(code, 'async (req, res)') }] };
  })(),
  (() => {
    const code = `${helpers}import http from 'node:http';\n\nexport const server = http.createServer();\nserver.on('request', async (req, res) => {\n  res.end(await load(req.url ?? '/'));\n});\n`;
    return { code, filename: 'server.ts', errors: [{ messageId: 'handler', ...at(code, 'async (req, res)') }] };
  })(),
  (() => {
    const code = `${helpers}function fetchLater(): Promise<void> {\n  return notify('x');\n}\nsetTimeout(fetchLater, 5);\n`;
    return { code, errors: [{ messageId: 'timer', data: { where: 'setTimeout' }, ...at(code, 'function fetchLater') }] };
  })(),
);
elsewhereValid.push(
  `${helpers}export const value = new Promise<string>((resolve, reject) => {\n  load('1').then(resolve, reject);\n});\n`,
  `${helpers}import { setTimeout as sleep } from 'node:timers/promises';\n\nexport async function wait() {\n  await sleep(10);\n}\n`,
  `${helpers}class Bus {\n  on(event: string, listener: () => Promise<void>) {\n    void listener();\n    return event;\n  }\n}\nnew Bus().on('x', async () => {\n  await notify('x');\n});\n`,
  `${helpers}const later = (fn: () => Promise<void>) => fn;\nlater(async () => {\n  await notify('x');\n});\n`,
);

// Frameworks that await their handlers (Express 5 here, Fastify, Koa, Hono, Next.js, NestJS, Lambda): nothing to report.
const awaitedHandlers: Valid[] = promiseHandlerShapes
  .filter((shape) => shape.awaitsReturn)
  .map((shape) => ({
    code: `${promiseHelpers}${shape.code.replace('$STMT', "await notify('order');").replace(/\(req, res\) =>|\(req, res, next\) =>|\(ctx\) =>/, (head) => `async ${head}`).replace('async async', 'async')}`,
    filename: shape.filename,
    name: `${shape.name}: async handler, awaited by the framework`,
  }));

typedRuleTester(express4FixtureDir).run('no-dropped-rejections (Express 4)', rule, {
  valid: express4Valid,
  invalid: [...express4Invalid, ...express4Named],
});

typedRuleTester().run('no-dropped-rejections', rule, {
  valid: [...elsewhereValid, ...awaitedHandlers],
  invalid: elsewhereInvalid,
});
