import { defaultCatalog, type BlockingApi } from '@loopguard/core';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import rule, { type MessageIds, type Options } from '../../src/rules/no-blocking-calls.js';
import { chainData, directCallData } from '../../src/util/blocking-messages.js';
import { callForms, compose, handlerShapes } from './cases/handler-shapes.js';
import { typedRuleTester, untypedRuleTester } from './rule-tester.js';

function api(id: string): BlockingApi {
  const found = defaultCatalog.get(id);
  if (found === undefined) throw new Error(`no catalog entry ${id}`);
  return found;
}

/** Every handler shape with every import form: reported, with the suggestion where an await fits. */
function matrix(): InvalidTestCase<MessageIds, Options>[] {
  return handlerShapes.flatMap((shape) =>
    callForms.map((form): InvalidTestCase<MessageIds, Options> => {
      const composed = compose(shape, form);
      return {
        name: `${shape.name} / ${form.name}`,
        filename: shape.filename,
        code: composed.code,
        errors: [
          {
            messageId: 'blockingCall',
            data: directCallData(api(form.id)),
            line: composed.line,
            column: composed.column,
            endColumn: composed.endColumn,
            suggestions: shape.async ? [{ messageId: 'replaceWithAsync', data: { expression: form.suggestion.replacement }, output: composed.suggested }] : [],
          },
        ],
      };
    }),
  );
}

const valid: ValidTestCase<Options>[] = [
  {
    name: 'start-up code at module top level',
    filename: 'app.ts',
    code: "import express from 'express';\nimport { readFileSync } from 'node:fs';\nconst config = JSON.parse(readFileSync('config.json', 'utf8'));\nconst app = express();\napp.get('/', (req, res) => { res.json(config); });",
  },
  {
    name: 'a sync helper only called at start-up',
    filename: 'app.ts',
    code: "import express from 'express';\nimport fs from 'node:fs';\nfunction loadConfig() { return fs.readFileSync('config.json', 'utf8'); }\nconst config = loadConfig();\nexpress().get('/', (req, res) => { res.send(config); });",
  },
  {
    name: 'a build script: plain sync code no handler reaches',
    filename: 'scripts/build.ts',
    code: "import { readFileSync, writeFileSync } from 'node:fs';\nexport function build() { writeFileSync('out.json', readFileSync('in.json')); }\nbuild();",
  },
  {
    name: 'the promises API',
    filename: 'routes.ts',
    code: "import { Router } from 'express';\nimport { readFile } from 'node:fs/promises';\nexport const router = Router();\nrouter.get('/', async (req, res) => { res.send(await readFile('a.txt', 'utf8')); });",
  },
  {
    name: 'fs.promises through the default import',
    filename: 'file.ts',
    code: "import fs from 'node:fs';\nexport async function load() { return fs.promises.readFile('a.txt', 'utf8'); }",
  },
  {
    name: 'the callback API',
    filename: 'server.ts',
    code: "import { createServer } from 'node:http';\nimport { readFile } from 'node:fs';\nexport const server = createServer((req, res) => { readFile('a.txt', (error, data) => res.end(error ? 'x' : data)); });",
  },
  {
    name: 'a local function that merely ends in Sync',
    filename: 'file.ts',
    code: "import { readConfigSync } from './helpers/safe.js';\nfunction hashSync(value: string) { return value.length; }\nexport async function handler() { return hashSync(readConfigSync('x')); }",
  },
  {
    name: 'a method named like a blocking API on an unrelated object',
    filename: 'file.ts',
    code: "const cache = { readFileSync: (key: string) => key };\nexport async function get() { return cache.readFileSync('k'); }",
  },
  {
    name: 'a parameter that shadows the fs import',
    filename: 'file.ts',
    code: "import * as fs from 'node:fs';\nexport async function load(fs: { readFileSync(path: string): string }) { return fs.readFileSync('a'); }\nexport const size = fs.statSync('.').size;",
  },
  {
    name: 'an async helper is reported on its own, not at its callers',
    filename: 'routes.ts',
    code: "import { Router } from 'express';\nimport { deriveKey } from './helpers/async-helper.js';\nexport const router = Router();\nrouter.post('/login', async (req, res) => { res.json({ key: (await deriveKey('pw')).toString('hex') }); });",
  },
  {
    name: 'helpers that do not block',
    filename: 'routes.ts',
    code: "import { Router } from 'express';\nimport { formatName, loadUser } from './helpers/safe.js';\nexport const router = Router();\nrouter.get('/u', async (req, res) => { res.send(formatName('a', 'b') + (await loadUser('1'))); });",
  },
  {
    name: 'a sync function that only other sync code calls',
    filename: 'file.ts',
    code: "import { execSync } from 'node:child_process';\nfunction gitSha() { return execSync('git rev-parse HEAD').toString(); }\nexport function banner() { return `build ${gitSha()}`; }",
  },
  {
    name: 'a polling loop that awaits is not a busy wait',
    filename: 'file.ts',
    code: "import { setTimeout } from 'node:timers/promises';\nexport async function waitFor(check: () => boolean) { const until = Date.now() + 1000; while (Date.now() < until) { if (check()) return; await setTimeout(10); } }",
  },
  {
    name: 'the handlers scope leaves other async functions alone',
    filename: 'file.ts',
    options: [{ scope: 'handlers' }],
    code: "import { readFileSync } from 'node:fs';\nexport async function job() { return readFileSync('a'); }",
  },
  {
    name: 'allow by API name',
    filename: 'file.ts',
    options: [{ allow: ['fs.existsSync'] }],
    code: "import fs from 'node:fs';\nexport async function probe() { return fs.existsSync('a'); }",
  },
  {
    name: 'allow by kind',
    filename: 'file.ts',
    options: [{ allow: ['kind:crypto'] }],
    code: "import { scryptSync } from 'node:crypto';\nexport async function derive() { return scryptSync('a', 'b', 32); }",
  },
  {
    name: 'allow a project function whose calls are accepted',
    filename: 'file.ts',
    options: [{ allow: ['renderPage()'] }],
    code: "import { renderPage } from './helpers/render.js';\nexport async function home() { return renderPage('home', 'Home'); }",
  },
  {
    name: 'transitive off',
    filename: 'file.ts',
    options: [{ transitive: false }],
    code: "import { renderPage } from './helpers/render.js';\nexport async function home() { return renderPage('home', 'Home'); }",
  },
  {
    name: 'a chain longer than maxDepth',
    filename: 'file.ts',
    options: [{ maxDepth: 2 }],
    code: "import { level1 } from './helpers/deep.js';\nexport async function sha() { return level1('git rev-parse HEAD'); }",
  },
  {
    name: 'a Map called app is not an Express app',
    filename: 'file.ts',
    code: "import { readFileSync } from 'node:fs';\nconst app = new Map<string, unknown>();\napp.set('x', () => readFileSync('a'));",
  },
  {
    name: 'a fastify onReady hook runs at start-up',
    filename: 'server.ts',
    code: "import Fastify from 'fastify';\nimport { readFileSync } from 'node:fs';\nconst fastify = Fastify();\nfastify.addHook('onReady', function warm(done) { readFileSync('cache.json'); done(); });",
  },
  {
    name: 'a helper that only registers a listener or a timer whose callback blocks later',
    filename: 'file.ts',
    code: "import { readFileSync, writeFileSync } from 'node:fs';\nfunction onExit() {\n  process.once('exit', () => writeFileSync('state.json', '{}'));\n  setTimeout(() => readFileSync('a'), 10);\n  Promise.resolve().then(() => readFileSync('b'));\n}\nexport async function start() { onExit(); }",
  },
  {
    name: 'a non-route export in a route file',
    filename: 'src/app/api/users/route.ts',
    code: "import { readFileSync } from 'node:fs';\nexport function loadFixture() { return readFileSync('users.json', 'utf8'); }\nexport async function GET() { return new Response('ok'); }",
  },
];

const handwritten: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'a blocking call two helper calls deep, in other files',
    filename: 'routes.ts',
    code: "import { Router } from 'express';\nimport { renderPage } from './helpers/render.js';\nexport const router = Router();\nrouter.get('/', (req, res) => {\n  res.send(renderPage('home', 'Home'));\n});",
    errors: [{ messageId: 'blockingChain', data: chainData(['renderPage', 'readTemplate'], api('node:fs:readFileSync')), line: 5, column: 12 }],
  },
  {
    name: 'a helper whose callback runs during the call (map), called from an async function',
    filename: 'file.ts',
    code: "import { readFileSync } from 'node:fs';\nfunction readAll(paths: string[]) {\n  return paths.map((path) => readFileSync(path, 'utf8'));\n}\nexport async function load() {\n  return readAll(['a', 'b']);\n}",
    errors: [{ messageId: 'blockingChain', data: chainData(['readAll'], api('node:fs:readFileSync')), line: 6, column: 10 }],
  },
  {
    name: 'three helper calls deep',
    filename: 'file.ts',
    code: "import { level1 } from './helpers/deep.js';\nexport async function sha() {\n  return level1('git rev-parse HEAD');\n}",
    errors: [{ messageId: 'blockingChain', data: chainData(['level1', 'level2', 'level3'], api('node:child_process:execSync')), line: 3, column: 10 }],
  },
  {
    name: 'a class method that blocks, called from a handler',
    filename: 'app.ts',
    code: "import express from 'express';\nimport { JsonStore } from './helpers/store.js';\nconst store = new JsonStore('users.json');\nconst app = express();\napp.get('/users', (req, res) => {\n  res.json(store.read());\n});",
    errors: [{ messageId: 'blockingChain', data: chainData(['JsonStore.read'], api('node:fs:readFileSync')), line: 6, column: 12 }],
  },
  {
    name: 'a re-export through a local module',
    filename: 'file.ts',
    code: "import { readText } from './helpers/reexport.js';\nexport async function load() {\n  return readText('a.txt', 'utf8');\n}",
    errors: [
      {
        messageId: 'blockingCall',
        data: directCallData(api('node:fs:readFileSync')),
        line: 3,
        column: 10,
        suggestions: [
          {
            messageId: 'replaceWithAsync',
            data: { expression: "await readFile('a.txt', 'utf8')" },
            output: "import { readText } from './helpers/reexport.js';\nimport { readFile } from 'node:fs/promises';\nexport async function load() {\n  return await readFile('a.txt', 'utf8');\n}",
          },
        ],
      },
    ],
  },
  {
    name: 'better-sqlite3 statement methods through a helper',
    filename: 'routes.ts',
    code: "import { Router } from 'express';\nimport { findUser } from './helpers/db.js';\nexport const router = Router();\nrouter.get('/users/:id', (req, res) => {\n  res.json(findUser(Number(req.params.id)));\n});",
    errors: [{ messageId: 'blockingChain', data: chainData(['findUser'], api('better-sqlite3:Statement#get')), line: 5, column: 12 }],
  },
  {
    name: 'better-sqlite3 used directly, with no async replacement to suggest',
    filename: 'file.ts',
    code: "import Database from 'better-sqlite3';\nconst db = new Database('app.db');\nexport async function count() {\n  return db.prepare('select count(*) from users').get();\n}",
    errors: [
      { messageId: 'blockingCall', data: directCallData(api('better-sqlite3:Statement#get')), line: 4, column: 10, suggestions: [] },
      { messageId: 'blockingCall', data: directCallData(api('better-sqlite3:Database#prepare')), line: 4, column: 10, suggestions: [] },
    ],
  },
  {
    name: 'Atomics.wait',
    filename: 'file.ts',
    code: 'const lock = new Int32Array(new SharedArrayBuffer(4));\nexport async function pause() {\n  Atomics.wait(lock, 0, 0, 50);\n}',
    errors: [{ messageId: 'blockingCall', data: directCallData(api('global:Atomics.wait')), line: 3, column: 3, suggestions: [] }],
  },
  {
    name: 'a busy-wait loop in an async function',
    filename: 'file.ts',
    code: 'export async function throttle() {\n  const until = Date.now() + 20;\n  while (Date.now() < until) {}\n}',
    errors: [
      {
        messageId: 'busyWait',
        data: { reason: defaultCatalog.busyWaitPatterns[0]?.reason ?? '', advice: defaultCatalog.busyWaitPatterns[0]?.advice ?? '' },
        line: 3,
        column: 3,
        endColumn: 29,
      },
    ],
  },
  {
    name: 'a busy wait hidden in a helper',
    filename: 'file.ts',
    code: "import { sleepSync } from './helpers/sleep.js';\nexport async function slow() {\n  sleepSync(5);\n}",
    errors: [{ messageId: 'blockingChain', data: chainData(['sleepSync'], defaultCatalog.busyWaitPatterns[0] ?? api('x')), line: 3, column: 3 }],
  },
  {
    name: 'a handler passed by name, declared below',
    filename: 'app.ts',
    code: "import express from 'express';\nimport { gzipSync } from 'node:zlib';\nconst app = express();\napp.get('/export', exportPosts);\nfunction exportPosts(req: express.Request, res: express.Response) {\n  res.send(gzipSync('posts'));\n}",
    errors: [{ messageId: 'blockingCall', data: directCallData(api('node:zlib:gzipSync')), line: 6, column: 12, suggestions: [] }],
  },
  {
    name: 'parentheses keep member access on the awaited value',
    filename: 'file.ts',
    code: "import { readFileSync } from 'node:fs';\nexport async function size() {\n  return readFileSync('a.txt').length;\n}",
    errors: [
      {
        messageId: 'blockingCall',
        data: directCallData(api('node:fs:readFileSync')),
        line: 3,
        column: 10,
        suggestions: [
          {
            messageId: 'replaceWithAsync',
            data: { expression: "(await readFile('a.txt'))" },
            output: "import { readFileSync } from 'node:fs';\nimport { readFile } from 'node:fs/promises';\nexport async function size() {\n  return (await readFile('a.txt')).length;\n}",
          },
        ],
      },
    ],
  },
  {
    name: 'project APIs added by configuration',
    filename: 'file.ts',
    options: [{ blockingApis: [{ module: 'node:os', export: 'cpus', kind: 'process', reason: 'Pretend `os.cpus` blocks.', advice: 'Cache it at start-up.' }] }],
    code: "import os from 'node:os';\nexport async function info() {\n  return os.cpus().length;\n}",
    errors: [
      {
        messageId: 'blockingCall',
        data: { api: 'os.cpus', reason: 'Pretend `os.cpus` blocks.', advice: 'Cache it at start-up.' },
        line: 3,
        column: 10,
        suggestions: [],
      },
    ],
  },
  ...[
    [
      'a bound class method',
      "import express from 'express';\nimport { readFileSync } from 'node:fs';\nclass Controller {\n  list(req: express.Request, res: express.Response) {\n    res.send(readFileSync('a'));\n  }\n}\nconst controller = new Controller();\nexpress().get('/x', controller.list.bind(controller));",
    ],
    [
      'an object-literal method passed by reference',
      "import express from 'express';\nimport { readFileSync } from 'node:fs';\nconst controller = {\n  list(req: express.Request, res: express.Response) {\n    res.send(readFileSync('a'));\n  },\n};\nexpress().get('/x', controller.list);",
    ],
    [
      'a handler wrapped by an async-handler helper',
      "import express from 'express';\nimport { readFileSync } from 'node:fs';\nconst asyncHandler = <T>(fn: T) => fn;\nconst app = express();\napp.get('/x', asyncHandler((req: express.Request, res: express.Response) => {\n    res.send(readFileSync('a'));\n}));",
    ],
    [
      'middleware spread from a constant array',
      "import express from 'express';\nimport { readFileSync } from 'node:fs';\nconst chain = [\n  (req: express.Request, res: express.Response) => {\n    res.send(readFileSync('a'));\n  },\n];\nexpress().get('/x', ...chain);",
    ],
  ].map(([name = '', code = '']): InvalidTestCase<MessageIds, Options> => {
    const line = code.split('\n').findIndex((text) => text.includes("readFileSync('a')")) + 1;
    const column = (code.split('\n')[line - 1] ?? '').indexOf("readFileSync('a')") + 1;
    return { name, filename: 'app.ts', code, errors: [{ messageId: 'blockingCall', data: directCallData(api('node:fs:readFileSync')), line, column, suggestions: [] }] };
  }),
  {
    name: "scope 'all-functions' includes plain sync functions",
    filename: 'file.ts',
    options: [{ scope: 'all-functions' }],
    code: "import { execSync } from 'node:child_process';\nexport function sha() {\n  return execSync('git rev-parse HEAD');\n}",
    errors: [{ messageId: 'blockingCall', data: directCallData(api('node:child_process:execSync')), line: 3, column: 10, suggestions: [] }],
  },
];

describe('no-blocking-calls with type information', () => {
  typedRuleTester().run('no-blocking-calls', rule, { valid, invalid: [...matrix(), ...handwritten] });
});

// Without a program the rule follows imports syntactically within the file; cross-file chains and
// declared types (better-sqlite3 methods, re-exports) need the checker.
const needsTypes = new Set([
  'a blocking call two helper calls deep, in other files',
  'three helper calls deep',
  'a class method that blocks, called from a handler',
  'a re-export through a local module',
  'better-sqlite3 statement methods through a helper',
  'better-sqlite3 used directly, with no async replacement to suggest',
  'a busy wait hidden in a helper',
]);

describe('no-blocking-calls without type information', () => {
  untypedRuleTester().run('no-blocking-calls', rule, {
    valid: [
      ...valid,
      {
        name: 'untyped: a helper in another file is not followed',
        filename: 'file.ts',
        code: "import { level1 } from './helpers/deep.js';\nexport async function sha() { return level1('x'); }",
      },
    ],
    invalid: [
      ...matrix(),
      ...handwritten.filter((testCase) => !needsTypes.has(testCase.name ?? '')),
      {
        name: 'untyped: a same-file helper chain',
        filename: 'file.ts',
        code: "import { execSync } from 'node:child_process';\nfunction sha() { return execSync('git rev-parse HEAD'); }\nexport async function version() {\n  return sha();\n}",
        errors: [{ messageId: 'blockingChain', data: chainData(['sha'], api('node:child_process:execSync')), line: 4, column: 10 }],
      },
    ],
  });
});
