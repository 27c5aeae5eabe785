import { nodeZlib } from '../modules.js';
import type { BlockingApi } from '../types.js';
import { moduleApi, promisified } from './build.js';

const zlibMappings: readonly (readonly [sync: string, async: string, since?: string])[] = [
  ['gzipSync', 'gzip'],
  ['gunzipSync', 'gunzip'],
  ['deflateSync', 'deflate'],
  ['inflateSync', 'inflate'],
  ['deflateRawSync', 'deflateRaw'],
  ['inflateRawSync', 'inflateRaw'],
  ['unzipSync', 'unzip'],
  ['brotliCompressSync', 'brotliCompress'],
  ['brotliDecompressSync', 'brotliDecompress'],
  ['zstdCompressSync', 'zstdCompress', '22.15.0'],
  ['zstdDecompressSync', 'zstdDecompress', '22.15.0'],
];

/** Blocking `node:zlib` APIs; the callback forms compress on libuv's thread pool. */
export const zlibApis: readonly BlockingApi[] = zlibMappings.map(([sync, async, since]) =>
  moduleApi(nodeZlib, sync, 'zlib', `\`${sync}\` compresses or decompresses the whole buffer on the main thread.`, {
    replacement: promisified('node:zlib', async),
    ...(since === undefined ? {} : { since }),
  }),
);
