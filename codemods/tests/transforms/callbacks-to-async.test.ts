import { describeTransformFixtures } from '../support/transform-fixtures.js';

/** What cases import: functions of the program that take an `(err, value)` callback last. */
const store = `export interface User {
  readonly id: string;
  readonly name: string;
}

export function loadUser(id: string, callback: (err: Error | null, user?: User) => void): void {
  setImmediate(() => {
    callback(null, { id, name: id.toUpperCase() });
  });
}

export function saveUser(user: User, callback: (err: Error | null) => void): void {
  setImmediate(() => {
    callback(user.id === '' ? new Error('no id') : null);
  });
}

export const store = {
  load(id: string, callback: (err: Error | null, user?: User) => void): void {
    loadUser(id, callback);
  },
};
`;

describeTransformFixtures('callbacks-to-async', { support: { 'store.ts': store }, minimum: 30 });
