import { nodeCrypto } from '../modules.js';
import type { AsyncReplacement, BlockingApi } from '../types.js';
import { moduleApi, promisified } from './build.js';

/** Sync crypto APIs and the callback twin that runs the same work on libuv's thread pool. */
const cryptoMappings: readonly (readonly [sync: string, async: string, what: string, extra?: Partial<AsyncReplacement>])[] = [
  ['pbkdf2Sync', 'pbkdf2', 'derives a key with thousands of hash rounds'],
  // `@types/node` overloads `scrypt` (with and without options), so `promisify(scrypt)` resolves `unknown`.
  ['scryptSync', 'scrypt', 'derives a memory-hard key', { resultType: 'Buffer' }],
  ['hkdfSync', 'hkdf', 'derives a key'],
  ['generateKeyPairSync', 'generateKeyPair', 'generates a key pair (RSA can take seconds)'],
  ['generateKeySync', 'generateKey', 'generates a key'],
  [
    'generatePrimeSync',
    'generatePrime',
    'searches for a prime',
    { automatic: false, caveat: 'the result is an `ArrayBuffer` or a `bigint` depending on `options.bigint`, which `promisify` cannot type' },
  ],
  ['checkPrimeSync', 'checkPrime', 'tests a number for primality', { resultType: 'boolean' }],
];

/** Blocking `node:crypto` APIs. */
export const cryptoApis: readonly BlockingApi[] = cryptoMappings.map(([sync, async, what, extra]) =>
  moduleApi(nodeCrypto, sync, 'crypto', `\`${sync}\` ${what} on the main thread, stalling every other request meanwhile.`, {
    replacement: promisified('node:crypto', async, extra),
  }),
);
