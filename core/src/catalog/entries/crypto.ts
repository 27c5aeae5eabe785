import { nodeCrypto } from '../modules.js';
import type { BlockingApi } from '../types.js';
import { moduleApi, promisified } from './build.js';

/** Sync crypto APIs and the callback twin that runs the same work on libuv's thread pool. */
const cryptoMappings: readonly (readonly [sync: string, async: string, what: string])[] = [
  ['pbkdf2Sync', 'pbkdf2', 'derives a key with thousands of hash rounds'],
  ['scryptSync', 'scrypt', 'derives a memory-hard key'],
  ['hkdfSync', 'hkdf', 'derives a key'],
  ['generateKeyPairSync', 'generateKeyPair', 'generates a key pair (RSA can take seconds)'],
  ['generateKeySync', 'generateKey', 'generates a key'],
  ['generatePrimeSync', 'generatePrime', 'searches for a prime'],
  ['checkPrimeSync', 'checkPrime', 'tests a number for primality'],
];

/** Blocking `node:crypto` APIs. */
export const cryptoApis: readonly BlockingApi[] = cryptoMappings.map(([sync, async, what]) =>
  moduleApi(nodeCrypto, sync, 'crypto', `\`${sync}\` ${what} on the main thread, stalling every other request meanwhile.`, {
    replacement: promisified('node:crypto', async),
  }),
);
