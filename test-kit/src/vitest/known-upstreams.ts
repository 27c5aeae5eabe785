import { upstreamsInUse } from '../upstream/upstream.js';

/** Every declared upstream, for failure messages that list a response's outbound calls. */
export function knownUpstreams(): readonly import('../upstream/upstream.js').Upstream[] {
  return upstreamsInUse();
}
