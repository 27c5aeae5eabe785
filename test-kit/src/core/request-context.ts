import { AsyncLocalStorage } from 'node:async_hooks';

/** The client request being served, seen by everything the app does while serving it. */
export interface ClientRequestInfo {
  /** Increasing per process: `#1`, `#2`, … */
  readonly id: number;
  readonly method: string;
  readonly path: string;
  /** The upstream scope of the test that made the request (per-test mocks under `it.concurrent`). */
  readonly scope: UpstreamScope | undefined;
}

/** A set of upstream mocks that belong to one test. */
export interface UpstreamScope {
  readonly id: number;
  /** The test has ended; work it left running is no longer its own. */
  closed: boolean;
}

/** Carries the client request through the app's async work, into MSW's resolvers. */
export const requestContext = new AsyncLocalStorage<ClientRequestInfo>();

/** Carries the current test's upstream scope from `upstream()` to the client requests of that test. */
export const scopeContext = new AsyncLocalStorage<UpstreamScope>();

let nextRequestId = 1;
let nextScopeId = 1;

/** Allocates the id of the next client request. */
export function nextClientRequestId(): number {
  return nextRequestId++;
}

/** Creates the upstream scope of one test. */
export function createScope(): UpstreamScope {
  return { id: nextScopeId++, closed: false };
}
