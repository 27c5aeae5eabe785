/** A database library whose query builders do nothing until they are run. */
export interface LazyQueryLibrary {
  /** The npm package (also matched as an ambient `declare module`). */
  readonly package: string;
  /** Other packages its builder types are declared in (Prisma generates its client into `.prisma/client`). */
  readonly declaredIn?: readonly string[];
  /** Builder types, or base types builders extend. */
  readonly types: readonly string[];
  /** What runs a query: awaiting it (or `.then`), or calling `.execute()` (awaiting a Kysely builder runs nothing). */
  readonly runs: 'await' | 'execute';
}

/**
 * Query builders that are lazy: a query that is never awaited (or executed) never reaches the
 * database, with no error. `loopguard/no-missing-await` reports them by type.
 *
 * @example
 * lazyQueryLibraries.find((library) => library.package === 'kysely')?.runs; // 'execute'
 */
export const lazyQueryLibraries: readonly LazyQueryLibrary[] = [
  { package: '@prisma/client', declaredIn: ['.prisma/client', '@prisma/client/runtime'], types: ['PrismaPromise'], runs: 'await' },
  { package: 'knex', types: ['QueryBuilder', 'QueryInterface', 'Raw', 'SchemaBuilder'], runs: 'await' },
  { package: 'drizzle-orm', types: ['QueryPromise'], runs: 'await' },
  { package: 'mongoose', types: ['Query', 'Aggregate'], runs: 'await' },
  {
    package: 'kysely',
    types: ['SelectQueryBuilder', 'InsertQueryBuilder', 'UpdateQueryBuilder', 'DeleteQueryBuilder', 'MergeQueryBuilder'],
    runs: 'execute',
  },
];
