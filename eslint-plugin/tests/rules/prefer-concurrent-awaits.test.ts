import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';

import rule, { type MessageIds, type Options } from '../../src/rules/prefer-concurrent-awaits.js';
import { promiseHandlerShapes, promiseHelpers } from './cases/promise-handler-shapes.js';
import { typedRuleTester, untypedRuleTester } from './rule-tester.js';

type Valid = ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

export const helpers = `${promiseHelpers}declare function getProfile(id: string): Promise<{ id: string; name: string; slug: string }>;
declare function getPosts(slug: string): Promise<string[]>;
declare function getFeed(id: string): Promise<string[]>;
declare function getFollowers(id: string): Promise<number>;
declare function getSettings(): Promise<{ theme: string }>;
declare function audit(entry: string): Promise<void>;
declare const api: { settings(): Promise<{ theme: string }>; deliveries(id: string): Promise<string[]> };
declare const client: { POST(path: string): Promise<number>; GET(path: string): Promise<string[]>; CreateUser(name: string): Promise<number> };
declare const cache: { setex(key: string, seconds: number, value: string): Promise<string>; get(key: string): Promise<string | null> };
declare const sql: { delete(table: string): { where(query: string): Promise<number> }; select(): { from(table: string): Promise<string[]> } };
declare const db: { users: { insert(row: string): Promise<number>; find(name: string): Promise<string[]>; remove(name: string): Promise<number> }; posts: { insert(row: string): Promise<number> } };
declare const useCases: { applyChange: { execute(id: string): Promise<number> }; getLayout: { execute(id: string): Promise<string[]> } };
declare const commandBus: { execute(command: object): Promise<number> };
declare class DeleteOrderCommand { constructor(id: string); }
declare class GetOrderQuery { constructor(id: string); }
declare const repos: { postRepository: { find(id: string): Promise<string[]> }; storeService: { list(): Promise<string[]> } };
declare const pool: { query(text: unknown, values?: unknown[]): Promise<{ rowCount: number }> };
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): string;
declare const tx: { users: { find(name: string): Promise<string[]> }; posts: { find(name: string): Promise<string[]> } };
declare const trx: unknown;
declare function lookup(id: string, options: { transaction?: unknown }): Promise<string[]>;
declare function getTransaction(id: string): Promise<string[]>;
declare function createOrder(id: string): Promise<number>;
declare function sendEmail(to: string): Promise<void>;
declare const storage: { upload(name: string): Promise<string>; markRead(id: string): Promise<number>; invalidateQuery(key: string): Promise<void> };
`;

const asyncShapes = promiseHandlerShapes.filter((shape) => shape.async);

/** A shape's code with `lines` where its statement goes, each at the shape's indentation. */
function embed(template: string, lines: readonly string[]): string {
  const line = template.split('\n').find((candidate) => candidate.includes('$STMT')) ?? '';
  const indent = line.slice(0, line.indexOf('$STMT'));
  return `${helpers}${template.replace('$STMT', lines.join(`\n${indent}`))}`;
}

/** Where `needle` starts in `code`, past the helpers. */
function at(code: string, needle: string, occurrence = 0): { line: number; column: number } {
  let index = helpers.length - 1;
  for (let seen = 0; seen <= occurrence; seen += 1) index = code.indexOf(needle, index + 1);
  const before = code.slice(0, index);
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/** A sequence a rewrite combines: the statements, the rewrite, and where the report goes (the second await). */
interface SequenceCase {
  readonly name: string;
  readonly lines: readonly string[];
  readonly output: readonly string[];
  /** The text of the second await, where the report goes. */
  readonly second: string;
}

const sequences: readonly SequenceCase[] = [
  {
    name: 'two independent calls',
    lines: ["const profile = await getProfile('u1');", "const feed = await getFeed('u1');", 'console.log(profile, feed);'],
    output: ["const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'console.log(profile, feed);'],
    second: "await getFeed('u1')",
  },
  {
    name: 'three, with object and array destructuring',
    lines: ["const { name } = await getProfile('u');", "const [f] = await getFeed('u');", 'const s = await getSettings();', 'console.log(name, f, s);'],
    output: ["const [{ name }, [f], s] = await Promise.all([getProfile('u'), getFeed('u'), getSettings()]);", 'console.log(name, f, s);'],
    second: "await getFeed('u')",
  },
  {
    name: 'a statement in between that uses no awaited value goes before',
    lines: ["const profile = await getProfile('u1');", 'const label = `feed of u1`;', 'const feed = await getFeed(label);', 'console.log(profile, feed);'],
    output: ['const label = `feed of u1`;', "const [profile, feed] = await Promise.all([getProfile('u1'), getFeed(label)]);", 'console.log(profile, feed);'],
    second: 'await getFeed(label)',
  },
  {
    name: 'a statement in between that derives from an awaited value goes after',
    lines: ["const profile = await getProfile('u1');", 'const greeting = `hi ${profile.name}`;', "const feed = await getFeed('u1');", 'console.log(greeting, feed);'],
    output: ["const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'const greeting = `hi ${profile.name}`;', 'console.log(greeting, feed);'],
    second: "await getFeed('u1')",
  },
  {
    name: 'a callback parameter that shadows an awaited name is not a read of it',
    lines: ["const p = await getProfile('u1');", "const f = await getFeed(['x'].map((p) => p).join());", 'console.log(p, f);'],
    output: ["const [p, f] = await Promise.all([getProfile('u1'), getFeed(['x'].map((p) => p).join())]);", 'console.log(p, f);'],
    second: "await getFeed(['x']",
  },
  {
    name: 'assignments to existing bindings',
    lines: ['let a = 0;', 'let b = 0;', "a = await getFollowers('u1');", "b = await getFollowers('u2');", 'console.log(a + b);'],
    output: ['let a = 0;', 'let b = 0;', "[a, b] = await Promise.all([getFollowers('u1'), getFollowers('u2')]);", 'console.log(a + b);'],
    second: "await getFollowers('u2')",
  },
  {
    name: 'declared types become a tuple type',
    lines: ["const p: { id: string } = await getProfile('u1');", "const f: string[] = await getFeed('u1');", 'console.log(p, f);'],
    output: ["const [p, f]: [{ id: string }, string[]] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'console.log(p, f);'],
    second: "await getFeed('u1')",
  },
  {
    name: 'five independent calls, one per line',
    lines: [
      "const profile = await getProfile('u1');",
      "const feed = await getFeed('u1');",
      "const followers = await getFollowers('u1');",
      'const settings = await getSettings();',
      "const posts = await getPosts('ada');",
      'console.log(profile, feed, followers, settings, posts);',
    ],
    output: [
      'const [profile, feed, followers, settings, posts] = await Promise.all([',
      "  getProfile('u1'),",
      "  getFeed('u1'),",
      "  getFollowers('u1'),",
      '  getSettings(),',
      "  getPosts('ada'),",
      ']);',
      'console.log(profile, feed, followers, settings, posts);',
    ],
    second: "await getFeed('u1')",
  },
  {
    // The callback exists only once both awaits are done: nothing can run it while they are pending.
    name: 'a callback created after both awaits reads the first',
    lines: ["const profile = await getProfile('u1');", "const feed = await getFeed('u1');", 'console.log(feed.filter((item) => item !== profile.name));'],
    output: ["const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'console.log(feed.filter((item) => item !== profile.name));'],
    second: "await getFeed('u1')",
  },
  {
    // `settings` and `deliveries` start like `set` and `del` but are not writes.
    name: 'reads whose names start like a write',
    lines: ['const settings = await api.settings();', "const deliveries = await api.deliveries('u1');", 'console.log(settings, deliveries);'],
    output: ["const [settings, deliveries] = await Promise.all([api.settings(), api.deliveries('u1')]);", 'console.log(settings, deliveries);'],
    second: "await api.deliveries('u1')",
  },
  {
    // The arguments stay where they were relative to the call, which moves up to the array.
    name: 'an operand on a line of its own, over several lines',
    lines: ['const profile =', '  await getProfile(', "    'u1',", '  );', "const feed = await getFeed('u1');", 'console.log(profile, feed);'],
    output: ['const [profile, feed] = await Promise.all([', '  getProfile(', "    'u1',", '  ),', "  getFeed('u1'),", ']);', 'console.log(profile, feed);'],
    second: "await getFeed('u1')",
  },
  {
    // The text of a template literal is never indented (that would change the string); the rest moves.
    name: 'an operand with a template literal over several lines',
    lines: ['const posts = await getPosts(', '  `first', '  second`,', ');', "const feed = await getFeed('u1');", 'console.log(posts, feed);'],
    output: ['const [posts, feed] = await Promise.all([', '  getPosts(', '    `first', '  second`,', '  ),', "  getFeed('u1'),", ']);', 'console.log(posts, feed);'],
    second: "await getFeed('u1')",
  },
  {
    // The elements of an awaited Promise.all join the combined list instead of nesting a second one.
    name: 'a Promise.all, then another await',
    lines: ["const [p, f] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'const s = await getSettings();', 'console.log(p, f, s);'],
    output: ["const [p, f, s] = await Promise.all([getProfile('u1'), getFeed('u1'), getSettings()]);", 'console.log(p, f, s);'],
    second: 'await getSettings()',
  },
  {
    // `getFeed` still runs, into a hole, so `s` keeps receiving the settings.
    name: 'a Promise.all with fewer names than calls, then another await',
    lines: ["const [p] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'const s = await getSettings();', 'console.log(p, s);'],
    output: ["const [p, , s] = await Promise.all([getProfile('u1'), getFeed('u1'), getSettings()]);", 'console.log(p, s);'],
    second: 'await getSettings()',
  },
  {
    // A rest element takes every element after it: joined, it would take the settings too.
    name: 'a Promise.all into a rest element, then another await',
    lines: ["const [p, ...rest] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'const s = await getSettings();', 'console.log(p, rest, s);'],
    output: [
      'const [[p, ...rest], s] = await Promise.all([',
      "  Promise.all([getProfile('u1'), getFeed('u1')]),",
      '  getSettings(),',
      ']);',
      'console.log(p, rest, s);',
    ],
    second: 'await getSettings()',
  },
  {
    name: 'a Promise.all with a comment between its calls, then another await',
    lines: ['const [p, f] = await Promise.all([', "  getProfile('u1'), // cached", "  getFeed('u1'),", ']);', 'const s = await getSettings();', 'console.log(p, f, s);'],
    output: [
      'const [[p, f], s] = await Promise.all([',
      '  Promise.all([',
      "    getProfile('u1'), // cached",
      "    getFeed('u1'),",
      '  ]),',
      '  getSettings(),',
      ']);',
      'console.log(p, f, s);',
    ],
    second: 'await getSettings()',
  },
  {
    // A query that only reads, and a string that names a write but is no statement.
    name: 'a select passed as a string, and a string that mentions an update',
    lines: ["const result = await pool.query('SELECT * FROM posts WHERE author = $1', ['u1']);", "const posts = await getPosts('please update');", 'console.log(result, posts);'],
    output: [
      'const [result, posts] = await Promise.all([',
      "  pool.query('SELECT * FROM posts WHERE author = $1', ['u1']),",
      "  getPosts('please update'),",
      ']);',
      'console.log(result, posts);',
    ],
    second: "await getPosts('please update')",
  },
  {
    // Names too long for one line go one per line.
    name: 'destructurings too long for one line',
    lines: [
      "const { id: profileIdentifier, name: profileDisplayName, slug: profileSlugForUrls } = await getProfile('u1');",
      'const { theme: preferredColourTheme } = await getSettings();',
      'console.log(profileIdentifier, profileDisplayName, profileSlugForUrls, preferredColourTheme);',
    ],
    output: [
      'const [',
      '  { id: profileIdentifier, name: profileDisplayName, slug: profileSlugForUrls },',
      '  { theme: preferredColourTheme },',
      '] = await Promise.all([',
      "  getProfile('u1'),",
      '  getSettings(),',
      ']);',
      'console.log(profileIdentifier, profileDisplayName, profileSlugForUrls, preferredColourTheme);',
    ],
    second: 'await getSettings()',
  },
  {
    // Only one of them uses the transaction: the other has its own connection.
    name: 'a read in a transaction and one outside it',
    lines: ["const users = await tx.users.find('ada');", "const feed = await getFeed('u1');", 'console.log(users, feed);'],
    output: ["const [users, feed] = await Promise.all([tx.users.find('ada'), getFeed('u1')]);", 'console.log(users, feed);'],
    second: "await getFeed('u1')",
  },
  {
    // Write words in quoted strings, and a function called like a transaction, are neither.
    name: 'a select naming writes in its strings, then a call named like a transaction',
    lines: ["const audit = await pool.query(\"SELECT * FROM audit WHERE action IN ('create', 'delete')\");", "const payment = await getTransaction('t1');", 'console.log(audit, payment);'],
    output: [
      'const [audit, payment] = await Promise.all([',
      "  pool.query(\"SELECT * FROM audit WHERE action IN ('create', 'delete')\"),",
      "  getTransaction('t1'),",
      ']);',
      'console.log(audit, payment);',
    ],
    second: "await getTransaction('t1')",
  },
  {
    // The calls no name receives run all the same; the pattern just ends with the last name.
    name: 'a Promise.all with fewer names than calls, last',
    lines: ['const s = await getSettings();', "const [p] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'console.log(p, s);'],
    output: ["const [s, p] = await Promise.all([getSettings(), getProfile('u1'), getFeed('u1')]);", 'console.log(p, s);'],
    second: 'await Promise.all(',
  },
  {
    // Broken one name per line, a default's template literal keeps its text.
    name: 'destructurings too long for one line, with a template literal default',
    lines: [
      'const { id: profileIdentifierForTheDashboardHeader, name: profileDisplayNameForTheHeaderLine = `one',
      '  two` } = await getProfile(\'u1\');',
      'const { theme: preferredColourTheme } = await getSettings();',
      'console.log(profileIdentifierForTheDashboardHeader, profileDisplayNameForTheHeaderLine, preferredColourTheme);',
    ],
    output: [
      'const [',
      '  { id: profileIdentifierForTheDashboardHeader, name: profileDisplayNameForTheHeaderLine = `one',
      '  two` },',
      '  { theme: preferredColourTheme },',
      '] = await Promise.all([',
      "  getProfile('u1'),",
      '  getSettings(),',
      ']);',
      'console.log(profileIdentifierForTheDashboardHeader, profileDisplayNameForTheHeaderLine, preferredColourTheme);',
    ],
    second: 'await getSettings()',
  },
  {
    // Only called names say what a call does: a receiver named after a thing (a post, a store) reads.
    name: 'receivers named like a write but only read',
    lines: ["const posts = await repos.postRepository.find('p1');", 'const stores = await repos.storeService.list();', 'console.log(posts, stores);'],
    output: ['const [posts, stores] = await Promise.all([', "  repos.postRepository.find('p1'),", '  repos.storeService.list(),', ']);', 'console.log(posts, stores);'],
    second: 'await repos.storeService.list()',
  },
  {
    name: 'use cases and queries whose names read',
    lines: ["const layout = await useCases.getLayout.execute('l1');", "const order = await commandBus.execute(new GetOrderQuery('o1'));", 'console.log(layout, order);'],
    output: ['const [layout, order] = await Promise.all([', "  useCases.getLayout.execute('l1'),", "  commandBus.execute(new GetOrderQuery('o1')),", ']);', 'console.log(layout, order);'],
    second: "await commandBus.execute(new GetOrderQuery('o1'))",
  },
];

/** Sequences that must not be reported, and why. */
const dependent: readonly { name: string; lines: readonly string[]; options?: Options }[] = [
  { name: 'the second uses the first', lines: ["const profile = await getProfile('u1');", 'const posts = await getPosts(profile.slug);', 'console.log(posts);'] },
  { name: 'the second uses a destructured value of the first', lines: ["const { slug } = await getProfile('u1');", 'const posts = await getPosts(slug);', 'console.log(posts);'] },
  { name: 'the second uses a variable derived from the first', lines: ["const profile = await getProfile('u1');", 'const slug = profile.slug;', 'const posts = await getPosts(slug);', 'console.log(posts);'] },
  {
    name: 'the first decides whether the second runs',
    lines: ["const profile = await getProfile('u1');", "if (!profile.name) throw new Error('no name');", "const feed = await getFeed('u1');", 'console.log(feed);'],
  },
  { name: 'awaits done for their effect, in order', lines: ["await audit('opened');", "await audit('paid');"] },
  { name: 'ordered writes to one target', lines: ["const first = await db.users.insert('ada');", "const second = await db.users.insert('grace');", 'console.log(first, second);'] },
  // The read sees the rows before the delete; run together, it may see some of them gone.
  { name: 'a read, then a delete on the same target', lines: ["const rows = await db.users.find('ada');", "const removed = await db.users.remove('ada');", 'console.log(rows, removed);'] },
  { name: 'a write, then a read of the same target', lines: ["const id = await db.users.insert('ada');", "const rows = await db.users.find('ada');", 'console.log(id, rows);'] },
  // What the write changed may reach the later call through the database or a service.
  { name: 'a write, then a read of another target', lines: ["const id = await db.users.insert('ada');", "const feed = await getFeed('u1');", 'console.log(id, feed);'] },
  // Run together, the read may already see what the write changed.
  { name: 'a read, then a write of another target', lines: ["const rows = await db.users.find('ada');", "const id = await db.posts.insert('hello');", 'console.log(rows, id);'] },
  { name: 'writes spelled in capitals or capitalised', lines: ["const created = await client.POST('/orders');", "const list = await client.GET('/orders');", "const user = await client.CreateUser('ada');", 'console.log(created, list, user);'] },
  { name: 'a Redis command that writes, then a read', lines: ["const ok = await cache.setex('k', 60, 'v');", "const value = await cache.get('k');", 'console.log(ok, value);'] },
  // The use case's name says what `execute` does (NestJS and clean-architecture services).
  { name: 'a use case named like a write, then a read', lines: ["const applied = await useCases.applyChange.execute('c1');", "const layout = await useCases.getLayout.execute('l1');", 'console.log(applied, layout);'] },
  { name: 'a command named like a write, then a read', lines: ["const removed = await commandBus.execute(new DeleteOrderCommand('o1'));", "const feed = await getFeed('u1');", 'console.log(removed, feed);'] },
  // A function named like a write is one, as a method is.
  { name: 'a function named like a write, then a read', lines: ["const id = await createOrder('o1');", "const feed = await getFeed('u1');", 'console.log(id, feed);'] },
  { name: 'a read, then a delete passed as a query', lines: ["const profile = await getProfile('u1');", "const { rowCount } = await pool.query(sql`delete from sessions where user_id = 'u1'`);", 'console.log(profile, rowCount);'] },
  { name: 'a read, then an update passed as a string', lines: ["const profile = await getProfile('u1');", "const result = await pool.query('UPDATE users SET seen = now() WHERE id = $1', ['u1']);", 'console.log(profile, result);'] },
  // A transaction handed down runs its statements one at a time on one connection.
  { name: 'two reads in one transaction handed down', lines: ["const users = await tx.users.find('ada');", "const posts = await tx.posts.find('ada');", 'console.log(users, posts);'] },
  { name: 'two reads given a transaction as an option', lines: ["const first = await lookup('u1', { transaction: trx });", "const second = await lookup('u2', { transaction: trx });", 'console.log(first, second);'] },
  { name: 'a read, then an update built with +', lines: ["const profile = await getProfile('u1');", "const result = await pool.query('UPDATE users ' + 'SET seen = now() WHERE id = $1', ['u1']);", 'console.log(profile, result);'] },
  { name: 'a read, then a delete in a query config', lines: ["const profile = await getProfile('u1');", "const result = await pool.query({ text: 'DELETE FROM sessions WHERE id = $1', values: ['u1'] });", 'console.log(profile, result);'] },
  { name: 'an upload, then a read', lines: ["const url = await storage.upload('a.png');", "const feed = await getFeed('u1');", 'console.log(url, feed);'] },
  { name: 'a read, then marking as read', lines: ["const feed = await getFeed('u1');", "const marked = await storage.markRead('m1');", 'console.log(feed, marked);'] },
  { name: 'a write earlier in a query builder chain', lines: ["const removed = await sql.delete('orders').where('id = 1');", "const rows = await sql.select().from('orders');", 'console.log(removed, rows);'] },
  { name: 'a closure reads the first', lines: ["const profile = await getProfile('u1');", 'const feed = await getFeed([profile].map((p) => p.id).join());', 'console.log(feed);'] },
  {
    name: 'ignored callees',
    lines: ["const profile = await getProfile('u1');", "const feed = await getFeed('u1');", 'console.log(profile, feed);'],
    options: [{ ignore: ['get*'] }],
  },
];

/** Loops: the body lines (at one extra indentation level), whether they are independent, and the rewrite. */
const loops: readonly { name: string; lines: readonly string[]; output?: readonly string[]; reported: boolean; first?: string }[] = [
  {
    name: 'collecting into an array keeps the order',
    lines: ['const profiles: unknown[] = [];', "for (const id of ['u1', 'u2']) {", '  profiles.push(await getProfile(id));', '}', 'console.log(profiles);'],
    output: ['const profiles: unknown[] = [];', "profiles.push(...(await Promise.all(['u1', 'u2'].map((id) => getProfile(id)))));", 'console.log(profiles);'],
    reported: true,
    first: 'await getProfile(id)',
  },
  {
    // The part up to the last await runs for every item together; the rest runs for each item in order.
    name: 'a body that collects after its await keeps the order',
    lines: ['const names: string[] = [];', "for (const id of ['u1', 'u2']) {", '  const profile = await getProfile(id);', '  names.push(profile.name);', '}', 'console.log(names);'],
    output: [
      'const names: string[] = [];',
      "for (const { profile } of await Promise.all(['u1', 'u2'].map(async (id) => {",
      '  const profile = await getProfile(id);',
      '  return { profile } as const;',
      '}))) {',
      '  names.push(profile.name);',
      '}',
      'console.log(names);',
    ],
    reported: true,
    first: 'await getProfile(id)',
  },
  {
    name: 'a body that sets entries after its await, reading the item too, keeps the order',
    lines: ['const slugs = new Map<string, string>();', "for (const id of ['u1', 'u2']) {", '  const { slug } = await getProfile(id);', '  slugs.set(id, slug);', '}', 'console.log(slugs);'],
    output: [
      'const slugs = new Map<string, string>();',
      "for (const { id, slug } of await Promise.all(['u1', 'u2'].map(async (id) => {",
      '  const { slug } = await getProfile(id);',
      '  return { id, slug } as const;',
      '}))) {',
      '  slugs.set(id, slug);',
      '}',
      'console.log(slugs);',
    ],
    reported: true,
    first: 'await getProfile(id)',
  },
  {
    name: 'a body with continue',
    lines: ["for (const id of ['u1', 'u2']) {", '  const profile = await getProfile(id);', '  if (!profile.name) continue;', '  console.log(profile);', '}'],
    output: ["await Promise.all(['u1', 'u2'].map(async (id) => {", '  const profile = await getProfile(id);', '  if (!profile.name) return;', '  console.log(profile);', '}));'],
    reported: true,
    first: 'await getProfile(id)',
  },
  {
    name: 'a cursor carried from one iteration to the next',
    lines: ["let cursor = '';", 'for (const page of [1, 2, 3]) {', '  const items = await getFeed(cursor);', "  cursor = items.at(-1) ?? '';", '  console.log(page, items);', '}'],
    reported: false,
  },
  {
    // The assignment is to the body's own `label`, which shadows the outer one: nothing is carried.
    name: 'a binding declared in the body and assigned there, shadowing an outer one',
    lines: ["const label = 'all';", "for (const id of ['u1', 'u2']) {", "  let label = '';", '  label = (await getProfile(id)).name;', '  console.log(label);', '}', 'console.log(label);'],
    output: ["const label = 'all';", "await Promise.all(['u1', 'u2'].map(async (id) => {", "  let label = '';", '  label = (await getProfile(id)).name;', '  console.log(label);', '}));', 'console.log(label);'],
    reported: true,
    first: 'await getProfile(id)',
  },
  { name: 'an accumulator added to after each await', lines: ['let total = 0;', "for (const id of ['u1', 'u2']) {", '  total += await getFollowers(id);', '}', 'console.log(total);'], reported: false },
  {
    // A repeated id is loaded once, by the first iteration that meets it: the set carries that.
    name: 'a set of seen ids, read and filled',
    lines: ['const seen = new Set<string>();', "for (const id of ['u1', 'u2', 'u1']) {", '  if (seen.has(id)) continue;', '  seen.add(id);', '  console.log(await getProfile(id));', '}'],
    reported: false,
  },
  {
    name: 'a cache read before the await and filled after it',
    lines: [
      'const cache = new Map<string, string>();',
      "for (const id of ['u1', 'u2', 'u1']) {",
      '  if (!cache.has(id)) {',
      '    const profile = await getProfile(id);',
      '    cache.set(id, profile.name);',
      '  }',
      '}',
      'console.log(cache);',
    ],
    reported: false,
  },
  {
    name: 'a break that depends on an awaited value',
    lines: ["for (const id of ['u1', 'u2']) {", '  const profile = await getProfile(id);', '  if (profile.name) break;', '}'],
    reported: false,
  },
];

/** Awaits that are members of one literal or argument list: the statement, and the rewrite (none for `[]`). */
const operandLists: readonly { name: string; lines: readonly string[]; output?: readonly string[] }[] = [
  {
    name: 'awaited properties of one object literal',
    lines: ["console.log({ profile: await getProfile('u1'), feed: await getFeed('u1') });"],
    output: ["const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);", 'console.log({ profile, feed });'],
  },
  {
    name: 'awaited properties after a shorthand property and a literal',
    lines: ["const id = 'u1';", "console.log({ id, kind: 'user', profile: await getProfile(id), feed: await getFeed('u1') });"],
    output: ["const id = 'u1';", "const [profile, feed] = await Promise.all([getProfile(id), getFeed('u1')]);", "console.log({ id, kind: 'user', profile, feed });"],
  },
  // Moved after the awaits, the spread would read the object when they are done (a getter, a session changed meanwhile).
  { name: 'awaited properties after a spread: reported, no rewrite', lines: ["const base = { id: 'u1' };", "console.log({ ...base, profile: await getProfile('u1'), feed: await getFeed('u1') });"] },
  { name: 'awaited properties after a member read: reported, no rewrite', lines: ["const timer = { elapsed: 0 };", "console.log({ elapsed: timer.elapsed, profile: await getProfile('u1'), feed: await getFeed('u1') });"] },
  // The awaits run only when there is a function to call.
  { name: 'awaited properties passed to an optional call: reported, no rewrite', lines: ['const onResult = Math.random() > 0.5 ? console.log : undefined;', "onResult?.({ profile: await getProfile('u1'), feed: await getFeed('u1') });"] },
  { name: 'awaited properties in a switch case: reported, no rewrite', lines: ['switch (Math.random() > 0.5) {', '  case true:', "    console.log({ profile: await getProfile('u1'), feed: await getFeed('u1') });", '    break;', '}'] },
  { name: 'awaited elements of one array literal: reported, no rewrite', lines: ["console.log([await getProfile('u1'), await getFeed('u1')]);"] },
  { name: 'awaited values read through in one object literal: reported, no rewrite', lines: ["console.log({ name: (await getProfile('u1')).name, latest: (await getFeed('u1'))[0] });"] },
  { name: 'awaited values read through as arguments: reported, no rewrite', lines: ["console.log((await getProfile('u1')).name, (await getFeed('u1')) as string[]);"] },
  { name: 'awaited arguments of one call: reported, no rewrite', lines: ["console.log(await getProfile('u1'), await getFeed('u1'));"] },
  // A constant `feed` would clash with the one declared above (and shadow an outer one read elsewhere).
  { name: 'a property name the function uses elsewhere: reported, no rewrite', lines: ["const feed = ['cached'];", "console.log(feed, { profile: await getProfile('u1'), feed: await getFeed('u1') });"] },
  // The object is built only when `ready` is true: hoisted, the awaits would run either way.
  { name: 'a literal that is evaluated only on a condition: reported, no rewrite', lines: ["const ready = Math.random() > 0.5;", "console.log(ready ? { profile: await getProfile('u1'), feed: await getFeed('u1') } : null);"] },
  { name: 'another await in the statement: reported, no rewrite', lines: ["console.log({ profile: await getProfile('u1'), feed: await getFeed('u1'), theme: (await getSettings()).theme });"] },
  { name: 'a reserved word as a property name: reported, no rewrite', lines: ["console.log({ default: await getProfile('u1'), feed: await getFeed('u1') });"] },
];

/** Members of one literal or argument list that must wait for each other, or hold one await. */
const dependentOperands: readonly { name: string; lines: readonly string[] }[] = [
  { name: 'one awaited property beside plain values', lines: ["console.log({ id: 'u1', profile: await getProfile('u1') });"] },
  { name: 'a write, then a read of the same target, in one literal', lines: ["console.log({ id: await db.users.insert('ada'), rows: await db.users.find('ada') });"] },
  { name: 'a member with an effect between two awaited properties', lines: ["console.log({ profile: await getProfile('u1'), at: Date.now(), feed: await getFeed('u1') });"] },
  { name: 'ordered writes to one target as arguments', lines: ["console.log(await db.users.insert('ada'), await db.users.insert('grace'));"] },
  { name: 'a nested await: one property is the other awaited', lines: ["console.log({ posts: await getPosts((await getProfile('u1')).slug) });"] },
];

const valid: Valid[] = [];
const invalid: Invalid[] = [];

for (const shape of asyncShapes) {
  for (const sequence of sequences) {
    const code = embed(shape.code, sequence.lines);
    const suggestions = [{ messageId: 'promiseAll' as const, output: embed(shape.code, sequence.output) }];
    invalid.push({
      name: `${shape.name}: ${sequence.name}`,
      filename: shape.filename,
      code,
      errors: [{ messageId: 'sequence', ...at(code, sequence.second), suggestions }],
    });
  }
  for (const sequence of dependent) {
    valid.push({ name: `${shape.name}: ${sequence.name}`, filename: shape.filename, code: embed(shape.code, sequence.lines), ...(sequence.options === undefined ? {} : { options: sequence.options }) });
  }
  for (const loop of loops) {
    const code = embed(shape.code, loop.lines);
    if (!loop.reported) {
      valid.push({ name: `${shape.name}: loop, ${loop.name}`, filename: shape.filename, code });
      continue;
    }
    invalid.push({
      name: `${shape.name}: loop, ${loop.name}`,
      filename: shape.filename,
      code,
      errors: [{ messageId: 'loop', ...at(code, loop.first ?? 'await'), suggestions: [{ messageId: 'promiseAllMap', output: embed(shape.code, loop.output ?? []) }] }],
    });
  }
  for (const list of operandLists) {
    const code = embed(shape.code, list.lines);
    const suggestions = list.output === undefined ? [] : [{ messageId: 'promiseAll' as const, output: embed(shape.code, list.output) }];
    invalid.push({ name: `${shape.name}: ${list.name}`, filename: shape.filename, code, errors: [{ messageId: 'sequence', ...at(code, "await getFeed('u1')"), suggestions }] });
  }
  for (const list of dependentOperands) valid.push({ name: `${shape.name}: ${list.name}`, filename: shape.filename, code: embed(shape.code, list.lines) });
  // An awaited declaration, then the framework's response with one awaited property: two latencies
  // in a row, combined into one Promise.all before the response.
  if (shape.sink !== undefined && !shape.sink.statement.slice(0, shape.sink.statement.indexOf('$VALUE')).includes(').')) {
    const code = embed(shape.code, ["const profile = await getProfile('u1');", shape.sink.statement.replace('$VALUE', "{ profile, feed: await getFeed('u1') }")]);
    const output = embed(shape.code, ["const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);", shape.sink.statement.replace('$VALUE', '{ profile, feed }')]);
    invalid.push({
      name: `${shape.name}: an awaited declaration, then an awaited property of the response body (${shape.sink.name})`,
      filename: shape.filename,
      code,
      errors: [{ messageId: 'sequence', ...at(code, "await getFeed('u1')"), suggestions: [{ messageId: 'promiseAll', output }] }],
    });
  }
  // The framework's own response statement (`ctx.body = …`, `return c.json(…)`, `res.status(201).json(…)`).
  if (shape.sink !== undefined) {
    const code = embed(shape.code, [shape.sink.statement.replace('$VALUE', "{ profile: await getProfile('u1'), feed: await getFeed('u1') }")]);
    const output = embed(shape.code, ["const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);", shape.sink.statement.replace('$VALUE', '{ profile, feed }')]);
    // `res.status(201)` runs before the awaits: after them, a failed one would leave the status unset.
    const callBefore = shape.sink.statement.slice(0, shape.sink.statement.indexOf('$VALUE')).includes(').');
    invalid.push({
      name: `${shape.name}: awaited properties of the response body (${shape.sink.name})${callBefore ? ', after a call in the callee: no rewrite' : ''}`,
      filename: shape.filename,
      code,
      errors: [{ messageId: 'sequence', ...at(code, "await getFeed('u1')"), suggestions: callBefore ? [] : [{ messageId: 'promiseAll', output }] }],
    });
  }
}

const file = (body: string): string => `${helpers}${body}`;
const genericHelpers =
  'interface User {\n  id: string;\n}\ndeclare function query<T>(sql: string): Promise<T>;\ndeclare function listUsers(): Promise<User[]>;\ndeclare function identity<T>(value: T): Promise<T>;\ndeclare function collect<T>(...values: T[]): Promise<T[]>;\ndeclare class Lookup<T> implements PromiseLike<T> {\n  constructor(key: string);\n  then<A = T, B = never>(done?: ((value: T) => A | PromiseLike<A>) | null, failed?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B>;\n}\n';
const narrowingHelpers = 'declare function ping(id: string, to: string): Promise<void>;\ninterface Session {\n  user?: { id: string };\n}\n';

valid.push(
  {
    name: 'awaited properties inside a Prisma transaction stay in order',
    filename: 'file.ts',
    code: file(
      "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function move() {\n  return prisma.$transaction(async (tx) => ({ profile: await getProfile('u1'), feed: await getFeed('u2'), tx }));\n}\n",
    ),
  },
  {
    name: 'an awaited property that reads the awaited declaration before it',
    filename: 'file.ts',
    code: file("export async function page(id: string) {\n  const profile = await getProfile(id);\n  return { profile, posts: await getPosts(profile.slug) };\n}\n"),
  },
  {
    // Combined, `profile` would become a constant; it is assigned again below.
    name: 'an awaited let declaration, then an awaited property',
    filename: 'file.ts',
    code: file("export async function page(id: string) {\n  let profile = await getProfile(id);\n  const body = { profile, feed: await getFeed(id) };\n  profile = { ...profile, name: '' };\n  return [body, profile];\n}\n"),
  },
  {
    name: 'an awaited declaration, then a generic call typed by the variable the literal goes to',
    filename: 'file.ts',
    code: file(`${genericHelpers}export async function report() {\n  const count = await getFollowers('u1');\n  const body: { users: User[]; count: number } = { count, users: await query('select * from users') };\n  return body;\n}\n`),
  },
  {
    // A constant `posts` would clash with the one declared between.
    name: 'an awaited declaration, then an awaited property whose name the function declares',
    filename: 'file.ts',
    code: file("export async function page(id: string) {\n  const profile = await getProfile(id);\n  const posts = ['cached'];\n  return { profile, recent: posts, posts2: posts, posts: await getPosts(id) };\n}\n"),
  },
  {
    // Combined, `slugOf()` would run while `profile` is still unset.
    name: 'an awaited declaration, then an awaited property calling a function that reads it',
    filename: 'file.ts',
    code: file("export async function page(id: string) {\n  const profile = await getProfile(id);\n  return { profile, posts: await getPosts(slugOf()) };\n  function slugOf() {\n    return profile.slug;\n  }\n}\n"),
  },
  {
    // `const current = mode` read `b` after `switchMode()`; moved before the combined await, it would read `a`.
    name: 'a declaration between two awaited declarations reading a let the first changes',
    filename: 'file.ts',
    code: file("let mode = 'a';\nasync function switchMode() {\n  mode = 'b';\n  return getProfile('u1');\n}\nexport async function page() {\n  const profile = await switchMode();\n  const current = mode;\n  const feed = await getFeed('u1');\n  return { profile, current, feed };\n}\n"),
  },
  {
    name: 'an awaited write, then an awaited property',
    filename: 'file.ts',
    code: file("export async function add(name: string) {\n  const id = await db.users.insert(name);\n  return { id, rows: await db.users.find(name) };\n}\n"),
  },
  {
    // The status is set before the profile is asked for: after a combined await it would be set later.
    name: 'an awaited declaration, then an awaited property after a call in the callee',
    filename: 'file.ts',
    code: file("export async function page(res: { status(code: number): { json(body: unknown): void } }) {\n  const profile = await getProfile('u1');\n  res.status(200).json({ profile, feed: await getFeed('u1') });\n}\n"),
  },
  {
    // The count may or may not see the new row if the two run together.
    name: 'a tagged-template insert, then a count, in one literal',
    filename: 'file.ts',
    code: file("declare function q(strings: TemplateStringsArray, ...values: unknown[]): Promise<string[]>;\nexport async function add(name: string) {\n  return { inserted: await q`insert into users (name) values (${name}) returning *`, total: await q`select count(*) from users` };\n}\n"),
  },
  {
    name: 'a tagged-template update, then a read, as declarations',
    filename: 'file.ts',
    code: file("declare function q(strings: TemplateStringsArray, ...values: unknown[]): Promise<string[]>;\nexport async function rename(name: string) {\n  const updated = await q`UPDATE users SET name = ${name}`;\n  const rows = await q`select * from users`;\n  return { updated, rows };\n}\n"),
  },
  {
    name: 'an awaited spread between two awaited properties ends the group',
    filename: 'file.ts',
    code: file("export async function page() {\n  return { profile: await getProfile('u1'), ...(await getSettings()), feed: await getFeed('u1') };\n}\n"),
  },
  {
    name: 'inside a Prisma transaction the awaits stay in order',
    filename: 'file.ts',
    code: file(
      "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function move() {\n  return prisma.$transaction(async (tx) => {\n    const a = await getProfile('u1');\n    const b = await getFeed('u2');\n    return [a, b, tx];\n  });\n}\n",
    ),
  },
  {
    name: 'inside a Knex transaction',
    filename: 'file.ts',
    code: file(
      "import type { Knex } from 'knex';\ndeclare const knex: Knex;\nexport async function move() {\n  await knex.transaction(async (trx) => {\n    const a = await getProfile('u1');\n    const b = await getFeed('u2');\n    console.log(a, b, trx);\n  });\n}\n",
    ),
  },
  {
    name: 'inside a Drizzle transaction',
    filename: 'file.ts',
    code: file(
      "import type { NodePgDatabase } from 'drizzle-orm/node-postgres';\ndeclare const drizzle: NodePgDatabase;\nexport async function move() {\n  await drizzle.transaction(async () => {\n    const a = await getProfile('u1');\n    const b = await getFeed('u2');\n    console.log(a, b);\n  });\n}\n",
    ),
  },
  {
    name: 'inside a mutex',
    filename: 'file.ts',
    code: file(
      "import { Mutex } from 'async-mutex';\nconst mutex = new Mutex();\nexport async function bump() {\n  await mutex.runExclusive(async () => {\n    const a = await getFollowers('u1');\n    const b = await getFollowers('u2');\n    console.log(a + b);\n  });\n}\n",
    ),
  },
  {
    name: 'a test body runs its steps in order on purpose',
    filename: 'file.ts',
    code: file(
      "declare function it(name: string, run: () => Promise<void>): void;\nit('loads', async () => {\n  const a = await getProfile('u1');\n  const b = await getFeed('u1');\n  console.log(a, b);\n});\n",
    ),
  },
  { name: 'a while loop carries its condition', filename: 'file.ts', code: file("export async function drain(queue: string[]) {\n  while (queue.length > 0) {\n    await audit(queue.shift() ?? '');\n  }\n}\n") },
  { name: 'the same write repeated per item', filename: 'file.ts', code: file("export async function save(rows: string[]) {\n  for (const row of rows) {\n    await db.users.insert(row);\n  }\n}\n") },
  { name: 'the same use case named like a write run per item', filename: 'file.ts', code: file("export async function promote(ids: string[]) {\n  for (const id of ids) {\n    await useCases.applyChange.execute(id);\n  }\n}\n") },
  { name: 'a function named like a write called per item', filename: 'file.ts', code: file("export async function welcome(emails: string[]) {\n  for (const email of emails) {\n    await sendEmail(email);\n  }\n}\n") },
  { name: 'reads in one transaction per item', filename: 'file.ts', code: file("export async function load(ids: string[]) {\n  for (const id of ids) {\n    console.log(await tx.users.find(id));\n  }\n}\n") },
  { name: 'a cache invalidated per item', filename: 'file.ts', code: file("export async function forget(keys: string[]) {\n  for (const key of keys) {\n    await storage.invalidateQuery(key);\n  }\n}\n") },
  { name: 'a sync function cannot await', filename: 'file.ts', code: file("export function plain() {\n  const a = getProfile('u1');\n  const b = getFeed('u1');\n  return [a, b];\n}\n") },
  {
    name: 'loops turned off',
    filename: 'file.ts',
    options: [{ loops: false }],
    code: file("export async function all(ids: string[]) {\n  for (const id of ids) {\n    console.log(await getProfile(id));\n  }\n}\n"),
  },
  { name: 'await using stays as it is', filename: 'file.ts', code: file("declare function open(): Promise<AsyncDisposable>;\nexport async function use() {\n  await using a = await open();\n  await using b = await open();\n  console.log(a, b);\n}\n") },
  {
    name: 'a property written by the first await and read by the second',
    filename: 'file.ts',
    code: file("export class Client {\n  token = '';\n  profile: unknown;\n  async load() {\n    this.token = (await getProfile('u1')).id;\n    this.profile = await getPosts(this.token);\n  }\n}\n"),
  },
  {
    name: 'promises already running, awaited in turn',
    filename: 'file.ts',
    code: file("export async function both() {\n  const profileP = getProfile('u1');\n  const feedP = getFeed('u1');\n  const profile = await profileP;\n  const feed = await feedP;\n  return [profile, feed];\n}\n"),
  },
  {
    name: 'a hoisted helper reads the first value',
    filename: 'file.ts',
    code: file("export async function posts() {\n  const profile = await getProfile('u1');\n  const list = await getPosts(slugOf());\n  return list;\n  function slugOf() {\n    return profile.slug;\n  }\n}\n"),
  },
  {
    // No arrow and no `function`: the method shorthand alone says a closure reads the first value.
    name: 'an object method reads the first value',
    filename: 'file.ts',
    code: file("export async function posts() {\n  const slugs = { of() /* read late */ { return profile.slug; } };\n  const profile = await getProfile('u1');\n  const list = await getPosts(slugs.of());\n  return list;\n}\n"),
  },
  {
    // TypeScript counts U+200B as whitespace, JavaScript's `\s` does not.
    name: 'a getter with a zero-width space before its body reads the first value',
    filename: 'file.ts',
    code: file("export async function posts() {\n  const view = { get slug()\u200B{ return profile.slug; } };\n  const profile = await getProfile('u1');\n  const list = await getPosts(view.slug);\n  return list;\n}\n"),
  },
  {
    name: 'an object getter with a return type reads the first value',
    filename: 'file.ts',
    code: file("export async function posts() {\n  const view = {\n    get slug(): string {\n      return profile.slug;\n    },\n  };\n  const profile = await getProfile('u1');\n  const list = await getPosts(view.slug);\n  return list;\n}\n"),
  },
  {
    name: 'state the first await changes, read in between',
    filename: 'file.ts',
    code: file("declare const session: { refresh(): Promise<void>; token: string };\nexport async function orders() {\n  const refreshed = await session.refresh();\n  const token = session.token;\n  const list = await getPosts(token);\n  return [refreshed, list];\n}\n"),
  },
  {
    // A `var` outlives the round: a timer set in an earlier round may read it while the next round's second await runs.
    name: 'a var read by a timer from an earlier round of a loop',
    filename: 'file.ts',
    code: file(
      "export async function poll() {\n  let more = true;\n  while (more) {\n    var profile = await getProfile('u1');\n    var feed = await getFeed('u1');\n    setTimeout(() => console.log(profile.name), 10);\n    more = feed.length > 0;\n  }\n}\n",
    ),
  },
  {
    // Making a View runs its field initialiser, which reads `profile`: `run` may do that before it is set.
    name: 'a class field reads the first value',
    filename: 'file.ts',
    code: file(
      "declare function run(make: () => unknown): Promise<number>;\nexport async function page() {\n  class View {\n    title = profile.name;\n  }\n  const profile = await getProfile('u1');\n  const count = await run(() => new View());\n  return [profile, count];\n}\n",
    ),
  },
  {
    // A timer from an earlier request reads `current` while this one's second call runs.
    name: 'an assignment to a module binding that a timer reads',
    filename: 'file.ts',
    code: file(
      "let current = 0;\nlet other = 0;\nexport async function poll() {\n  current = await getFollowers('u1');\n  other = await getFollowers('u2');\n  setTimeout(() => console.log(current), 10);\n  return other;\n}\n",
    ),
  },
  {
    name: 'inside a callback nested in a test body',
    filename: 'file.ts',
    code: file(
      "declare function it(name: string, run: () => Promise<void>): void;\nit('loads', async () => {\n  await Promise.all(['u1'].map(async (id) => {\n    const a = await getProfile(id);\n    const b = await getFeed(id);\n    console.log(a, b);\n  }));\n});\n",
    ),
  },
  {
    name: 'a cache kept on the instance, read and filled',
    filename: 'file.ts',
    code: file(
      "export class Names {\n  readonly cache = new Map<string, string>();\n  async load(ids: string[]) {\n    for (const id of ids) {\n      if (this.cache.get(id) === undefined) this.cache.set(id, (await getProfile(id)).name);\n    }\n    return this.cache;\n  }\n}\n",
    ),
  },
  {
    name: 'a crawler growing the list it walks',
    filename: 'file.ts',
    code: file("export async function crawl(start: string) {\n  const queue = [start];\n  for (const url of queue) {\n    const links = await getPosts(url);\n    queue.push(...links);\n  }\n  return queue;\n}\n"),
  },
  {
    name: 'an async generator yields between awaits',
    filename: 'file.ts',
    code: file("export async function* stream(ids: string[]) {\n  for (const id of ids) {\n    yield await getProfile(id);\n  }\n}\n"),
  },
  {
    name: 'state carried in an object property',
    filename: 'file.ts',
    code: file("export async function pages() {\n  const state = { cursor: '' };\n  for (const page of [1, 2, 3]) {\n    const items = await getFeed(state.cursor);\n    state.cursor = items.at(-1) ?? '';\n    console.log(page);\n  }\n}\n"),
  },
  // `\u0070rofile` is `profile`: the dependency is found though the text never spells the name.
  { name: 'the second reads the first through a Unicode-escaped name', filename: 'file.ts', code: file("export async function escaped() {\n  const profile = await getProfile('u1');\n  const posts = await getPosts(\\u0070rofile.slug);\n  return posts;\n}\n") },
  { name: 'a nested await in the operand', filename: 'file.ts', code: file("export async function nested() {\n  const a = await getProfile('u1');\n  const b = await getPosts((await getProfile('u2')).slug);\n  console.log(a, b);\n}\n") },
);

const orderedCode = file("export async function detail(ids: string[]) {\n  const items: unknown[] = [];\n  for (const id of ids) {\n    const profile = await getProfile(id);\n    items.push({ id, profile });\n  }\n  return items;\n}\n");
const sliceCode = file("export async function letters(name: string) {\n  for (const letter of name.slice(1)) {\n    console.log(await getFeed(letter));\n  }\n}\n");
const trailingCode = file("export async function noted(id: string) {\n  const a = await getProfile(id); // cached for five minutes\n  const b = await getFeed(id);\n  return [a, b];\n}\n");
const mapCode = file("export async function load(ids: Set<string>) {\n  const byId = new Map<string, unknown>();\n  for (const id of ids) {\n    byId.set(id, await getProfile(id));\n  }\n  return byId;\n}\n");
const countingCode = file("export async function pages(count: number) {\n  for (let page = 0; page < count; page += 1) {\n    console.log(await getFeed(String(page)));\n  }\n}\n");
const nestedCode = file("export async function grid(rows: string[][]) {\n  for (const row of rows) {\n    for (const cell of row) {\n      console.log(await getProfile(cell));\n    }\n  }\n}\n");
const mixedCode = file("export async function mixed() {\n  const a: { name: string } = await getProfile('u1');\n  const b = await getFeed('u1');\n  console.log(a, b);\n}\n");
const asiCode = file("export async function noSemicolons() {\n  let a = 0\n  let b = 0\n  a = await getFollowers('u1')\n  b = await getFollowers('u2')\n  console.log(a + b)\n}\n");
const commentedLoopCode = file("export async function load(ids: string[]) {\n  const byId = new Map<string, unknown>();\n  for (const id of ids) {\n    // no batch endpoint upstream\n    byId.set(id, await getProfile(id));\n  }\n  return byId;\n}\n");
const capturedCode = file("export async function page() {\n  const profile = await getProfile('u1');\n  const feed = await getFeed('u1');\n  const followers = await getFollowers('u1');\n  return [slugOf(), feed, followers];\n  function slugOf() {\n    return profile.slug;\n  }\n}\n");
const commentsCode = file("export async function commented() {\n  const a = await getProfile('u1');\n  // the feed, too\n  const b = await getFeed('u1');\n  console.log(a, b);\n}\n");

const roundCode = file(
  "export async function poll() {\n  let more = true;\n  while (more) {\n    const profile = await getProfile('u1');\n    const feed = await getFeed('u1');\n    setTimeout(() => console.log(profile.name), 10);\n    more = feed.length > 0;\n  }\n}\n",
);

const labelCode = file(
  "export async function page() {\n  const profile = await getProfile('u1');\n  const feed = await getFeed('u1');\n  const label = () => profile.name;\n  const followers = await getFollowers('u1');\n  return [label(), feed, followers];\n}\n",
);

const lastReadCode = file(
  "export async function page() {\n  const profile = await getProfile('u1');\n  const feed = await getFeed('u1');\n  const followers = await getFollowers('u1');\n  return [name(), feed, count()];\n  function name() {\n    return profile.name;\n  }\n  function count() {\n    return followers;\n  }\n}\n",
);

invalid.push(
  {
    // Hoisted helpers read the first and the last value. The first cannot join the others; the last
    // can: until its await is done, its binding is unset, combined or not.
    name: 'hoisted helpers read the first and the last value: the last two combine',
    filename: 'file.ts',
    code: lastReadCode,
    errors: [
      {
        messageId: 'sequence',
        line: at(lastReadCode, "await getFollowers('u1')").line,
        suggestions: [
          {
            messageId: 'promiseAll',
            output: lastReadCode.replace("const feed = await getFeed('u1');\n  const followers = await getFollowers('u1');", "const [feed, followers] = await Promise.all([getFeed('u1'), getFollowers('u1')]);"),
          },
        ],
      },
    ],
  },
  {
    // `label` exists from the third await on, which could run it: the group ends before it.
    name: 'a closure created before the third await reads the first: the first two are reported',
    filename: 'file.ts',
    code: labelCode,
    errors: [
      {
        messageId: 'sequence',
        line: at(labelCode, "await getFeed('u1')").line,
        suggestions: [
          {
            messageId: 'promiseAll',
            output: labelCode.replace("const profile = await getProfile('u1');\n  const feed = await getFeed('u1');", "const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);"),
          },
        ],
      },
    ],
  },
  {
    // Each round declares a new `profile`: a timer from an earlier round reads its own round's value.
    name: 'a const read by a timer set after both awaits, in a loop',
    filename: 'file.ts',
    code: roundCode,
    errors: [
      {
        messageId: 'sequence',
        line: at(roundCode, "await getFeed('u1')").line,
        suggestions: [
          {
            messageId: 'promiseAll',
            output: roundCode.replace("const profile = await getProfile('u1');\n    const feed = await getFeed('u1');", "const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);"),
          },
        ],
      },
    ],
  },
  {
    // A hoisted helper reads the first value: that await stays where it is, the two after it combine.
    name: 'a closure reads the first of three awaits: the other two are reported',
    filename: 'file.ts',
    code: capturedCode,
    errors: [
      {
        messageId: 'sequence',
        line: at(capturedCode, "await getFollowers('u1')").line,
        suggestions: [
          {
            messageId: 'promiseAll',
            output: capturedCode.replace("const feed = await getFeed('u1');\n  const followers = await getFollowers('u1');", "const [feed, followers] = await Promise.all([getFeed('u1'), getFollowers('u1')]);"),
          },
        ],
      },
    ],
  },
  {
    name: 'a comment inside a collecting loop moves above the rewrite instead of being lost',
    filename: 'file.ts',
    code: commentedLoopCode,
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: commentedLoopCode.replace(
              'for (const id of ids) {\n    // no batch endpoint upstream\n    byId.set(id, await getProfile(id));\n  }',
              '// no batch endpoint upstream\n  for (const [key, value] of await Promise.all(\n    ids.map(async (id) => [id, await getProfile(id)] as const),\n  )) {\n    byId.set(key, value);\n  }',
            ),
          },
        ],
      },
    ],
  },
  {
    name: 'a loop that collects in a second statement: awaited together, then collected in order',
    filename: 'file.ts',
    code: orderedCode,
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: orderedCode.replace(
              'for (const id of ids) {\n    const profile = await getProfile(id);\n    items.push({ id, profile });\n  }',
              'for (const { id, profile } of await Promise.all(ids.map(async (id) => {\n    const profile = await getProfile(id);\n    return { id, profile } as const;\n  }))) {\n    items.push({ id, profile });\n  }',
            ),
          },
        ],
      },
    ],
  },
  // The collecting call keeps its code and runs once per item, in order: it is typed as before
  // (a literal is not widened by a callback's return) and made one item at a time.
  ...[
    { name: 'a literal in the collected value', body: "const profile = await getProfile(id);\n    checks.push({ id, status: profile.name === '' ? 'missing' : 'ok' });", carried: '{ id, profile }' },
    { name: 'a spread into the collection', body: 'const posts = await getPosts(id);\n    seen.push(...posts);', carried: '{ posts }' },
    { name: 'a function called on the value', body: 'const profile = await getProfile(id);\n    seen.push(label(profile));', carried: '{ profile }' },
    { name: 'stateless globals and methods of its own values', body: 'const profile = await getProfile(id);\n    const json = JSON.stringify(profile.name.trim());\n    seen.push(String(json.length) + json);', carried: '{ json }' },
  ].map(({ name, body, carried }) => {
    const code = file(`declare function label(profile: { name: string }): string;\nexport async function collect(ids: string[], checks: { id: string; status: 'ok' | 'missing' }[], seen: string[]) {\n  for (const id of ids) {\n    ${body}\n  }\n  return [checks, seen];\n}\n`);
    const lines = body.split('\n    ');
    const rest = lines.pop() ?? '';
    const output = code.replace(
      `for (const id of ids) {\n    ${body}\n  }`,
      `for (const ${carried} of await Promise.all(ids.map(async (id) => {\n    ${lines.join('\n    ')}\n    return ${carried} as const;\n  }))) {\n    ${rest}\n  }`,
    );
    return { name: `a loop that collects after its await, with ${name}: awaited together, then collected in order`, filename: 'file.ts', code, errors: [{ messageId: 'loop' as const, suggestions: [{ messageId: 'promiseAllMap' as const, output }] }] };
  }),
  {
    // `this.load` may change `this.items` before an earlier item's rest collects into it.
    name: 'a loop that collects into this, after awaiting a method of this: reported, no rewrite',
    filename: 'file.ts',
    code: file(
      'export class Profiles {\n  items: string[] = [];\n  async load(id: string) {\n    return getProfile(id);\n  }\n  async loadAll(ids: string[]) {\n    for (const id of ids) {\n      const profile = await this.load(id);\n      this.items.push(profile.name);\n    }\n  }\n}\n',
    ),
    errors: [{ messageId: 'loop', suggestions: [] }],
  },
  {
    name: 'a loop that collects into this, after awaiting something else: awaited together, then collected in order',
    filename: 'file.ts',
    code: file('export class Profiles {\n  items: string[] = [];\n  async loadAll(ids: string[]) {\n    for (const id of ids) {\n      const profile = await getProfile(id);\n      this.items.push(profile.name);\n    }\n  }\n}\n'),
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: file(
              'export class Profiles {\n  items: string[] = [];\n  async loadAll(ids: string[]) {\n    for (const { profile } of await Promise.all(ids.map(async (id) => {\n      const profile = await getProfile(id);\n      return { profile } as const;\n    }))) {\n      this.items.push(profile.name);\n    }\n  }\n}\n',
            ),
          },
        ],
      },
    ],
  },
  // Reported, with no suggestion: no rewrite keeps these in order.
  ...[
    { name: 'an order-sensitive call before the last await', body: 'seen.push(id);\n    const profile = await getProfile(id);\n    checks.push({ id, status: profile.name === "" ? "missing" : "ok" });' },
    { name: 'a push inside a callback before the last await', body: 'const posts = await getPosts(id);\n    posts.forEach((post) => seen.push(post));\n    await audit(id);' },
    // The rest would not run for a skipped item, but the callback would still return one.
    { name: 'a continue before the last await', body: "if (id === '') continue;\n    const profile = await getProfile(id);\n    seen.push(profile.name);" },
    { name: 'the collection awaited per item', body: "const profile = await getProfile(id);\n    (await getFeed('all')).push(profile.name);" },
    // More than the one collecting call after the await: carried apart, `profile` would lose what
    // the `if` proved about it (a `{ data, error }` pair from a query, say).
    { name: 'a rest of more than one statement', body: "const profile = await getProfile(id);\n    if (profile.name === '') continue;\n    seen.push(profile.name);" },
    { name: 'collecting from a callback', body: 'const posts = await getPosts(id);\n    posts.forEach((post) => seen.push(post));' },
    // Calls made for their effect: a later item's could change what this item's call reads.
    { name: 'a call of an outer function before the await', body: "const previous = setLocale(id);\n    const profile = await getProfile(id);\n    seen.push(format(profile.name, previous));" },
    { name: 'a method of an outer object called before the await', body: "const locale = checks.pop();\n    const profile = await getProfile(id);\n    seen.push(profile.name + String(locale));" },
    // `out` is `seen` under another name: pushing from concurrent callbacks would lose the order.
    { name: 'collecting through a name of its own for an outer collection', body: 'const out = seen;\n    const profile = await getProfile(id);\n    out.push(profile.name);' },
    { name: 'an outer object under a name of its own', body: 'const list = groups;\n    const profile = await getProfile(id);\n    seen.push(String(list[id]) + profile.name);' },
    { name: 'the call reading an outer value', body: "const profile = await getProfile(id);\n    seen.push(profile.name + lastStatus);" },
    // Carried as constants, the bindings the rest reads cannot be assigned there.
    { name: 'the rest assigning what it reads', body: 'let count = await getFollowers(id);\n    seen.push(String(count++));' },
    // A copy of `size` is carried: the callback setting it later would not reach the rest.
    { name: 'a carried let that a callback assigns', body: 'let size = 0;\n    const feed = await getFeed(id).then((items) => {\n      size = items.length;\n      return items;\n    });\n    seen.push(`${feed.join()}: ${String(size)}`);' },
    // Run for every item before any rest, these could change or narrow what a rest reads.
    { name: 'a statement run for its effect before the await', body: "console.time(id);\n    const profile = await getProfile(id);\n    seen.push(profile.name);" },
    { name: 'an awaited call done for its effect', body: "const profile = await getProfile(id);\n    await audit(id);\n    seen.push(profile.name);" },
    // Disposed when the callback returns, before the rest could use it.
    { name: 'a using declaration before the await', body: 'using scope = { [Symbol.dispose]() {}, id };\n    const profile = await getProfile(scope.id);\n    seen.push(scope.id + profile.name);' },
    { name: 'a type declared before the await', body: "type Named = { name: string };\n    const profile: Named = await getProfile(id);\n    seen.push(profile.name);" },
    { name: 'a function declared in the rest', body: 'const profile = await getProfile(id);\n    seen.push(label(profile.name));\n    function label(name: string) {\n      return name.trim();\n    }' },
    // A later item's first part runs before this item's rest: the rest would read what it left.
    { name: 'the rest reading a member of an outer object', body: "const profile = await getProfile(id);\n    seen.push(checks[0]?.status ?? profile.name);" },
    { name: 'the collection chosen per item', body: 'const profile = await getProfile(id);\n    groups[profile.slug]?.push(profile);' },
    // `for (const { body } of body.ids)` would read the new binding before it is set.
    { name: 'a carried name also in the iterable', body: 'const ids = await getPosts(id);\n    seen.push(...ids);' },
    // In a callback, the body's `id` would clash with the parameter.
    { name: 'a body redeclaring the loop variable', body: "const id = 'u1';\n    const profile = await getProfile(id);\n    seen.push(profile.name);" },
    { name: 'the rest reading nothing of the item', body: 'await audit(id);\n    seen.push("done");' },
  ].map(({ name, body }) => ({
    name: `a loop that collects, but ${name}: reported, no rewrite`,
    filename: 'file.ts',
    code: file(`declare function setLocale(locale: string): string;\ndeclare function format(text: string, locale: string): string;\ndeclare let lastStatus: number;\nexport async function collect(ids: string[], checks: { id: string; status: 'ok' | 'missing' }[], seen: string[], groups: Record<string, unknown[]>) {\n  for (const id of ids) {\n    ${body}\n  }\n  return [checks, seen, groups];\n}\n`),
    errors: [{ messageId: 'loop' as const, suggestions: [] }],
  })),
  {
    // Each callback would push its two values as they come: another item's could land between them.
    // The two arguments, though, could start together within each iteration.
    name: 'a loop that collects two awaited values pushed in one call: reported, no loop rewrite, and the arguments reported',
    filename: 'file.ts',
    code: file('export async function collect(ids: string[], seen: string[]) {\n  for (const id of ids) {\n    seen.push(await getFeed(id).then(String), await getPosts(id).then(String));\n  }\n  return seen;\n}\n'),
    errors: [
      // Both on the push, the body's third line.
      { messageId: 'loop', line: helpers.split('\n').length + 2, suggestions: [] },
      { messageId: 'sequence', line: helpers.split('\n').length + 2, column: 47, suggestions: [] },
    ],
  },
  // TypeScript carries a narrowing into a callback only for a const, or a parameter or let read past
  // its last assignment; never a member's. Moved into the callback of a rewrite, these reads would
  // lose it and the code would not type-check: reported, no rewrite.
  ...[
    {
      name: 'a member narrowed by a guard before the loop (an Express handler reading req.user)',
      code: "import { Router, type Request } from 'express';\n\nexport const router = Router();\nrouter.post('/notify', async (req: Request & { user?: { id: string } }, res) => {\n  if (!req.user) return res.sendStatus(401);\n  for (const id of String(req.query.ids).split(',')) {\n    await ping(id, req.user.id);\n  }\n  res.sendStatus(204);\n});\n",
    },
    { name: 'a member of this narrowed before the loop', code: 'export class Mailer {\n  token?: string;\n  async sendAll(ids: string[]) {\n    if (this.token === undefined) return;\n    for (const id of ids) {\n      await ping(id, this.token);\n    }\n  }\n}\n' },
    { name: "a member narrowed by an element access guard", code: "export async function notify(session: Session, ids: string[]) {\n  if (session['user'] === undefined) return;\n  for (const id of ids) {\n    await ping(id, session['user'].id);\n  }\n}\n" },
    { name: 'a parameter narrowed before the loop and assigned after it', code: 'export async function notify(ids: string[], token: string | undefined) {\n  if (token === undefined) return;\n  for (const id of ids) {\n    await ping(id, token);\n  }\n  token = undefined;\n  return token;\n}\n' },
    // The assignment's position counts to the end of the statement holding it: here the `if` around the loop.
    { name: 'a let assigned in the block that holds the loop', code: "export async function notify(ids: string[], given: string | undefined) {\n  let token = given;\n  if (ids.length > 0) {\n    token ??= 'anonymous';\n    for (const id of ids) {\n      await ping(id, token);\n    }\n  }\n}\n" },
    { name: 'a let narrowed before the loop and assigned in another function', code: "export async function notify(ids: string[], given: string | undefined) {\n  let token = given;\n  const reset = () => {\n    token = undefined;\n  };\n  if (token === undefined) return reset;\n  for (const id of ids) {\n    await ping(id, token);\n  }\n  return reset;\n}\n" },
    // The guard and the read spell the path differently; TypeScript narrows them as one.
    { name: 'a member guarded through optional chaining', code: 'export async function notify(session: Session | undefined, ids: string[]) {\n  if (!session?.user) return;\n  for (const id of ids) {\n    await ping(id, session.user.id);\n  }\n}\n' },
    { name: 'a member guarded as an element access and read as a property', code: "export async function notify(session: Session, ids: string[]) {\n  if (!session['user']) return;\n  for (const id of ids) {\n    await ping(id, session.user.id);\n  }\n}\n" },
    { name: 'a member guarded through an optional element access', code: "export async function notify(session: Session | undefined, ids: string[]) {\n  if (!session?.['user']) return;\n  for (const id of ids) {\n    await ping(id, session.user.id);\n  }\n}\n" },
    { name: 'a member guarded through parentheses', code: 'export async function notify(session: Session, ids: string[]) {\n  if (!(session).user) return;\n  for (const id of ids) {\n    await ping(id, session.user.id);\n  }\n}\n' },
    { name: 'a quoted key guarded with other quotes', code: "export async function notify(headers: { 'x-user'?: string }, ids: string[]) {\n  if (!headers[\"x-user\"]) return;\n  for (const id of ids) {\n    await ping(id, headers['x-user']);\n  }\n}\n" },
    {
      name: 'an Express query parameter narrowed by typeof (an index signature of an interface)',
      code: "import { Router } from 'express';\n\nexport const router = Router();\nrouter.post('/tags', async (req, res) => {\n  if (typeof req.query.tag !== 'string') return res.sendStatus(400);\n  for (const id of String(req.body.ids).split(',')) {\n    await ping(id, req.query.tag.toLowerCase());\n  }\n  res.sendStatus(204);\n});\n",
    },
    { name: 'a narrowed member destructured in the body', code: 'export async function notify(session: Session, ids: string[]) {\n  if (!session.user) return;\n  for (const id of ids) {\n    const { user } = session;\n    await ping(id, user.id);\n  }\n}\n' },
    { name: 'a narrowed member read by a default in the loop header', code: 'export async function notify(session: Session, items: { to?: string }[]) {\n  if (!session.user) return;\n  for (const { to = session.user.id } of items) {\n    await ping(to, to);\n  }\n}\n' },
    { name: 'a narrowed let in a shorthand property, assigned after the loop', code: "declare function pingWith(id: string, to: { token: string }): Promise<void>;\nexport async function notify(ids: string[], given: string | undefined) {\n  let token = given;\n  if (token === undefined) return;\n  for (const id of ids) {\n    await pingWith(id, { token });\n  }\n  token = undefined;\n  return token;\n}\n" },
    { name: 'a member guarded with a non-null assertion in between', code: 'export async function notify(sessions: Session[], ids: string[]) {\n  if (!sessions[0]!.user) return;\n  for (const id of ids) {\n    await ping(id, sessions[0]!.user.id);\n  }\n}\n' },
    // TypeScript keeps no narrowing of these in a callback, wherever they are assigned.
    { name: 'a var narrowed before the loop', code: 'export async function notify(ids: string[], given: string | undefined) {\n  var token = given;\n  if (token === undefined) return;\n  for (const id of ids) {\n    await ping(id, token);\n  }\n}\n' },
    { name: 'an exported let narrowed before the loop', code: 'export let current: string | undefined;\nexport async function notify(ids: string[]) {\n  if (current === undefined) return;\n  for (const id of ids) {\n    await ping(id, current);\n  }\n}\n' },
    { name: 'a let exported by an export clause', code: 'let current: string | undefined;\nexport { current };\nexport async function notify(ids: string[]) {\n  if (current === undefined) return;\n  for (const id of ids) {\n    await ping(id, current);\n  }\n}\n' },
    { name: 'a catch variable narrowed and assigned after the loop', code: "export async function notify(ids: string[]) {\n  try {\n    await ping('start', 'all');\n  } catch (error: unknown) {\n    if (!(error instanceof Error)) throw error;\n    for (const id of ids) {\n      await ping(id, error.message);\n    }\n    error = undefined;\n  }\n}\n" },
  ].map(({ name, code }) => ({ name: `${name}: reported, no rewrite`, filename: 'file.ts', code: file(`${narrowingHelpers}${code}`), errors: [{ messageId: 'loop' as const, suggestions: [] }] })),
  // Where the narrowing reaches the callback, or there is none to lose, the rewrite is offered.
  ...[
    {
      name: 'a parameter narrowed before the loop and never assigned',
      code: 'export async function notify(ids: string[], token: string | undefined) {\n  if (token === undefined) return;\n  for (const id of ids) {\n    await ping(id, token);\n  }\n}\n',
      output: 'export async function notify(ids: string[], token: string | undefined) {\n  if (token === undefined) return;\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, token);\n  }));\n}\n',
    },
    {
      name: 'a let assigned only before the loop',
      code: "export async function notify(ids: string[], given: string | undefined) {\n  let token = given;\n  if (token === undefined) token = 'anonymous';\n  for (const id of ids) {\n    await ping(id, token);\n  }\n}\n",
      output: "export async function notify(ids: string[], given: string | undefined) {\n  let token = given;\n  if (token === undefined) token = 'anonymous';\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, token);\n  }));\n}\n",
    },
    {
      // A const keeps its narrowing in callbacks.
      name: 'a const narrowed before the loop',
      code: "export async function notify(ids: string[], given: string | undefined) {\n  const token = given;\n  if (token === undefined) return;\n  for (const id of ids) {\n    await ping(id, token);\n  }\n}\n",
      output: "export async function notify(ids: string[], given: string | undefined) {\n  const token = given;\n  if (token === undefined) return;\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, token);\n  }));\n}\n",
    },
    {
      name: 'a let assigned after the loop but never narrowed',
      code: "export async function notify(ids: string[]) {\n  let status = 'sending';\n  for (const id of ids) {\n    await ping(id, status);\n  }\n  status = 'sent';\n  return status;\n}\n",
      output: "export async function notify(ids: string[]) {\n  let status = 'sending';\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, status);\n  }));\n  status = 'sent';\n  return status;\n}\n",
    },
    {
      name: 'a member read that was never narrowed',
      code: 'export async function notify(session: Required<Session>, ids: string[]) {\n  if (session.user.id === \'\') return;\n  for (const id of ids) {\n    await ping(id, session.user.id);\n  }\n}\n',
      output: 'export async function notify(session: Required<Session>, ids: string[]) {\n  if (session.user.id === \'\') return;\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, session.user.id);\n  }));\n}\n',
    },
    {
      name: 'a member narrowed inside the body, which moves with it',
      code: "export async function notify(ids: string[]) {\n  for (const id of ids) {\n    const profile = await getProfile(id);\n    if (profile.slug) await ping(id, profile.slug);\n  }\n}\n",
      output: "export async function notify(ids: string[]) {\n  await Promise.all(ids.map(async (id) => {\n    const profile = await getProfile(id);\n    if (profile.slug) await ping(id, profile.slug);\n  }));\n}\n",
    },
    // Read with no narrowing to lose: the rewrite type-checks, so it is offered.
    {
      name: 'an index signature member read before the loop (Express params)',
      code: "export async function notify(params: Record<string, string>, ids: string[]) {\n  console.log(params.owner);\n  for (const id of ids) {\n    await ping(id, params.owner);\n  }\n}\n",
      output: "export async function notify(params: Record<string, string>, ids: string[]) {\n  console.log(params.owner);\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, params.owner);\n  }));\n}\n",
    },
    {
      name: 'a member of an any body narrowed by typeof',
      code: "export async function notify(body: any, ids: string[]) {\n  if (typeof body.tag !== 'string') throw new Error('tag');\n  for (const id of ids) {\n    await ping(id, body.tag);\n  }\n}\n",
      output: "export async function notify(body: any, ids: string[]) {\n  if (typeof body.tag !== 'string') throw new Error('tag');\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, body.tag);\n  }));\n}\n",
    },
    {
      name: 'an enum member read before the loop',
      code: "enum Channel {\n  Mail = 'mail',\n}\nexport async function notify(ids: string[]) {\n  console.log(Channel.Mail);\n  for (const id of ids) {\n    await ping(id, Channel.Mail);\n  }\n}\n",
      output: "enum Channel {\n  Mail = 'mail',\n}\nexport async function notify(ids: string[]) {\n  console.log(Channel.Mail);\n  await Promise.all(ids.map(async (id) => {\n    await ping(id, Channel.Mail);\n  }));\n}\n",
    },
  ].map(({ name, code, output }) => ({
    name: `${name}: rewritten`,
    filename: 'file.ts',
    code: file(`${narrowingHelpers}${code}`),
    errors: [{ messageId: 'loop' as const, suggestions: [{ messageId: 'promiseAllMap' as const, output: file(`${narrowingHelpers}${output}`) }] }],
  })),
  // A generic call typed by its declaration (`const users: User[] = await query(sql)`): inside
  // `Promise.all` it would infer `unknown`, so `Promise.all` gets the declared types.
  ...[
    {
      name: 'generic calls typed by their declarations: Promise.all is given the declared types',
      code: `export async function report() {\n  const users: User[] = await query('select * from users');\n  const count: number = await query('select count(*) from orders');\n  return { users, count };\n}\n`,
      output: `export async function report() {\n  const [users, count] = await Promise.all<[User[] | PromiseLike<User[]>, number | PromiseLike<number>]>([\n    query('select * from users'),\n    query('select count(*) from orders'),\n  ]);\n  return { users, count };\n}\n`,
    },
    {
      name: 'a function type declared for a generic call: parenthesised in the union',
      code: `export async function load() {\n  const format: (n: number) => string = await query('f');\n  const unit: string = await query('u');\n  return format(1) + unit;\n}\n`,
      output: `export async function load() {\n  const [format, unit] = await Promise.all<[((n: number) => string) | PromiseLike<(n: number) => string>, string | PromiseLike<string>]>([\n    query('f'),\n    query('u'),\n  ]);\n  return format(1) + unit;\n}\n`,
    },
    {
      name: 'declared types with calls that are not generic: the types stay on the destructuring',
      code: `export async function report() {\n  const users: User[] = await listUsers();\n  const count: number = await query<number>('count');\n  return { users, count };\n}\n`,
      output: `export async function report() {\n  const [users, count]: [User[], number] = await Promise.all([listUsers(), query<number>('count')]);\n  return { users, count };\n}\n`,
    },
    {
      name: 'a generic class made with new, typed by the declarations: Promise.all is given the declared types',
      code: `export async function load() {\n  const user: User = await new Lookup('user');\n  const count: number = await new Lookup('count');\n  return { user, count };\n}\n`,
      output: `export async function load() {\n  const [user, count] = await Promise.all<[User | PromiseLike<User>, number | PromiseLike<number>]>([\n    new Lookup('user'),\n    new Lookup('count'),\n  ]);\n  return { user, count };\n}\n`,
    },
    {
      name: 'a union declared over several lines: on one line in the type arguments',
      code: `export async function load() {\n  const who:\n    | User\n    | undefined = await query('who');\n  const count: number = await query('count');\n  return { who, count };\n}\n`,
      output: `export async function load() {\n  const [who, count] = await Promise.all<[User | undefined | PromiseLike<User | undefined>, number | PromiseLike<number>]>([\n    query('who'),\n    query('count'),\n  ]);\n  return { who, count };\n}\n`,
    },
    // Left out, `collect`'s argument would not fix `T`: the declared type does. In `Promise.all` it would be `unknown[]`.
    {
      name: 'a generic call whose argument is left out, typed by its declaration: Promise.all is given the declared types',
      code: `export async function load() {\n  const tags: string[] = await collect();\n  const count: number = await identity(1);\n  return { tags, count };\n}\n`,
      output: `export async function load() {\n  const [tags, count] = await Promise.all<[string[] | PromiseLike<string[]>, number | PromiseLike<number>]>([\n    collect(),\n    identity(1),\n  ]);\n  return { tags, count };\n}\n`,
    },
  ].map(({ name, code, output }) => ({
    name,
    filename: 'file.ts',
    code: file(`${genericHelpers}${code}`),
    errors: [{ messageId: 'sequence' as const, suggestions: [{ messageId: 'promiseAll' as const, output: file(`${genericHelpers}${output}`) }] }],
  })),
  // Awaited members of one object literal, in handler shapes beyond the frameworks' response statements.
  ...[
    {
      name: 'a name read elsewhere only as a property (req.profile) is free for a constant',
      code: "export async function show(req: { profile: string }) {\n  return { profile: await getProfile(req.profile), feed: await getFeed(req.profile), who: req.profile };\n}\n",
      output: "export async function show(req: { profile: string }) {\n  const [profile, feed] = await Promise.all([getProfile(req.profile), getFeed(req.profile)]);\n  return { profile, feed, who: req.profile };\n}\n",
    },
    {
      name: 'a declared variable typed by calls that are not generic',
      code: "export async function page() {\n  const body: { profile: unknown; feed: string[] } = { profile: await getProfile('u1'), feed: await getFeed('u1') };\n  return body;\n}\n",
      output: "export async function page() {\n  const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);\n  const body: { profile: unknown; feed: string[] } = { profile, feed };\n  return body;\n}\n",
    },
    {
      name: 'a comment between a key and its await moves above',
      code: "export async function page() {\n  return { profile: /* cached upstream */ await getProfile('u1'), feed: await getFeed('u1') };\n}\n",
      output: "export async function page() {\n  /* cached upstream */\n  const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);\n  return { profile, feed };\n}\n",
    },
    {
      name: 'code without semicolons, the statement starting with a parenthesis',
      code: "export async function page(ctx: { body: unknown }) {\n  const id = 'u1'\n  ;(ctx as { body: unknown }).body = { profile: await getProfile(id), feed: await getFeed(id) }\n}\n",
      output: "export async function page(ctx: { body: unknown }) {\n  const id = 'u1'\n  ;const [profile, feed] = await Promise.all([getProfile(id), getFeed(id)]);\n  (ctx as { body: unknown }).body = { profile, feed }\n}\n",
    },
    {
      name: 'two awaited declarations, a declaration in between, then two awaited properties: one Promise.all',
      code: "export async function page(id: string) {\n  const profile = await getProfile(id);\n  const label = `page of ${id}`;\n  const settings = await getSettings();\n  return { label, profile, settings, feed: await getFeed(id), followers: await getFollowers(id) };\n}\n",
      output: "export async function page(id: string) {\n  const label = `page of ${id}`;\n  const [profile, settings, feed, followers] = await Promise.all([\n    getProfile(id),\n    getSettings(),\n    getFeed(id),\n    getFollowers(id),\n  ]);\n  return { label, profile, settings, feed, followers };\n}\n",
    },
    {
      name: 'a type alias between two awaited declarations goes before the combined await',
      code: "export async function page(id: string) {\n  const profile = await getProfile(id);\n  type Feed = string[];\n  const feed = await getFeed(id);\n  const latest: Feed = feed.slice(0, 1);\n  return { profile, latest };\n}\n",
      output: "export async function page(id: string) {\n  type Feed = string[];\n  const [profile, feed] = await Promise.all([getProfile(id), getFeed(id)]);\n  const latest: Feed = feed.slice(0, 1);\n  return { profile, latest };\n}\n",
    },
    {
      // A directive must stay on the line above the statement it is about.
      name: 'a directive comment above the statement stays above it',
      code: "export async function page(id: string) {\n  // @ts-expect-error the logger takes strings only\n  console.log({ profile: await getProfile(id), feed: await getFeed(id) });\n}\n",
      output: "export async function page(id: string) {\n  const [profile, feed] = await Promise.all([getProfile(id), getFeed(id)]);\n  // @ts-expect-error the logger takes strings only\n  console.log({ profile, feed });\n}\n",
    },
    {
      // The response's own comment is past the rewrite: it stays once, where it was.
      name: 'an awaited declaration, then an awaited property, each with a comment on its line',
      code: "export async function page(ctx: { body: unknown }, id: string) {\n  const profile = await getProfile(id); // the user\n  ctx.body = { profile, feed: await getFeed(id) }; // response\n}\n",
      output: "export async function page(ctx: { body: unknown }, id: string) {\n  // the user\n  const [profile, feed] = await Promise.all([getProfile(id), getFeed(id)]);\n  ctx.body = { profile, feed }; // response\n}\n",
    },
    {
      // Kept after the combined await, `const name = profile.name` would run into `(ctx as …)` without the `;`.
      name: 'code without semicolons, a derived declaration kept before a statement starting with a parenthesis',
      code: "export async function page(ctx: { body: unknown }, id: string) {\n  const profile = await getProfile(id)\n  const name = profile.name\n  const settings = await getSettings()\n  ;(ctx as { body: unknown }).body = { name, settings, feed: await getFeed(id) }\n}\n",
      output: "export async function page(ctx: { body: unknown }, id: string) {\n  const [profile, settings, feed] = await Promise.all([getProfile(id), getSettings(), getFeed(id)])\n  const name = profile.name\n  ;(ctx as { body: unknown }).body = { name, settings, feed }\n}\n",
    },
    {
      name: 'an interface declared between an awaited declaration and the response goes before the combined await',
      code: "export async function page(id: string) {\n  const profile = await getProfile(id);\n  interface Page {\n    profile: unknown;\n    feed: string[];\n  }\n  return { profile, feed: await getFeed(id) } satisfies Page;\n}\n",
      output: "export async function page(id: string) {\n  interface Page {\n    profile: unknown;\n    feed: string[];\n  }\n  const [profile, feed] = await Promise.all([getProfile(id), getFeed(id)]);\n  return { profile, feed } satisfies Page;\n}\n",
    },
    {
      // A declared type on the declaration: the literal's two awaits keep their own rewrite.
      name: 'an awaited declaration with a declared type, then two awaited properties',
      code: "export async function page(id: string) {\n  const profile: { name: string } = await getProfile(id);\n  return { profile, feed: await getFeed(id), followers: await getFollowers(id) };\n}\n",
      output: "export async function page(id: string) {\n  const profile: { name: string } = await getProfile(id);\n  const [feed, followers] = await Promise.all([getFeed(id), getFollowers(id)]);\n  return { profile, feed, followers };\n}\n",
    },
    {
      // `getPosts(profile.slug)` needs the profile first: only the literal's own two run together.
      name: 'an awaited property reading the awaited declaration before it, with another beside it',
      code: "export async function page(id: string) {\n  const profile = await getProfile(id);\n  return { profile, posts: await getPosts(profile.slug), followers: await getFollowers(id) };\n}\n",
      output: "export async function page(id: string) {\n  const profile = await getProfile(id);\n  const [posts, followers] = await Promise.all([getPosts(profile.slug), getFollowers(id)]);\n  return { profile, posts, followers };\n}\n",
    },
    {
      name: 'a contextual keyword as a key names a constant fine',
      code: "export async function page() {\n  return { type: await getProfile('u1'), feed: await getFeed('u1') };\n}\n",
      output: "export async function page() {\n  const [type, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);\n  return { type, feed };\n}\n",
    },
    {
      name: 'reads in tagged-template queries',
      code: "declare function q(strings: TemplateStringsArray, ...values: unknown[]): Promise<string[]>;\nexport async function page(id: string) {\n  return { users: await q`select * from users where id = ${id}`, teams: await q`select * from teams` };\n}\n",
      output: "declare function q(strings: TemplateStringsArray, ...values: unknown[]): Promise<string[]>;\nexport async function page(id: string) {\n  const [users, teams] = await Promise.all([\n    q`select * from users where id = ${id}`,\n    q`select * from teams`,\n  ]);\n  return { users, teams };\n}\n",
    },
    {
      name: 'long operands, one per line',
      code: "export async function page() {\n  return { profile: await getProfile('a-rather-long-user-identifier-0001'), followers: await getFollowers('a-rather-long-user-identifier-0001') };\n}\n",
      output: "export async function page() {\n  const [profile, followers] = await Promise.all([\n    getProfile('a-rather-long-user-identifier-0001'),\n    getFollowers('a-rather-long-user-identifier-0001'),\n  ]);\n  return { profile, followers };\n}\n",
    },
  ].map(({ name, code, output }) => ({
    name: `awaited properties: ${name}`,
    filename: 'file.ts',
    code: file(code),
    errors: [{ messageId: 'sequence' as const, suggestions: [{ messageId: 'promiseAll' as const, output: file(output) }] }],
  })),
  ...[
    {
      // `query<T>` takes `T` from the declared type of `body`; inside Promise.all it would be `unknown`.
      name: 'generic calls typed by the variable the literal goes to',
      code: `${genericHelpers}export async function report() {\n  const body: { users: User[]; count: number } = { users: await query('select * from users'), count: await query('select count(*) from orders') };\n  return body;\n}\n`,
    },
    // As a constant, `Promise` would be read by `Promise.all` before it is set; a shorthand `__proto__` no longer sets the prototype.
    { name: 'Promise as a key', code: "export async function page() {\n  return { Promise: await getProfile('u1'), feed: await getFeed('u1') };\n}\n" },
    { name: '__proto__ as a key', code: "export async function page() {\n  return { __proto__: await getProfile('u1'), feed: await getFeed('u1') };\n}\n" },
    // `typeof config.feed` reads the binding `config`... and `feed` is only a property there; `config` is the clash.
    { name: 'a key the function reads in a typeof type', code: "declare const config: { feed: string[] };\nexport async function page() {\n  const fallback: typeof config.feed = [];\n  return { config: await getProfile('u1'), feed: await getFeed('u1'), fallback };\n}\n" },
    // `pg<T>` takes `T` from the return type; inside Promise.all it would be `unknown`.
    {
      name: 'a generic tagged-template query typed by the return type',
      code: `${genericHelpers}declare function pg<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T>;\nexport async function page(): Promise<{ users: User[]; count: number }> {\n  return { users: await pg\`select * from users\`, count: await getFollowers('u1') };\n}\n`,
    },
    {
      name: 'a function made generic by another, typed by the return type',
      code: `${genericHelpers}declare function traced<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;\ndeclare function rawQuery<T>(sql: string): Promise<T>;\nconst tracedQuery = traced(rawQuery);\nexport async function page(): Promise<{ users: User[]; count: number }> {\n  return { users: await tracedQuery('select * from users'), count: await getFollowers('u1') };\n}\n`,
    },
    // Read after the awaits, `requests` would count the call `countedFeed` makes.
    {
      name: 'a let an awaited call changes, named before the awaits',
      code: "let requests = 0;\nasync function countedFeed(id: string) {\n  requests += 1;\n  return getFeed(id);\n}\nexport async function page(id: string) {\n  return { requests, feed: await countedFeed(id), profile: await getProfile(id) };\n}\n",
    },
    {
      name: 'a parameter a closure assigns, named between the awaits',
      code: "export async function page(id: string, token: string) {\n  const refresh = async () => {\n    token = 'fresh';\n    return getProfile(id);\n  };\n  return { feed: await getFeed(id), token, profile: await refresh() };\n}\n",
    },
    { name: 'an imported binding named before the awaits', code: "import { version } from './version.js';\nexport async function page(id: string) {\n  return { version, feed: await getFeed(id), profile: await getProfile(id) };\n}\n" },
    { name: 'require as a key', code: "export async function page() {\n  return { require: await getProfile('u1'), feed: await getFeed('u1') };\n}\n" },
    { name: 'a compiler helper name as a key', code: "export async function page() {\n  return { __importStar: await getProfile('u1'), feed: await getFeed('u1') };\n}\n" },
    { name: 'a computed callee evaluated before the awaits', code: "export async function page(res: Record<string, (body: unknown) => void>, method: string) {\n  res[method]?.({ profile: await getProfile('u1'), feed: await getFeed('u1') });\n}\n" },
    { name: 'an arrow function returning the literal, with no statement to go before', code: "export const page = async () => ({ profile: await getProfile('u1'), feed: await getFeed('u1') });\n" },
    { name: 'a string key', code: "export async function page() {\n  return { 'profile': await getProfile('u1'), feed: await getFeed('u1') };\n}\n" },
    { name: 'a name the awaited call itself reads', code: "export async function page(feed: string) {\n  return { profile: await getProfile(feed), feed: await getFeed('u1') };\n}\n" },
  ].map(({ name, code }) => ({
    name: `awaited properties: ${name}: reported, no rewrite`,
    filename: 'file.ts',
    code: file(code),
    errors: [{ messageId: 'sequence' as const, suggestions: [] }],
  })),
  {
    // `name` is a `string` after its declaration; from `Promise.all<[string | undefined | …, …]>` it would be `string | undefined`.
    name: 'a declared union narrowed by its value beside a generic call typed by its declaration: reported, no rewrite',
    filename: 'file.ts',
    code: file(`${genericHelpers}declare function readName(): Promise<string>;\nexport async function greet() {\n  const name: string | undefined = await readName();\n  const users: User[] = await query('select * from users');\n  return name.toUpperCase() + users.length;\n}\n`),
    errors: [{ messageId: 'sequence', suggestions: [] }],
  },
  {
    name: 'a declared union the value is as wide as, beside a generic call: Promise.all is given the declared types',
    filename: 'file.ts',
    code: file(`${genericHelpers}declare function findUser(id: string): Promise<User | undefined>;\nexport async function load() {\n  const owner: User | undefined = await findUser('u1');\n  const users: User[] = await query('select * from users');\n  return { owner, users };\n}\n`),
    errors: [
      {
        messageId: 'sequence',
        suggestions: [
          {
            messageId: 'promiseAll',
            output: file(
              `${genericHelpers}declare function findUser(id: string): Promise<User | undefined>;\nexport async function load() {\n  const [owner, users] = await Promise.all<[User | undefined | PromiseLike<User | undefined>, User[] | PromiseLike<User[]>]>([\n    findUser('u1'),\n    query('select * from users'),\n  ]);\n  return { owner, users };\n}\n`,
            ),
          },
        ],
      },
    ],
  },
  {
    // The variables' types are declared elsewhere: no text for them to hand to Promise.all.
    name: 'generic calls typed by the variables they are assigned to: reported, no rewrite',
    filename: 'file.ts',
    code: file(`${genericHelpers}export async function report() {\n  let users: User[] = [];\n  let count = 0;\n  users = await query('select * from users');\n  count = await query('select count(*) from orders');\n  return { users, count };\n}\n`),
    errors: [{ messageId: 'sequence', suggestions: [] }],
  },
  // `req.body` is `any`: spread into an array, its items stay `any` (`Array.from(…, (id) => …)` would make them `unknown`).
  {
    name: 'a loop over an any value (an Express body): the callback keeps its items any',
    filename: 'file.ts',
    code: file("import { Router } from 'express';\n\nexport const router = Router();\nrouter.post('/profiles', async (req, res) => {\n  for (const id of req.body.ids) {\n    console.log(await getProfile(id));\n  }\n  res.sendStatus(204);\n});\n"),
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: file(
              "import { Router } from 'express';\n\nexport const router = Router();\nrouter.post('/profiles', async (req, res) => {\n  await Promise.all([...req.body.ids].map(async (id) => {\n    console.log(await getProfile(id));\n  }));\n  res.sendStatus(204);\n});\n",
            ),
          },
        ],
      },
    ],
  },
  {
    name: 'a string is spread into an array, not mapped over',
    filename: 'file.ts',
    code: sliceCode,
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: sliceCode.replace(
              'for (const letter of name.slice(1)) {\n    console.log(await getFeed(letter));\n  }',
              'await Promise.all([...name.slice(1)].map(async (letter) => {\n    console.log(await getFeed(letter));\n  }));',
            ),
          },
        ],
      },
    ],
  },
  {
    name: 'a comment after the first await on its line is kept',
    filename: 'file.ts',
    code: trailingCode,
    errors: [
      {
        messageId: 'sequence',
        suggestions: [
          {
            messageId: 'promiseAll',
            output: trailingCode.replace("const a = await getProfile(id); // cached for five minutes\n  const b = await getFeed(id);", "// cached for five minutes\n  const [a, b] = await Promise.all([getProfile(id), getFeed(id)]);"),
          },
        ],
      },
    ],
  },
  {
    name: 'collecting into a Map from a Set keeps the order, through a spread',
    filename: 'file.ts',
    code: mapCode,
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: mapCode.replace(
              'for (const id of ids) {\n    byId.set(id, await getProfile(id));\n  }',
              // Past 100 characters, the mapping goes on its own line and the store into a block.
              'for (const [key, value] of await Promise.all(\n    [...ids].map(async (id) => [id, await getProfile(id)] as const),\n  )) {\n    byId.set(key, value);\n  }',
            ),
          },
        ],
      },
    ],
  },
  { name: 'a counting for loop is reported, with no rewrite to offer', filename: 'file.ts', code: countingCode, errors: [{ messageId: 'loop', suggestions: [] }] },
  {
    name: 'nested loops: the outer one is reported once',
    filename: 'file.ts',
    code: nestedCode,
    errors: [
      {
        messageId: 'loop',
        suggestions: [
          {
            messageId: 'promiseAllMap',
            output: nestedCode.replace(
              'for (const row of rows) {\n    for (const cell of row) {\n      console.log(await getProfile(cell));\n    }\n  }',
              'await Promise.all(rows.map(async (row) => {\n    for (const cell of row) {\n      console.log(await getProfile(cell));\n    }\n  }));',
            ),
          },
        ],
      },
    ],
  },
  { name: 'a type on one declaration and not the other: reported, no rewrite', filename: 'file.ts', code: mixedCode, errors: [{ messageId: 'sequence', suggestions: [] }] },
  {
    name: 'an assignment rewrite without semicolons starts with one',
    filename: 'file.ts',
    code: asiCode,
    errors: [
      {
        messageId: 'sequence',
        suggestions: [{ messageId: 'promiseAll', output: asiCode.replace("a = await getFollowers('u1')\n  b = await getFollowers('u2')", ";[a, b] = await Promise.all([getFollowers('u1'), getFollowers('u2')])") }],
      },
    ],
  },
  {
    name: 'comments above a later await stay above the combined one',
    filename: 'file.ts',
    code: commentsCode,
    errors: [
      {
        messageId: 'sequence',
        suggestions: [
          {
            messageId: 'promiseAll',
            output: commentsCode.replace("const a = await getProfile('u1');\n  // the feed, too\n  const b = await getFeed('u1');", "// the feed, too\n  const [a, b] = await Promise.all([getProfile('u1'), getFeed('u1')]);"),
          },
        ],
      },
    ],
  },
);

typedRuleTester().run('prefer-concurrent-awaits', rule, { valid, invalid });

// Without types, bindings are matched by name: the same sequences are found.
const untypedSequence = "async function load() {\n  const profile = await getProfile('u1');\n  const feed = await getFeed('u1');\n  return [profile, feed];\n}\n";
untypedRuleTester().run('prefer-concurrent-awaits (untyped)', rule, {
  valid: [{ name: 'dependent, by name', code: "async function load() {\n  const profile = await getProfile('u1');\n  return getPosts(profile.slug);\n}\nasync function more() {\n  const p = await getProfile('u1');\n  const posts = await getPosts(p.slug);\n  return posts;\n}\n" }],
  invalid: [
    {
      name: 'a JSDoc cast on an awaited value in a .js file: reported, no rewrite',
      filename: 'file.js',
      code: "async function load(query) {\n  const user = /** @type {{ id: string }} */ (await query('user'));\n  const count = await query('count');\n  return [user, count];\n}\n",
      errors: [{ messageId: 'sequence', suggestions: [] }],
    },
    {
      // In JavaScript the comments are the declarations' types: one destructuring could keep neither.
      name: 'JSDoc-typed declarations in a .js file: reported, no rewrite',
      filename: 'file.js',
      code: "async function load(query) {\n  /** @type {string[]} */\n  const users = await query('users');\n  /** @type {number} */\n  const count = await query('count');\n  return [users, count];\n}\n",
      errors: [{ messageId: 'sequence', suggestions: [] }],
    },
    {
      name: 'independent, by name',
      code: untypedSequence,
      errors: [{ messageId: 'sequence', line: 3, column: 16, suggestions: [{ messageId: 'promiseAll', output: untypedSequence.replace("const profile = await getProfile('u1');\n  const feed = await getFeed('u1');", "const [profile, feed] = await Promise.all([getProfile('u1'), getFeed('u1')]);") }] }],
    },
    {
      name: 'a loop over something that may not be an array spreads it into one',
      code: "async function all(ids) {\n  for (const id of ids) {\n    console.log(await getProfile(id));\n  }\n}\n",
      errors: [{ messageId: 'loop', suggestions: [{ messageId: 'promiseAllMap', output: "async function all(ids) {\n  await Promise.all([...ids].map(async (id) => {\n    console.log(await getProfile(id));\n  }));\n}\n" }] }],
    },
  ],
});
