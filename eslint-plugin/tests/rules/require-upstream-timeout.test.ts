import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import rule, { type MessageIds, type Options } from '../../src/rules/require-upstream-timeout.js';
import { promiseHandlerShapes } from './cases/promise-handler-shapes.js';
import { typedRuleTester, untypedRuleTester } from './rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

const imports = "import axios from 'axios';\nimport got from 'got';\n";
const asyncShapes = promiseHandlerShapes.filter((shape) => shape.async);

function embed(template: string, statement: string): string {
  return `${imports}${template.replace('$STMT', statement)}`;
}

function at(code: string, needle: string): { line: number; column: number } {
  const index = code.indexOf(needle, imports.length);
  const before = code.slice(0, index);
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/** Calls without a timeout, and the call with the suggested one. */
const untimed: readonly { name: string; statement: string; fixed: string; needle: string }[] = [
  { name: 'fetch without options', statement: "await fetch('https://api.test/profile');", fixed: "await fetch('https://api.test/profile', { signal: AbortSignal.timeout(10000) });", needle: 'fetch(' },
  {
    name: 'fetch with options but no signal',
    statement: "await fetch('https://api.test/orders', { method: 'POST' });",
    fixed: "await fetch('https://api.test/orders', { method: 'POST', signal: AbortSignal.timeout(10000) });",
    needle: 'fetch(',
  },
  { name: 'axios.get without a config', statement: "await axios.get('https://api.test/profile');", fixed: "await axios.get('https://api.test/profile', { timeout: 10000 });", needle: 'axios.get' },
  { name: 'got without options', statement: "await got('https://api.test/profile');", fixed: "await got('https://api.test/profile', { timeout: { request: 10000 } });", needle: 'got(' },
];

/** Calls with a timeout, or whose options cannot be seen. */
const timed: readonly { name: string; statement: string }[] = [
  { name: 'fetch with a signal', statement: "await fetch('https://api.test/profile', { signal: AbortSignal.timeout(2000) });" },
  { name: 'axios with a timeout', statement: "await axios.post('https://api.test/orders', { id: 1 }, { timeout: 2000 });" },
  { name: 'got with a timeout', statement: "await got.get('https://api.test/profile', { timeout: { request: 2000 } });" },
  { name: 'fetch of a Request, which carries its own signal', statement: "await fetch(new Request('https://api.test/profile'));" },
];

const valid: Valid[] = [];
const invalid: Invalid[] = [];

for (const shape of asyncShapes) {
  for (const call of untimed) {
    const code = embed(shape.code, call.statement);
    invalid.push({
      name: `${shape.name}: ${call.name}`,
      filename: shape.filename,
      code,
      errors: [{ messageId: 'inHandler', ...at(code, call.needle), suggestions: [{ messageId: 'addTimeout', output: embed(shape.code, call.fixed) }] }],
    });
  }
  for (const call of timed) valid.push({ name: `${shape.name}: ${call.name}`, filename: shape.filename, code: embed(shape.code, call.statement) });
}

const file = (body: string): string => `${imports}${body}`;

valid.push(
  { name: 'a call at module top level runs at start-up', filename: 'file.ts', code: file("export const config = await fetch('https://config.test/app.json');\n") },
  {
    name: 'a test body and a hook: the test runner bounds them',
    filename: 'file.ts',
    code: file(
      "declare function it(name: string, run: () => Promise<void>): void;\ndeclare function beforeEach(run: () => Promise<void>): void;\nbeforeEach(async () => {\n  await fetch('http://localhost:3000/reset', { method: 'POST' });\n});\nit('answers', async () => {\n  const response = await axios.get('http://localhost:3000/health');\n  await Promise.all([1, 2].map(async (n) => fetch(`http://localhost:3000/items/${n}`)));\n  console.log(response.status);\n});\n",
    ),
  },
  { name: 'a timeout set on the axios instance', filename: 'file.ts', code: file("const api = axios.create({ baseURL: 'https://api.test', timeout: 2000 });\nexport async function load() {\n  return api.get('/profile');\n}\n") },
  { name: 'a timeout set on the axios defaults', filename: 'file.ts', code: file("axios.defaults.timeout = 2000;\nexport async function load() {\n  return axios.get('https://api.test/profile');\n}\n") },
  { name: 'a got instance with a timeout', filename: 'file.ts', code: file("const client = got.extend({ timeout: { request: 2000 } });\nexport async function load() {\n  return client.get('https://api.test/profile');\n}\n") },
  { name: 'undici request with headersTimeout', filename: 'file.ts', code: "import { request } from 'undici';\nexport async function load() {\n  return request('https://api.test/profile', { headersTimeout: 2000 });\n}\n" },
  { name: 'a local function called fetch', filename: 'file.ts', code: "function fetch(id: string) {\n  return id;\n}\nexport async function load() {\n  return fetch('1');\n}\n" },
  { name: 'options spread from a value that has a signal', filename: 'file.ts', code: "const defaults = { signal: AbortSignal.timeout(2000) };\nexport async function load() {\n  return fetch('https://api.test/profile', { ...defaults, method: 'GET' });\n}\n" },
  { name: 'options from a parameter: not this call’s to judge', filename: 'file.ts', code: "export async function load(init: RequestInit) {\n  return fetch('https://api.test/profile', init);\n}\n" },
  { name: 'a const options object with a signal', filename: 'file.ts', code: "const init = { signal: AbortSignal.timeout(2000) };\nexport async function load() {\n  return fetch('https://api.test/profile', init);\n}\n" },
  // The literal is not all the object has: what is set later may be a signal or a timeout.
  {
    name: 'a const options object given a signal after its declaration',
    filename: 'file.ts',
    code: "export async function load(controller: AbortController) {\n  const init: RequestInit = { method: 'POST' };\n  init.signal = controller.signal;\n  return fetch('https://api.test/orders', init);\n}\n",
  },
  ...[
    ['passed to a helper', 'withDeadline(init, 5000);'],
    ['changed through an alias', 'const same = init;\n  same.signal = controller.signal;'],
    ['given a signal by a destructuring assignment', '({ signal: init.signal } = controller);'],
    ['given options under computed keys', 'for (const [option, value] of Object.entries({ signal: controller.signal })) init[option] = value;'],
  ].map(([how, change]) => ({
    name: `a const options object ${how ?? ''}`,
    filename: 'file.ts',
    code: `declare function withDeadline(init: RequestInit, ms: number): void;\nexport async function load(controller: AbortController) {\n  const init: Record<string, unknown> = { method: 'POST' };\n  ${change ?? ''}\n  return fetch('https://api.test/orders', init);\n}\n`,
  })),
  {
    name: 'a const axios config given a timeout by Object.assign',
    filename: 'file.ts',
    code: file("export async function load(timeoutMs: number) {\n  const config = { headers: {} };\n  Object.assign(config, { timeout: timeoutMs });\n  return axios.get('https://api.test/profile', config);\n}\n"),
  },
  { name: 'axios request config with a timeout', filename: 'file.ts', code: file("export async function load() {\n  return axios.request({ url: 'https://api.test/profile', timeout: 2000 });\n}\n") },
  { name: 'an axios instance whose creation is not in the file', filename: 'file.ts', code: "import type { AxiosInstance } from 'axios';\nexport async function load(http: AxiosInstance) {\n  return http.get('/profile');\n}\n" },
  { name: 'ky has a default timeout', filename: 'file.js', code: "import ky from 'ky';\nexport async function load() {\n  return ky.get('https://api.test/profile');\n}\n" },
);

const code = {
  globalThis: "export async function load() {\n  return globalThis.fetch('https://api.test/profile');\n}\n",
  undiciFetch: "import { fetch } from 'undici';\nexport async function load() {\n  return fetch('https://api.test/profile');\n}\n",
  undiciRequest: "import { request } from 'undici';\nexport async function load() {\n  return request('https://api.test/profile', { method: 'GET' });\n}\n",
  instance: file("const api = axios.create({ baseURL: 'https://api.test' });\nexport async function load() {\n  return api.get('/profile');\n}\n"),
  post: file("export async function save() {\n  return axios.post('https://api.test/orders');\n}\n"),
  request: file("export async function load() {\n  return axios.request({ url: 'https://api.test/profile' });\n}\n"),
  config: file("export async function load() {\n  return axios({ url: 'https://api.test/profile' });\n}\n"),
  constInit: "const init = { method: 'POST' };\nexport async function load() {\n  return fetch('https://api.test/orders', init);\n}\n",
  constConfig: file("import type { AxiosRequestConfig } from 'axios';\nconst config = { headers: { accept: 'application/json' } };\nexport async function load() {\n  return axios.get('https://api.test/profile', config as AxiosRequestConfig);\n}\n"),
  bodyInit: "export async function load(payload: string) {\n  const init: RequestInit = { method: 'POST' };\n  if (payload) init.body = payload;\n  return fetch('https://api.test/orders', init);\n}\n",
  readInit: "const init = { method: 'POST' };\nexport async function load() {\n  console.log(init.method);\n  return fetch('https://api.test/orders', init);\n}\n",
  assertedInit: "export async function load() {\n  return fetch('https://api.test/orders', { method: 'POST' } as RequestInit);\n}\n",
  eitherInit:
    "const quick = { signal: AbortSignal.timeout(500) };\nconst plain = { method: 'GET' };\nexport async function load(fast: boolean) {\n  return fetch('https://api.test/profile', fast ? quick : plain);\n}\n",
  gotExtend: file("const client = got.extend({ headers: { accept: 'application/json' } });\nexport async function load() {\n  return client.post('https://api.test/orders', { json: {} });\n}\n"),
  emptyInit: "export async function load() {\n  return fetch('https://api.test/profile', {});\n}\n",
  trailingComma: "export async function load() {\n  return fetch('https://api.test/orders', {\n    method: 'POST',\n  });\n}\n",
  helper: "export function profileOf(id: string) {\n  return fetch(`https://api.test/profiles/${id}`);\n}\n",
  // Next.js's `after` runs work once the response is sent: named like Mocha's hook, but not a test.
  nextAfter: "import { after } from 'next/server';\nexport function track() {\n  after(async () => {\n    await fetch('https://analytics.test/ingest');\n  });\n}\n",
};

invalid.push(
  {
    name: "Next.js's after() is not a test hook",
    filename: 'file.ts',
    code: code.nextAfter,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.nextAfter.replace("'https://analytics.test/ingest')", "'https://analytics.test/ingest', { signal: AbortSignal.timeout(10000) })") }] }],
  },
  {
    name: 'globalThis.fetch',
    filename: 'file.ts',
    code: code.globalThis,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.globalThis.replace("'https://api.test/profile')", "'https://api.test/profile', { signal: AbortSignal.timeout(10000) })") }] }],
  },
  {
    name: "undici's fetch",
    filename: 'file.ts',
    code: code.undiciFetch,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.undiciFetch.replace("'https://api.test/profile')", "'https://api.test/profile', { signal: AbortSignal.timeout(10000) })") }] }],
  },
  {
    name: "undici's request without timeouts",
    filename: 'file.ts',
    code: code.undiciRequest,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.undiciRequest.replace("{ method: 'GET' }", "{ method: 'GET', signal: AbortSignal.timeout(10000) }") }] }],
  },
  {
    name: 'an axios instance created without a timeout',
    filename: 'file.ts',
    code: code.instance,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.instance.replace("api.get('/profile')", "api.get('/profile', { timeout: 10000 })") }] }],
  },
  {
    name: 'axios.post without a body gets one before its config',
    filename: 'file.ts',
    code: code.post,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.post.replace("'https://api.test/orders')", "'https://api.test/orders', undefined, { timeout: 10000 })") }] }],
  },
  {
    name: 'axios.request with a config without a timeout',
    filename: 'file.ts',
    code: code.request,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.request.replace("{ url: 'https://api.test/profile' }", "{ url: 'https://api.test/profile', timeout: 10000 }") }] }],
  },
  {
    name: 'axios called with a config',
    filename: 'file.ts',
    code: code.config,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.config.replace("{ url: 'https://api.test/profile' }", "{ url: 'https://api.test/profile', timeout: 10000 }") }] }],
  },
  {
    // The constant may serve other calls: the call gets a copy with the signal, timed from the call.
    name: 'a const options object without a signal: the call gets a copy with one',
    filename: 'file.ts',
    code: code.constInit,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.constInit.replace("'https://api.test/orders', init)", "'https://api.test/orders', { ...init, signal: AbortSignal.timeout(10000) })") }] }],
  },
  {
    name: 'a const axios config without a timeout, behind a type assertion: the call gets a copy with one',
    filename: 'file.ts',
    code: code.constConfig,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.constConfig.replace('config as AxiosRequestConfig)', '{ ...(config as AxiosRequestConfig), timeout: 10000 })') }] }],
  },
  {
    // A body cannot bound the request: the constant still lacks a signal.
    name: 'a const options object given a body after its declaration: the call gets a copy with a signal',
    filename: 'file.ts',
    code: code.bodyInit,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.bodyInit.replace("'https://api.test/orders', init)", "'https://api.test/orders', { ...init, signal: AbortSignal.timeout(10000) })") }] }],
  },
  {
    // Reading a member changes nothing: the constant is all the call gets.
    name: 'a const options object whose members are read: the call gets a copy with a signal',
    filename: 'file.ts',
    code: code.readInit,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.readInit.replace("'https://api.test/orders', init)", "'https://api.test/orders', { ...init, signal: AbortSignal.timeout(10000) })") }] }],
  },
  {
    name: 'an options literal behind a type assertion takes the signal itself',
    filename: 'file.ts',
    code: code.assertedInit,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.assertedInit.replace("{ method: 'POST' } as RequestInit", "{ method: 'POST', signal: AbortSignal.timeout(10000) } as RequestInit") }] }],
  },
  // Either branch may be the one that has a signal: a copy with a new one would replace it.
  { name: 'options chosen between two constants, one without a signal: reported, no suggestion', filename: 'file.ts', code: code.eitherInit, errors: [{ messageId: 'untimed', suggestions: [] }] },
  {
    name: 'a got instance extended without a timeout',
    filename: 'file.ts',
    code: code.gotExtend,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.gotExtend.replace('{ json: {} }', '{ json: {}, timeout: { request: 10000 } }') }] }],
  },
  {
    name: 'empty options',
    filename: 'file.ts',
    code: code.emptyInit,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.emptyInit.replace('{}', '{ signal: AbortSignal.timeout(10000) }') }] }],
  },
  {
    name: 'options over several lines with a trailing comma',
    filename: 'file.ts',
    code: code.trailingComma,
    errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: code.trailingComma.replace("method: 'POST',", "method: 'POST', signal: AbortSignal.timeout(10000),") }] }],
  },
  {
    name: 'a helper the handlers call: reported where the call is',
    filename: 'file.ts',
    code: code.helper,
    options: [{ timeoutMs: 2500 }],
    errors: [{ messageId: 'untimed', line: 2, column: 10, suggestions: [{ messageId: 'addTimeout', output: code.helper.replace('`)', '`, { signal: AbortSignal.timeout(2500) })') }] }],
  },
);

typedRuleTester().run('require-upstream-timeout', rule, { valid, invalid });

untypedRuleTester().run('require-upstream-timeout (untyped)', rule, {
  valid: [{ name: 'with a signal', code: "async function load() {\n  return fetch('/x', { signal: AbortSignal.timeout(1000) });\n}\n" }],
  invalid: [
    {
      name: 'fetch without a signal, found by name',
      code: "async function load() {\n  return fetch('/x');\n}\n",
      errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: "async function load() {\n  return fetch('/x', { signal: AbortSignal.timeout(10000) });\n}\n" }] }],
    },
    {
      name: 'axios required in CommonJS',
      code: "const axios = require('axios');\nasync function load() {\n  return axios.get('/x');\n}\n",
      errors: [{ messageId: 'untimed', suggestions: [{ messageId: 'addTimeout', output: "const axios = require('axios');\nasync function load() {\n  return axios.get('/x', { timeout: 10000 });\n}\n" }] }],
    },
  ],
});
