import noBlockingCalls from './no-blocking-calls.js';
import noFloatingPromises from './no-floating-promises.js';

/** Every rule of the plugin, by name (without the `loopguard/` prefix). */
export const rules = {
  'no-blocking-calls': noBlockingCalls,
  'no-floating-promises': noFloatingPromises,
};
