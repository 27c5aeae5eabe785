export { createClient, type Client, type ClientOptions, type ConcurrentResult } from './core/client.js';
export { appKinds, type AppKind, type Target } from './core/dispatch.js';
export { TestKitError } from './core/errors.js';
export { TestRequest } from './core/request-builder.js';
export type { ClientRequestInfo } from './core/request-context.js';
export { TestResponse } from './core/test-response.js';
export {
  resetUpstreams,
  startUpstreams,
  stopUpstreams,
  unhandledUpstreamRequests,
  upstream,
  Upstream,
  withUpstreamScope,
  type Failure,
  type RouteMethod,
  type RouteResolver,
  type RouteOptions,
  type UnhandledUpstreamRequest,
  type UpstreamCall,
} from './upstream/upstream.js';
export type { BlockedLoopReport, BlockedStretch, PendingWork, PendingWorkKind, ProbeReport, SyncIOCall } from './probes/report.js';
export { installProbes, SyncIOError } from './probes/runtime.js';
export { configureProbes, defaultThresholdMs, resetProbes, type ProbeOptions, type ProbeSettings } from './probes/settings.js';
export type { StackFrame } from './probes/stack.js';
export { dependsOn, renderTimeline, sequentialIndependentCalls, type SequentialPair } from './probes/upstream-timeline.js';
