export { fastifyRequestHooks } from './frameworks/fastify.js';
export { installedFrameworks } from './installed.js';
export { lazyQueryLibraries, type LazyQueryLibrary } from './lazy-queries.js';
export { httpClients, type HttpClientApi } from './http-clients.js';
export { orderedScopeApis, writeMethodPattern, type OrderedScopeApi } from './ordered-scopes.js';
export { nestRouteDecorators } from './frameworks/nest.js';
export { fastifyShorthandMethods, honoShorthandMethods, nextRouteMethodExports, nodeHttpMethods } from './http-methods.js';
export {
  exportedHandlerNames,
  frameworks,
  frameworksForPackage,
  getFramework,
  matchHandlerFile,
  receiversForFactory,
  receiversForMethod,
  receiversForType,
  registrationsForCall,
  serializationSinks,
  type HandlerFileMatch,
  type ReceiverMatch,
} from './registry.js';
export type {
  DecoratedMethodRegistration,
  DecoratorRef,
  EventListenerRegistration,
  ExportRegistration,
  FactoryArgumentRegistration,
  FactoryRef,
  FileConvention,
  FrameworkDefinition,
  FrameworkId,
  FrameworkPackage,
  HandlerRegistration,
  ImplementedMethodRegistration,
  KeepAliveApi,
  MethodRegistration,
  ParamRole,
  PromiseHandling,
  Receiver,
  ResponseSink,
  SerializationSink,
  TypeRef,
} from './types.js';
