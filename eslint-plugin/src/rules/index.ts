import noBlockingCalls from './no-blocking-calls.js';
import noDroppedRejections from './no-dropped-rejections.js';
import noFloatingPromises from './no-floating-promises.js';
import noMissingAwait from './no-missing-await.js';
import preferConcurrentAwaits from './prefer-concurrent-awaits.js';
import requireUpstreamTimeout from './require-upstream-timeout.js';

/** Every rule of the plugin, by name (without the `loopguard/` prefix). */
export const rules = {
  'no-blocking-calls': noBlockingCalls,
  'no-dropped-rejections': noDroppedRejections,
  'no-floating-promises': noFloatingPromises,
  'no-missing-await': noMissingAwait,
  'prefer-concurrent-awaits': preferConcurrentAwaits,
  'require-upstream-timeout': requireUpstreamTimeout,
};
