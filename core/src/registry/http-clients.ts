/** An HTTP client and how a call of it gets a timeout, for `loopguard/require-upstream-timeout`. */
export interface HttpClientApi {
  readonly package: string;
  /** How the client is reached: the module's default export, a named export, or the `fetch` global. */
  readonly export: 'default' | 'fetch' | 'request' | 'global-fetch';
  /** Option names any one of which bounds how long a call may take. */
  readonly timeoutOptions: readonly string[];
}

/**
 * The outbound HTTP clients whose calls can hang without a timeout.
 *
 * @example
 * httpClients.find((client) => client.package === 'axios')?.timeoutOptions; // ['timeout', 'signal']
 */
export const httpClients: readonly HttpClientApi[] = [
  { package: '', export: 'global-fetch', timeoutOptions: ['signal'] },
  { package: 'undici', export: 'fetch', timeoutOptions: ['signal', 'dispatcher'] },
  { package: 'undici', export: 'request', timeoutOptions: ['signal', 'headersTimeout', 'bodyTimeout'] },
  { package: 'axios', export: 'default', timeoutOptions: ['timeout', 'signal'] },
  { package: 'got', export: 'default', timeoutOptions: ['timeout', 'signal'] },
  { package: 'node-fetch', export: 'default', timeoutOptions: ['signal', 'timeout'] },
  // Not ky: it times out after 10 s unless told otherwise.
];
