import { describe, expect, it } from 'vitest';

import {
  LoopguardCoreError,
  exportedHandlerNames,
  frameworks,
  frameworksForPackage,
  getFramework,
  matchHandlerFile,
  receiversForFactory,
  receiversForMethod,
  receiversForType,
  registrationsForCall,
  type FrameworkId,
} from '../../src/index.js';

describe('framework lookups', () => {
  it('tells Express 4 from Express 5 by the installed version', () => {
    expect(frameworksForPackage('express', '4.21.2').map((f) => f.id)).toEqual(['express4']);
    expect(frameworksForPackage('express', '^5.1.0').map((f) => f.id)).toEqual(['express5']);
    expect(frameworksForPackage('express').map((f) => f.id)).toEqual(['express4', 'express5']);
    expect(getFramework('express4').promiseHandling.awaitsReturnedPromise).toBe(false);
    expect(getFramework('express5').promiseHandling.forwardsRejection).toBe(true);
  });

  it('maps each framework package to its definitions', () => {
    expect(frameworksForPackage('@koa/router', '15.0.0').map((f) => f.id)).toEqual(['koa-router']);
    expect(frameworksForPackage('next', '15.2.0').map((f) => f.id)).toEqual(['next-app-router', 'next-pages-api']);
    expect(frameworksForPackage('@nestjs/core', '11.0.0').map((f) => f.id)).toEqual(['nestjs']);
    expect(frameworksForPackage('hono', '2.0.0')).toEqual([]);
    expect(frameworksForPackage('left-pad')).toEqual([]);
  });

  it('explains an unknown framework id', () => {
    expect(() => getFramework('rails' as FrameworkId)).toThrow(LoopguardCoreError);
    expect(() => getFramework('rails' as FrameworkId)).toThrow(/Failed to find framework 'rails': no such framework\. Use one of 'express4', 'express5'/);
  });

  it('finds receivers by type and by factory', () => {
    expect(receiversForType('Router', '@types/express-serve-static-core').map((m) => `${m.framework.id}:${m.receiver.name}`)).toEqual([
      'express4:router',
      'express5:router',
    ]);
    // Nest on the Fastify platform hands `@Res()` a FastifyReply too.
    expect(receiversForType('FastifyReply', 'fastify').map((m) => `${m.framework.id}:${m.receiver.name}`)).toEqual(['fastify:reply', 'nestjs:response']);
    expect(receiversForType('Context', 'hono').map((m) => m.framework.id)).toEqual(['hono']);
    expect(receiversForFactory('express', 'default', 'call').map((m) => m.receiver.name)).toEqual(['app', 'app']);
    expect(receiversForFactory('koa', 'default', 'construct').map((m) => m.framework.id)).toEqual(['koa']);
    expect(receiversForFactory('koa', 'default', 'call')).toEqual([]);
    expect(receiversForFactory('node:http', 'createServer', 'call').map((m) => m.receiver.name)).toEqual(['server']);
    expect(receiversForMethod(getFramework('express4'), 'app', 'route').map((r) => r.name)).toEqual(['route']);
  });

  it('classifies registration calls', () => {
    const express = getFramework('express4');
    expect(registrationsForCall(express, 'app', 'get')[0]?.role).toBe('handler');
    expect(registrationsForCall(express, 'router', 'use')[0]?.role).toBe('middleware');
    expect(registrationsForCall(express, 'route', 'post')[0]?.role).toBe('handler');
    expect(registrationsForCall(express, 'app', 'listen')).toEqual([]);
    const fastify = getFramework('fastify');
    const hook = registrationsForCall(fastify, 'instance', 'addHook')[0];
    expect(hook?.kind === 'method-call' && hook.events).toContain('preHandler');
    expect(hook?.kind === 'method-call' && hook.events).not.toContain('onReady');
    expect(registrationsForCall(fastify, 'instance', 'register')).toEqual([]);
    expect(registrationsForCall(getFramework('node-http'), 'server', 'on')[0]?.kind).toBe('event-listener');
  });
});

describe('file conventions', () => {
  it.each([
    ['app/api/users/route.ts', ['next-app-router']],
    ['src/app/api/users/[id]/route.ts', ['next-app-router']],
    ['apps/web/src/app/health/route.js', ['next-app-router']],
    ['pages/api/login.ts', ['next-pages-api']],
    ['src/pages/api/users/[id].ts', ['next-pages-api']],
    ['src\\pages\\api\\legacy.js', ['next-pages-api']],
    ['app/api/users/page.tsx', []],
    ['app/api/users/route.d.ts', []],
    ['lib/route.ts', []],
    ['pages/index.tsx', []],
  ])('%s', (path, expected) => {
    expect(matchHandlerFile(path).map((match) => match.framework.id)).toEqual(expected);
  });

  it('reads App Router method exports and the Lambda handler name', () => {
    expect(matchHandlerFile('app/x/route.ts')[0]?.registration.exports).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
    expect(matchHandlerFile('pages/api/x.ts')[0]?.registration.exports).toEqual(['default']);
    expect(exportedHandlerNames()).toEqual(['handler']);
  });
});

describe('registry consistency', () => {
  it('has unique ids and a docs link per framework', () => {
    expect(new Set(frameworks.map((f) => f.id)).size).toBe(frameworks.length);
    for (const framework of frameworks) expect(framework.docs).toMatch(/^https:\/\//);
  });

  it('only names receivers a framework defines', () => {
    for (const framework of frameworks) {
      const names = new Set(framework.receivers.map((receiver) => receiver.name));
      for (const registration of framework.registrations) {
        if (registration.kind === 'method-call' || registration.kind === 'event-listener') {
          for (const receiver of registration.receivers) expect(names.has(receiver), `${framework.id}: ${receiver}`).toBe(true);
        }
      }
      for (const sink of framework.responseSinks) {
        if (sink.kind === 'method' || sink.kind === 'assignment') expect(names.has(sink.receiver), `${framework.id}: ${sink.receiver}`).toBe(true);
        if (sink.kind === 'parameter-call') expect(framework.handlerParams).toContain(sink.param);
      }
      for (const receiver of framework.receivers) {
        for (const factory of receiver.factories) {
          if (factory.kind === 'method') expect(names.has(factory.receiver), `${framework.id}: ${factory.receiver}`).toBe(true);
        }
      }
    }
  });

  it('says how every framework treats a returned promise and where the response goes', () => {
    for (const framework of frameworks) {
      expect(framework.responseSinks.length, framework.id).toBeGreaterThan(0);
      if (framework.promiseHandling.forwardsRejection) expect(framework.promiseHandling.awaitsReturnedPromise, framework.id).toBe(true);
    }
  });
});
