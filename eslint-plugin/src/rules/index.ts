import noBlockingCalls from './no-blocking-calls.js';

/** Every rule of the plugin, by name (without the `loopguard/` prefix). */
export const rules = {
  'no-blocking-calls': noBlockingCalls,
};
