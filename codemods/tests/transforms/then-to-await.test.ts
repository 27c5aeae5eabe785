import { describeTransformFixtures } from '../support/transform-fixtures.js';

/** What every case imports: upstream calls that return promises, and a thenable that is not one. */
const upstream = `export interface User {
  readonly id: string;
  readonly name: string;
}

export async function getUser(id: string): Promise<User> {
  return { id, name: id.toUpperCase() };
}

export async function getPosts(user: User): Promise<string[]> {
  return [\`\${user.name}'s post\`];
}

export async function audit(entry: string): Promise<void> {
  console.log(entry);
}

export function format(user: User): string {
  return \`\${user.name} (\${user.id})\`;
}

/** A query builder that is thenable but not a promise: its \`then\` runs the query. */
export class Query {
  then(onFulfilled: (rows: string[]) => void): void {
    onFulfilled([]);
  }
}
`;

describeTransformFixtures('then-to-await', { support: { 'upstream.ts': upstream }, minimum: 30, typescriptFix: true });
