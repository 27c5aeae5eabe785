import { betterSqlite3, nodeSqlite } from '../modules.js';
import type { BlockingApi, CatalogModule } from '../types.js';
import { moduleApi } from './build.js';

const sqliteAdvice =
  'Run the query in a worker thread (a pool such as piscina), or use an async driver; keep queries short and indexed if it must stay synchronous.';

function sqliteReason(what: string): string {
  return `${what} runs SQLite synchronously on the main thread; every other request waits for the disk and the query.`;
}

function sqliteMembers(module: CatalogModule, database: string, statement: string, databaseMembers: readonly string[]): BlockingApi[] {
  return [
    ...databaseMembers.map((member) =>
      moduleApi(module, `${database}#${member}`, 'sqlite', sqliteReason(`\`${database}#${member}\``), { advice: sqliteAdvice }),
    ),
    ...['all', 'get', 'run', 'iterate'].map((member) =>
      moduleApi(module, `${statement}#${member}`, 'sqlite', sqliteReason(`\`${statement}#${member}\``), { advice: sqliteAdvice }),
    ),
  ];
}

/** Blocking SQLite APIs: `node:sqlite` and `better-sqlite3` (neither has an async twin). */
export const sqliteApis: readonly BlockingApi[] = [
  moduleApi(nodeSqlite, 'DatabaseSync', 'sqlite', sqliteReason('Opening a `DatabaseSync`'), {
    invocation: 'construct',
    since: '22.5.0',
    advice: sqliteAdvice,
  }),
  ...sqliteMembers(nodeSqlite, 'DatabaseSync', 'StatementSync', ['exec', 'prepare']).map((api) => ({ ...api, since: '22.5.0' })),
  moduleApi(betterSqlite3, 'default', 'sqlite', sqliteReason('Opening a better-sqlite3 `Database`'), {
    invocation: 'construct',
    advice: sqliteAdvice,
  }),
  ...sqliteMembers(betterSqlite3, 'Database', 'Statement', ['prepare', 'exec', 'pragma', 'transaction', 'backup']).filter(
    // better-sqlite3's `backup` returns a promise and works in steps, so it does not block.
    (api) => api.exportPath !== 'Database#backup',
  ),
];
