export { busyWaitPatterns } from './busy-wait.js';
export { builtinBlockingApis, createCatalog, defaultCatalog, type Catalog, type CatalogOptions } from './catalog.js';
export { catalogModules } from './modules.js';
export { nonBlockingExports } from './non-blocking.js';
export { apiDisplayName } from './display.js';
export { callbackApis, type CallbackApi } from './callback-apis.js';
export { renderReplacementCall } from './render.js';
export {
  blockingKinds,
  type ApiSource,
  type AsyncReplacement,
  type BlockingApi,
  type BlockingApiDefinition,
  type BlockingKind,
  type BusyWaitPattern,
  type CatalogModule,
  type NonBlockingExport,
  type OptionDefaults,
} from './types.js';
