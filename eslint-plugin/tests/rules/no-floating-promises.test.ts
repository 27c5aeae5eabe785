import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import rule, { type MessageIds, type Options } from '../../src/rules/no-floating-promises.js';
import { promiseHandlerShapes, promiseHelpers } from './cases/promise-handler-shapes.js';
import { typedRuleTester } from './rule-tester.js';

type Valid = ValidTestCase<Options> | string;
type Invalid = InvalidTestCase<MessageIds, Options>;

/** A file with the helpers (`load`, `notify`, a thenable) and `body` inside an async function. */
function inAsync(body: string): string {
  return `${promiseHelpers}declare function load(): Promise<string>;\ndeclare const thenable: { then(onFulfilled: () => void, onRejected: (error: unknown) => void): void };\ndeclare const items: string[];\n\nexport async function run() {\n${body
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n')}\n}\n`;
}

/** The same, in a plain function (no `await` possible). */
function inSync(body: string): string {
  return inAsync(body).replace('export async function run()', 'export function run()');
}

/** Expects one report of `messageId` at the line of `needle`, with the given suggestion outputs. */
function invalid(code: string, needle: string, messageId: MessageIds, suggestions: { messageId: MessageIds; output: string }[] = [], options?: Options): Invalid {
  const before = code.slice(0, code.indexOf(needle));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return {
    code,
    ...(options === undefined ? {} : { options }),
    errors: [{ messageId, line, column, suggestions }],
  };
}

function replaced(code: string, needle: string, text: string): string {
  return code.replace(needle, text);
}

const genericValid: Valid[] = [
  inAsync('await load();'),
  inAsync('return load();'),
  inAsync('load().then(\n  () => undefined,\n  () => undefined,\n);'),
  inAsync('load().catch(() => undefined);'),
  inAsync('load()\n  .then((text) => text.length)\n  .catch(() => 0);'),
  inAsync('load()\n  .catch(() => undefined)\n  .finally(() => undefined);'),
  inAsync('void load();'),
  inAsync('const text = await load();\nconsole.log(text);'),
  inAsync('const pending = load();\nconsole.log(await pending);'),
  inAsync('const pending = load();\nreturn pending;'),
  inAsync('const pending = load();\nsetTimeout(() => pending, 10);'),
  inAsync("const pending = load();\nconst jobs = { pending };\nconsole.log(jobs);"),
  inAsync('let pending: Promise<string> | undefined;\npending = load();\nawait pending;'),
  inAsync('await Promise.all(items.map(async (item) => notify(item)));'),
  inAsync('const all = items.map(async (item) => notify(item));\nawait Promise.all(all);'),
  inAsync('const all = items.map(async (item) => notify(item));\nreturn Promise.allSettled(all);'),
  inAsync('return items.map(async (item) => notify(item));'),
  inAsync('await Promise.race([load(), load()]);'),
  inAsync('items.forEach((item) => console.log(item));'),
  inAsync('for (const item of items) await notify(item);'),
  inAsync('thenable.then(() => undefined, () => undefined);'),
  inAsync('thenable;'),
  inAsync('const lazy: PromiseLike<void> = thenable as unknown as PromiseLike<void>;\nlazy;'),
  inAsync('const length = items.map((item) => item.length);\nconsole.log(length);'),
  inAsync('console.log(load());'),
  inAsync('const handle = setTimeout(() => undefined, 10);\nclearTimeout(handle);'),
  inAsync('await (async () => notify(1))();'),
  { code: inAsync('(async () => {\n  await notify(1);\n})();'), options: [{ ignoreIIFE: true }] },
  inAsync('class Queue {\n  pending?: Promise<void>;\n  start() {\n    this.pending = notify(1);\n  }\n}\nnew Queue().start();'),
  inSync('load().then(\n  (text) => console.log(text),\n  (error: unknown) => console.error(error),\n);'),
  inSync('void notify(1);'),
  `${promiseHelpers}export const started = notify(1);\n`,
  `${promiseHelpers}const started = notify(1);\nexport { started };\n`,
  inAsync('load;'),
  inAsync("const cond = items.length > 0;\ncond ? console.log('a') : console.log('b');"),
];

const genericInvalid: Invalid[] = [
  (() => {
    const code = inAsync('load();');
    return invalid(code, 'load();', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  load();', '  await load();') },
      { messageId: 'addVoid', output: replaced(code, '  load();', '  void load();') },
    ]);
  })(),
  (() => {
    const code = inSync('load();');
    return invalid(code, 'load();', 'floating', [{ messageId: 'addVoid', output: replaced(code, '  load();', '  void load();') }]);
  })(),
  (() => {
    const code = inAsync('load().then((text) => text.length);');
    return invalid(code, 'load().then', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  load().then', '  await load().then') },
      { messageId: 'addVoid', output: replaced(code, '  load().then', '  void load().then') },
    ]);
  })(),
  (() => {
    const code = inAsync('load().finally(() => undefined);');
    return invalid(code, 'load().finally', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  load().finally', '  await load().finally') },
      { messageId: 'addVoid', output: replaced(code, '  load().finally', '  void load().finally') },
    ]);
  })(),
  (() => {
    const code = inAsync('load().then(() => 1).finally(() => undefined);');
    return invalid(code, 'load().then', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  load().then', '  await load().then') },
      { messageId: 'addVoid', output: replaced(code, '  load().then', '  void load().then') },
    ]);
  })(),
  invalid(inAsync('load().catch(null);'), 'load().catch', 'nonFunctionHandler'),
  invalid(inAsync('load().then(() => 1, 42);'), 'load().then', 'nonFunctionHandler'),
  (() => {
    const code = inAsync('new Promise<void>((resolve) => resolve());');
    return invalid(code, 'new Promise', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  new Promise', '  await new Promise') },
      { messageId: 'addVoid', output: replaced(code, '  new Promise', '  void new Promise') },
    ]);
  })(),
  (() => {
    const code = inAsync('const maybe: { run?: () => Promise<void> } = {};\nmaybe.run?.();');
    return invalid(code, 'maybe.run?.()', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  maybe.run?.();', '  await maybe.run?.();') },
      { messageId: 'addVoid', output: replaced(code, '  maybe.run?.();', '  void maybe.run?.();') },
    ]);
  })(),
  (() => {
    const code = inAsync('items.length > 0 ? load() : undefined;');
    return invalid(code, 'items.length > 0 ?', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  items.length > 0 ? load() : undefined;', '  await (items.length > 0 ? load() : undefined);') },
      { messageId: 'addVoid', output: replaced(code, '  items.length > 0 ? load() : undefined;', '  void (items.length > 0 ? load() : undefined);') },
    ]);
  })(),
  (() => {
    const code = inAsync('items.length > 0 && load();');
    return invalid(code, 'items.length > 0 &&', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  items.length > 0 && load();', '  await (items.length > 0 && load());') },
      { messageId: 'addVoid', output: replaced(code, '  items.length > 0 && load();', '  void (items.length > 0 && load());') },
    ]);
  })(),
  (() => {
    const code = inAsync('console.log(1), load();');
    return invalid(code, 'console.log(1), load()', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  console.log(1), load();', '  await (console.log(1), load());') },
      { messageId: 'addVoid', output: replaced(code, '  console.log(1), load();', '  void (console.log(1), load());') },
    ]);
  })(),
  (() => {
    const code = inAsync('[load(), load()];');
    return invalid(code, '[load(), load()]', 'promiseArray', [{ messageId: 'awaitAll', output: replaced(code, '  [load(), load()];', '  await Promise.all([load(), load()]);') }]);
  })(),
  (() => {
    const code = inAsync('items.map(async (item) => notify(item));');
    return invalid(code, 'items.map', 'promiseArray', [
      { messageId: 'awaitAll', output: replaced(code, '  items.map(async (item) => notify(item));', '  await Promise.all(items.map(async (item) => notify(item)));') },
    ]);
  })(),
  (() => {
    const code = inAsync('(async () => {\n  await notify(1);\n})();');
    return invalid(code, '(async () =>', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  (async () => {', '  await (async () => {') },
      { messageId: 'addVoid', output: replaced(code, '  (async () => {', '  void (async () => {') },
    ]);
  })(),
  (() => {
    const code = inAsync('void load();');
    return invalid(code, 'void load()', 'floating', [{ messageId: 'addAwait', output: replaced(code, '  void load();', '  await load();') }], [{ ignoreVoid: false }]);
  })(),
  invalid(inAsync('const pending = load();'), 'pending', 'unusedBinding'),
  invalid(inSync('const pending = notify(1);'), 'pending', 'unusedBinding'),
  invalid(inAsync('let later = load().then((text) => text.trim());'), 'later', 'unusedBinding'),
  invalid(inAsync('items.forEach(async (item) => {\n  await notify(item);\n});'), 'async (item) =>', 'asyncForEach'),
  invalid(inAsync('items.forEach((item) => notify(item));'), '(item) => notify', 'asyncForEach'),
  invalid(inAsync('new Set(items).forEach(async (item) => notify(item));'), 'async (item)', 'asyncForEach'),
  (() => {
    const code = inAsync('const jobs = items.map(async (item) => notify(item));\nconsole.log(jobs.length);');
    return invalid(code, 'items.map', 'unawaitedMap', [
      { messageId: 'awaitAll', output: replaced(code, 'const jobs = items.map(async (item) => notify(item));', 'const jobs = await Promise.all(items.map(async (item) => notify(item)));') },
    ]);
  })(),
  invalid(inSync('const jobs = items.map((item) => notify(item));\nconsole.log(jobs.length);'), 'items.map', 'unawaitedMap'),
  invalid(inAsync("const unusedRace = Promise.race([load(), load()]);"), 'unusedRace', 'unusedBinding'),
  (() => {
    const code = inAsync('thenable;');
    return invalid(code, 'thenable;', 'floating', [
      { messageId: 'addAwait', output: replaced(code, '  thenable;', '  await thenable;') },
      { messageId: 'addVoid', output: replaced(code, '  thenable;', '  void thenable;') },
    ], [{ checkThenables: true }]);
  })(),
];

const optionCases: { valid: Valid[]; invalid: Invalid[] } = {
  valid: [
    {
      code: "declare class SafePromise<T> extends Promise<T> {}\ndeclare function safe(): SafePromise<void>;\nexport async function run() {\n  safe();\n}\n",
      options: [{ allowForKnownSafePromises: [{ from: 'file', name: 'SafePromise' }] }],
    },
    {
      code: "declare function track(event: string): Promise<void>;\nexport async function run() {\n  track('start');\n}\n",
      options: [{ allowForKnownSafeCalls: [{ from: 'file', name: 'track' }] }],
    },
  ],
  invalid: [
    (() => {
      const code = "declare function track(event: string): Promise<void>;\ndeclare function other(): Promise<void>;\nexport async function run() {\n  other();\n}\n";
      return invalid(code, 'other();', 'floating', [
        { messageId: 'addAwait', output: code.replace('  other();', '  await other();') },
        { messageId: 'addVoid', output: code.replace('  other();', '  void other();') },
      ], [{ allowForKnownSafeCalls: [{ from: 'file', name: 'track' }] }]);
    })(),
  ],
};

const handlerValid: Valid[] = [];
const handlerInvalid: Invalid[] = [];
for (const shape of promiseHandlerShapes) {
  const code = (statement: string): string => `${promiseHelpers}${shape.code.replace('$STMT', statement)}`;
  const indent = /\n([ \t]*)\$STMT/.exec(shape.code)?.[1] ?? '  ';
  handlerValid.push({ code: code("notify('order').catch(() => undefined);"), filename: shape.filename, name: `${shape.name}: rejection handled` });
  handlerValid.push({ code: code("notify('order').then(() => undefined, () => undefined);"), filename: shape.filename, name: `${shape.name}: then with rejection handler` });
  if (shape.async) handlerValid.push({ code: code("await notify('order');"), filename: shape.filename, name: `${shape.name}: awaited` });
  if (shape.keepAlive !== undefined) {
    const kept = `${shape.keepAlive.addImport ?? ''}${code(`${shape.keepAlive.call("notify('order')")};`)}`;
    handlerValid.push({ code: kept, filename: shape.filename, name: `${shape.name}: handed to ${shape.keepAlive.api}` });
  }
  for (const voided of [false, true]) {
    const statement = `${voided ? 'void ' : ''}notify('order');`;
    const source = code(statement);
    const suggestions: { messageId: MessageIds; output: string }[] = [];
    if (shape.keepAlive !== undefined) {
      const output = source.replace(`${indent}${statement}`, `${indent}${shape.keepAlive.call("notify('order')")};`);
      suggestions.push({ messageId: 'handToKeepAlive', output: shape.keepAlive.addImport === undefined ? output : withImport(output, shape.keepAlive.addImport) });
    }
    if (shape.async) suggestions.push({ messageId: 'addAwait', output: source.replace(`${indent}${statement}`, `${indent}await notify('order');`) });
    handlerInvalid.push({ ...invalid(source, statement, 'leftRunning', suggestions), filename: shape.filename, name: `${shape.name}: ${voided ? 'void-ed' : 'not awaited'}` });
  }
}

/** Next's `after` import goes after the file's last import, or at the top when it has none. */
function withImport(source: string, importLine: string): string {
  const lines = source.split('\n');
  const last = lines.map((line) => line.startsWith('import ')).lastIndexOf(true);
  if (last === -1) return `${importLine}${source}`;
  lines.splice(last + 1, 0, importLine.trimEnd());
  return lines.join('\n');
}

typedRuleTester().run('no-floating-promises', rule, {
  valid: [...genericValid, ...optionCases.valid, ...handlerValid],
  invalid: [...genericInvalid, ...optionCases.invalid, ...handlerInvalid],
});
