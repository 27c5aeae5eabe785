import type { FrameworkDefinition } from '../types.js';

const nestCommon = ['@nestjs/common'];

/** The `@nestjs/common` decorators that make a controller method a route handler. */
export const nestRouteDecorators: readonly string[] = ['Get', 'Post', 'Put', 'Delete', 'Patch', 'Options', 'Head', 'All', 'Search', 'Sse'];

/** NestJS: `@Controller()` classes' decorated methods; the resolved value is serialised as the response. */
export const nestjs: FrameworkDefinition = {
  id: 'nestjs',
  displayName: 'NestJS',
  packages: [
    { name: '@nestjs/core', majors: { min: 8 } },
    { name: '@nestjs/common', majors: { min: 8 } },
  ],
  receivers: [
    // Reached through `@Res()`: the platform's own response object (Express by default).
    { name: 'response', types: [{ packages: ['@types/express-serve-static-core', '@types/express', 'fastify'], names: ['Response', 'FastifyReply'] }], factories: [], conventionalNames: ['res', 'response'] },
  ],
  registrations: [
    {
      kind: 'decorated-method',
      classDecorators: [{ module: '@nestjs/common', names: ['Controller'] }],
      methodDecorators: [{ module: '@nestjs/common', names: nestRouteDecorators }],
      role: 'handler',
    },
    { kind: 'implemented-method', interfaces: { packages: nestCommon, names: ['NestMiddleware'] }, method: 'use', role: 'middleware' },
    { kind: 'implemented-method', interfaces: { packages: nestCommon, names: ['CanActivate'] }, method: 'canActivate', role: 'hook' },
    { kind: 'implemented-method', interfaces: { packages: nestCommon, names: ['NestInterceptor'] }, method: 'intercept', role: 'hook' },
    { kind: 'implemented-method', interfaces: { packages: nestCommon, names: ['PipeTransform'] }, method: 'transform', role: 'hook' },
    { kind: 'implemented-method', interfaces: { packages: nestCommon, names: ['ExceptionFilter'] }, method: 'catch', role: 'hook' },
  ],
  // Nest injects parameters by decorator (`@Param`, `@Body`, `@Res`), not by position.
  handlerParams: [],
  promiseHandling: { awaitsReturnedPromise: true, forwardsRejection: true, resolvedValueIsResponse: true },
  responseSinks: [{ kind: 'return' }, { kind: 'method', receiver: 'response', methods: ['json', 'send', 'end', 'write'], argument: 0 }],
  keepAlive: [],
  docs: 'https://docs.nestjs.com/controllers',
};
