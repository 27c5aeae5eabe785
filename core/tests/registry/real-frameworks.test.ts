import { once } from 'node:events';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { setImmediate as tick } from 'node:timers/promises';

import Router from '@koa/router';
import * as nestCommon from '@nestjs/common';
import Fastify from 'fastify';
import { Hono, type Context } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';

import { frameworks, getFramework, type FrameworkDefinition, type FrameworkId, type MethodRegistration } from '../../src/index.js';
import { declaredTypeNames } from '../support/type-check.js';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => unknown;
interface ExpressRoute {
  get(handler: Handler): unknown;
}
interface ExpressApp extends Handler {
  get(path: string, handler: Handler): unknown;
  set(name: string, value: unknown): unknown;
  route(path: string): ExpressRoute;
  [method: string]: unknown;
}
interface ExpressModule {
  (): ExpressApp;
  Router(): Record<string, unknown>;
  response: Record<string, unknown>;
}

// Express 4 and 5 are installed side by side under aliases, so both are tested against the same registry.
const require = createRequire(import.meta.url);
const expressByMajor: Record<'express4' | 'express5', ExpressModule> = {
  express4: require('express-4') as ExpressModule,
  express5: require('express-5') as ExpressModule,
};

function methodRegistrations(framework: FrameworkDefinition, receiver: string): MethodRegistration[] {
  return framework.registrations.filter((r): r is MethodRegistration => r.kind === 'method-call' && r.receivers.includes(receiver));
}

function methodsOf(framework: FrameworkDefinition, receiver: string): string[] {
  return [...new Set(methodRegistrations(framework, receiver).flatMap((registration) => registration.methods))];
}

function sinkMethods(framework: FrameworkDefinition, receiver: string): string[] {
  return framework.responseSinks.flatMap((sink) => (sink.kind === 'method' && sink.receiver === receiver ? sink.methods : []));
}

function missing(target: object, names: readonly string[]): string[] {
  return names.filter((name) => typeof (target as Record<string, unknown>)[name] !== 'function');
}

describe('registration methods and response sinks exist on the real framework objects', () => {
  it.each(['express4', 'express5'] as const)('%s', (id) => {
    const framework = getFramework(id);
    const express = expressByMajor[id];
    const app = express();
    expect(missing(app, methodsOf(framework, 'app'))).toEqual([]);
    expect(missing(express.Router(), methodsOf(framework, 'router'))).toEqual([]);
    expect(missing(app.route('/x'), methodsOf(framework, 'route'))).toEqual([]);
    expect(missing(express.response, sinkMethods(framework, 'response'))).toEqual([]);
  });

  it('fastify', async () => {
    const framework = getFramework('fastify');
    const instance = Fastify();
    expect(missing(instance, methodsOf(framework, 'instance'))).toEqual([]);
    const hooks = methodRegistrations(framework, 'instance').find((registration) => registration.methods.includes('addHook'))?.events ?? [];
    // Fastify rejects unknown hook names, so registering each proves the name is real.
    for (const hook of hooks) expect(() => instance.addHook(hook as 'onRequest', async (request: unknown) => {
        await Promise.resolve(request);
      }), hook).not.toThrow();
    let replyMethods: string[] = [];
    instance.get('/', (_request, reply) => {
      replyMethods = missing(reply, sinkMethods(framework, 'reply'));
      return reply.send('ok');
    });
    const response = await instance.inject({ method: 'GET', url: '/' });
    expect(response.body).toBe('ok');
    expect(replyMethods).toEqual([]);
    await instance.close();
  });

  it('koa and @koa/router', () => {
    expect(missing(new Koa(), methodsOf(getFramework('koa'), 'app'))).toEqual([]);
    expect(missing(new Router(), methodsOf(getFramework('koa-router'), 'router'))).toEqual([]);
  });

  it('hono', async () => {
    const framework = getFramework('hono');
    const app = new Hono();
    expect(missing(app, methodsOf(framework, 'app'))).toEqual([]);
    let contextMethods: string[] = [];
    app.get('/', (c: Context) => {
      contextMethods = missing(c, sinkMethods(framework, 'context'));
      return c.text('ok');
    });
    expect(await (await app.request('/')).text()).toBe('ok');
    expect(contextMethods).toEqual([]);
  });

  it('nestjs decorators are exported by @nestjs/common', () => {
    const framework = getFramework('nestjs');
    for (const registration of framework.registrations) {
      if (registration.kind !== 'decorated-method') continue;
      for (const ref of [...registration.classDecorators, ...registration.methodDecorators]) {
        expect(ref.module).toBe('@nestjs/common');
        expect(missing(nestCommon, ref.names)).toEqual([]);
      }
    }
  });

  it('node:http factories exist in http, https and http2', () => {
    const modules: Record<string, object> = { http, https, http2 };
    const registration = getFramework('node-http').registrations.find((r) => r.kind === 'factory-argument');
    expect(registration?.kind).toBe('factory-argument');
    if (registration?.kind !== 'factory-argument') return;
    for (const factory of registration.factories) {
      const module = modules[factory.module.replace(/^node:/, '')];
      expect(module, factory.module).toBeDefined();
      expect(missing(module ?? {}, [factory.export]), factory.module).toEqual([]);
    }
  });
});

describe('type names in the registry are declared by the packages it names', () => {
  // Next.js is not installed here (it is too heavy for this repository's CI); its names are checked by hand.
  const unverifiable = new Set(['next-pages-api:NextApiRequest', 'next-pages-api:NextApiResponse']);

  it.each(frameworks.map((framework) => [framework.id, framework] as const))('%s', (_id, framework) => {
    const refs = [
      ...framework.receivers.flatMap((receiver) => receiver.types),
      ...framework.registrations.flatMap((registration) =>
        registration.kind === 'implemented-method' ? [registration.interfaces] : registration.kind === 'file-export' ? (registration.types ?? []) : [],
      ),
    ];
    for (const ref of refs) {
      const declared = new Set(ref.packages.flatMap((name) => [...(declaredTypeNames(name) ?? [])]));
      for (const name of ref.names) {
        if (unverifiable.has(`${framework.id}:${name}`)) {
          expect(declared.size, `${name} is marked unverifiable but its package is installed`).toBe(0);
          continue;
        }
        expect(declared.has(name), `${framework.id}: ${name} in ${ref.packages.join(' | ')}`).toBe(true);
      }
    }
  });
});

/**
 * A pending promise that records whether anyone subscribed to it. A subclass, so frameworks that
 * test `instanceof Promise` (Hono) treat it as a promise, and `await` must call its `then`.
 */
function observedPromise(): { promise: Promise<never>; subscribed: () => boolean; reject: (error: Error) => void } {
  let subscriptions = 0;
  let rejectWith: (error: Error) => void = () => undefined;
  class Observed<T> extends Promise<T> {
    static override get [Symbol.species](): PromiseConstructor {
      return Promise;
    }
    override then<A = T, B = never>(
      onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): Promise<A | B> {
      subscriptions += 1;
      return super.then(onFulfilled, onRejected);
    }
  }
  const promise = new Observed<never>((_resolve, reject) => {
    rejectWith = reject;
  });
  return {
    promise,
    subscribed: () => subscriptions > 0,
    reject: (error) => {
      rejectWith(error);
    },
  };
}

/** A request listener whose return value the harness ignores, as `node:http` does. */
type Listener = (request: http.IncomingMessage, response: http.ServerResponse) => unknown;

interface Harness {
  /** A request listener whose `/probe` route returns `promise` and hands its raw response to `onResponse`. */
  listener(promise: Promise<never>, onResponse: (response: http.ServerResponse) => void): Promise<Listener> | Listener;
}

const harnesses: Partial<Record<FrameworkId, Harness>> = {
  express4: {
    listener(promise, onResponse) {
      const app = expressByMajor.express4();
      app.set('env', 'test');
      app.get('/probe', (_request, response) => {
        onResponse(response);
        return promise;
      });
      return app;
    },
  },
  express5: {
    listener(promise, onResponse) {
      const app = expressByMajor.express5();
      app.set('env', 'test');
      app.get('/probe', (_request, response) => {
        onResponse(response);
        return promise;
      });
      return app;
    },
  },
  fastify: {
    async listener(promise, onResponse) {
      const instance = Fastify();
      instance.get('/probe', (_request, reply) => {
        onResponse(reply.raw);
        return promise;
      });
      await instance.ready();
      return (request, response) => {
        instance.routing(request, response);
      };
    },
  },
  koa: {
    listener(promise, onResponse) {
      const app = new Koa();
      app.silent = true;
      app.use((ctx) => {
        onResponse(ctx.res);
        return promise;
      });
      return app.callback();
    },
  },
  'koa-router': {
    listener(promise, onResponse) {
      const app = new Koa();
      app.silent = true;
      const router = new Router();
      router.get('/probe', (ctx) => {
        onResponse(ctx.res);
        return promise;
      });
      app.use(router.routes());
      return app.callback();
    },
  },
  hono: {
    listener(promise, onResponse) {
      const app = new Hono();
      app.onError((_error, c) => c.text('failed', 500));
      app.get('/probe', () => {
        onResponse(new http.ServerResponse(new http.IncomingMessage(null as never)));
        return promise;
      });
      const forward = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
        const result = await app.fetch(new Request(`http://localhost${request.url ?? '/'}`));
        response.writeHead(result.status).end(await result.text());
      };
      return (request, response) => {
        void forward(request, response);
      };
    },
  },
  'node-http': {
    listener(promise, onResponse) {
      return (_request, response) => {
        onResponse(response);
        return promise;
      };
    },
  },
};

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('promise handling claimed by the registry is what the framework does', () => {
  it('is exercised for every framework that can run here', () => {
    expect(Object.keys(harnesses).sort()).toEqual(['express4', 'express5', 'fastify', 'hono', 'koa', 'koa-router', 'node-http']);
  });

  it.each(Object.entries(harnesses))('%s', async (id, harness) => {
    const { promiseHandling } = getFramework(id as FrameworkId);
    const observed = observedPromise();
    let rawResponse: http.ServerResponse | undefined;
    let handled: () => void = () => undefined;
    const handlerRan = new Promise<void>((resolve) => {
      handled = resolve;
    });
    const listener = await harness.listener(observed.promise, (response) => {
      rawResponse = response;
      handled();
    });
    const server = http.createServer((request, response) => {
      listener(request, response);
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const responsePromise = fetch(`http://127.0.0.1:${String(port)}/probe`);
    await handlerRan;
    for (let index = 0; index < 5; index += 1) await tick();

    expect(observed.subscribed()).toBe(promiseHandling.awaitsReturnedPromise);
    if (promiseHandling.awaitsReturnedPromise) {
      observed.reject(new Error('rejected by the registry test'));
      const response = await responsePromise;
      expect(response.status >= 500).toBe(promiseHandling.forwardsRejection);
      await response.text();
    } else {
      // Nobody listens to the promise, so rejecting it would be an unhandled rejection: answer by hand instead.
      rawResponse?.end('answered by hand');
      expect(await (await responsePromise).text()).toBe('answered by hand');
    }
  });
});
