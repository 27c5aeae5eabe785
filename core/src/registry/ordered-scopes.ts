/**
 * An API that runs a callback whose awaits must stay in order: a database transaction (one
 * connection, statements in sequence) or a lock. `loopguard/prefer-concurrent-awaits` and the
 * `concurrent-awaits` codemod leave the awaits inside such callbacks alone.
 */
export interface OrderedScopeApi {
  /** The method that takes the callback: `$transaction`, `transaction`, `runExclusive`. */
  readonly method: string;
  /** Packages whose types declare the receiver; the untyped fallback matches the method name alone. */
  readonly packages: readonly string[];
}

/**
 * Transactions and locks of the libraries Node backends use.
 *
 * @example
 * orderedScopeApis.some((api) => api.method === '$transaction'); // true
 */
export const orderedScopeApis: readonly OrderedScopeApi[] = [
  { method: '$transaction', packages: ['@prisma/client', '.prisma/client'] },
  { method: 'transaction', packages: ['knex', 'drizzle-orm', 'kysely', 'sequelize', 'typeorm', 'mikro-orm', '@mikro-orm/core', 'objection', 'pg-promise', 'slonik'] },
  { method: 'execute', packages: ['kysely'] },
  { method: 'withTransaction', packages: ['mongodb', 'mongoose'] },
  { method: 'tx', packages: ['pg-promise'] },
  { method: 'runExclusive', packages: ['async-mutex'] },
  { method: 'acquire', packages: ['async-lock'] },
  { method: 'using', packages: ['redlock'] },
];

/** Verbs that name a write, as methods spell them in lower case. */
const writeVerbs = [
  'insert', 'update', 'upsert', 'delete', 'del', 'remove', 'destroy', 'save', 'create', 'put', 'set', 'write', 'append', 'push', 'send',
  'publish', 'emit', 'commit', 'rollback', 'increment', 'decrement', 'incr', 'decr', 'add', 'patch', 'post', 'store', 'enqueue', 'unlink',
  'rename', 'mkdir', 'rmdir', 'rm', 'truncate', 'replace', 'merge', 'connect', 'open', 'close', 'begin', 'start', 'end', 'lock', 'unlock',
  'acquire', 'release', 'initialize', 'init', 'flush', 'apply', 'upload', 'invalidate', 'mark', 'clear', 'reset', 'cancel', 'archive',
  'unarchive', 'restore', 'move', 'copy', 'assign', 'unassign', 'grant', 'revoke', 'trigger', 'dispatch', 'schedule', 'charge', 'refund',
  'transfer', 'notify', 'register', 'unregister', 'subscribe', 'unsubscribe', 'enable', 'disable', 'toggle', 'approve', 'submit',
  'import', 'migrate', 'purge', 'evict', 'sync', 'deploy', 'invite', 'attach', 'detach', 'link', 'touch', 'revert', 'activate',
  'deactivate', 'suspend', 'stop', 'kill', 'pin', 'unpin', 'follow', 'unfollow', 'ban', 'unban', 'bump', 'confirm', 'reply', 'share',
  // Redis commands as ioredis and node-redis spell them (`setex`, `HSET`).
  'setex', 'setnx', 'psetex', 'mset', 'msetnx', 'getset', 'getdel', 'hset', 'hsetnx', 'hmset', 'hdel', 'hincrby', 'incrby', 'incrbyfloat',
  'decrby', 'lpush', 'rpush', 'lpop', 'rpop', 'lrem', 'lset', 'ltrim', 'sadd', 'srem', 'spop', 'zadd', 'zrem', 'zincrby', 'expire',
  'pexpire', 'expireat', 'persist', 'xadd', 'xdel',
];

/**
 * Method names that write: a verb in lower case, capitalised or in capitals (`insert`, `CreateUser`,
 * `POST`, `HSET`), alone or followed by the next word of the name (`deleteMany`, `setItem`,
 * `sendMail`), not a word that merely starts like one (`settings`, `deliveries`, `posts`,
 * `addresses`). An await after one of these may read what it changed, and a read before one may see
 * its effect if they run together.
 */
export const writeMethodPattern = new RegExp(
  `^(?:${writeVerbs.flatMap((verb) => [verb, `${verb.charAt(0).toUpperCase()}${verb.slice(1)}`, verb.toUpperCase()]).join('|')})(?![a-z])`,
);

/**
 * Statements that write, as a query's text spells them (`` sql`insert into orders …` ``,
 * `'UPDATE users SET …'`, `select … for update`), read with its quoted strings and identifiers taken
 * out, so `select replace(name, 'a', 'b')` or `where action in ('delete')` is no write.
 */
export const writeStatementPattern =
  /\b(?:insert\s+(?:ignore\s+)?into|update\s+(?:\$\{[^}]*\}|\S+)(?:\s+as\s+\S+|\s+\w+)?\s+set|delete\s+from|merge\s+into|replace\s+into|upsert|truncate|(?:create|drop|alter)\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?(?:table|index|view|schema|database|sequence|type|function|procedure|trigger|extension|role|user|materialized)|call\s+\w|exec(?:ute)?\s+\w|for\s+(?:no\s+key\s+)?update|on\s+conflict)\b/i;

/**
 * How a query passed as a plain string starts (`client.query('DELETE FROM orders WHERE id = $1', [id])`):
 * only a text that starts like a statement is read as one.
 */
export const statementStartPattern = /^\s*(?:select|insert|update|delete|with|merge|replace|upsert|create|drop|alter|truncate|call|exec|execute)\s/i;

/** Methods that run what their receiver or argument names: use cases, commands, jobs. */
export const runnerMethodPattern = /^(?:execute|exec|run|call|handle|invoke|perform)$/;

/** Properties of a query config object that hold the query's text (pg's `{ text, values }`, `{ sql }`). */
export const queryTextProperties = /^(?:text|sql|query)$/;

/**
 * Names that hold a transaction handed down to a function (`tx`, `trx`, `transaction`, `dbTx`), as
 * Prisma, Drizzle, Knex and Kysely code names them, and Sequelize's `{ transaction: t }` option.
 */
export const transactionNamePattern = /^(?:tx|trx|txn|transaction)$|[a-z0-9](?:Tx|Trx|Txn|Transaction)$/;
