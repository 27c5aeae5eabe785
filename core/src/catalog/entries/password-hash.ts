import { bcrypt, bcryptjs } from '../modules.js';
import type { BlockingApi, CatalogModule } from '../types.js';
import { moduleApi, replaceWith } from './build.js';

const bcryptMappings: readonly (readonly [sync: string, async: string, what: string])[] = [
  ['hashSync', 'hash', 'hashes a password (deliberately slow: tens to hundreds of ms per call)'],
  ['compareSync', 'compare', 'hashes the candidate password to compare it (deliberately slow)'],
  ['genSaltSync', 'genSalt', 'generates a salt'],
];

function bcryptFamily(module: CatalogModule, viaDefault: boolean): BlockingApi[] {
  return bcryptMappings.map(([sync, async, what]) =>
    moduleApi(module, sync, 'password-hash', `\`${sync}\` ${what} on the main thread.`, {
      replacement: replaceWith(module.name, async, { viaDefault }),
    }),
  );
}

/** Blocking password-hash APIs: `bcrypt` and `bcryptjs`; both return a promise when no callback is given. */
export const passwordHashApis: readonly BlockingApi[] = [...bcryptFamily(bcrypt, true), ...bcryptFamily(bcryptjs, false)];
