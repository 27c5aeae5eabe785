import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

import Router from '@koa/router';
import express from 'express';
import express4 from 'express-4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';

import { TestKitError, createClient, upstream } from '../src/index.js';

const API = 'https://api.example.test';
// Compressed once at start-up, so no handler blocks on it.
const gzippedExport = gzipSync(JSON.stringify([{ id: 'u1' }]));

function expressApp(factory: typeof express) {
  const app = factory();
  app.use(factory.json());
  app.get('/users/:id', async (req, res) => {
    const profile: unknown = await fetch(`${API}/profiles/${req.params.id}`).then((response) => response.json());
    res.set('x-served-by', 'express').json({ id: req.params.id, profile, query: req.query as unknown });
  });
  app.post('/echo', (req, res) => {
    res.status(201).json({ body: req.body as unknown, type: req.headers['content-type'] });
  });
  app.get('/login', (_req, res) => {
    res.cookie('session', 'abc123', { httpOnly: true }).redirect('/me');
  });
  app.get('/me', (req, res) => {
    res.json({ cookie: req.headers.cookie ?? null });
  });
  app.get('/hang', () => {
    // Never answers.
  });
  app.get('/boom', () => {
    throw new Error('kaboom');
  });
  app.get('/stream', (_req, res) => {
    res.setHeader('content-type', 'text/event-stream');
    res.write('data: one\n\n');
    setTimeout(() => {
      res.end('data: two\n\n');
    }, 10);
  });
  return app;
}

describe.each([
  ['Express 5', () => createClient(expressApp(express))],
  ['Express 4', () => createClient(expressApp(express4))],
])('%s through the client', (_name, makeClient) => {
  it('answers with status, Web headers and a JSON body, with the outbound call attributed to the request', async () => {
    const profiles = upstream(API).get('/profiles/:id', ({ params }) => ({ name: `user ${String(params.id)}` }));
    const client = makeClient();
    expect(client.kind).toBe('express');
    const response = await client.get('/users/7').query({ tab: 'posts' });
    await expect(response).toHaveStatus(200);
    await expect(response).toHaveHeader('x-served-by', 'express');
    await expect(response).toHaveJsonBody({ id: '7', profile: { name: 'user 7' }, query: { tab: 'posts' } });
    const containing: unknown = expect.objectContaining({ name: 'user 7' });
    const anyObject: unknown = expect.any(Object);
    const someoneElse: unknown = expect.objectContaining({ name: 'someone else' });
    await expect(response).toHaveJsonBody({ profile: containing, query: anyObject });
    await expect(response).not.toHaveJsonBody({ profile: someoneElse });
    expect(profiles).toHaveBeenCalledTimes(1);
    expect(profiles.callsOf(response)).toHaveLength(1);
    expect(profiles.calls[0]?.clientRequest).toMatchObject({ method: 'GET', path: '/users/7' });
    expect(response.durationMs).toBeGreaterThan(0);
  });

  it('sends JSON, text and form bodies', async () => {
    const client = makeClient();
    await expect(await client.post('/echo').json({ a: 1 })).toHaveJsonBody({ body: { a: 1 }, type: 'application/json' });
    const text = await client.post('/echo').send('plain');
    expect(await text.json()).toMatchObject({ type: 'text/plain;charset=UTF-8' });
  });

  it('keeps cookies across requests and follows redirects on request', async () => {
    const client = makeClient();
    const redirect = await client.get('/login');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/me');
    const followed = await client.get('/login').redirects(1);
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(await followed.json()).toEqual({ cookie: 'session=abc123' });
  });

  it('names the method, path and limit when the handler never answers', async () => {
    const client = makeClient();
    await expect(client.get('/hang').timeout(50)).rejects.toThrow(
      new TestKitError('GET /hang', 'no response within 50 ms', 'Make sure every path of the handler sends a response (or calls next(error)), or raise the limit with .timeout(ms)'),
    );
  });

  it("returns the framework's own error response when a handler throws", async () => {
    const response = await makeClient().get('/boom');
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('kaboom');
  });

  it('decodes a compressed body as fetch does', async () => {
    const app = express();
    app.get('/export', (_req, res) => {
      res.set({ 'content-encoding': 'gzip', 'content-type': 'application/json' }).send(gzippedExport);
    });
    const response = await createClient(app).get('/export');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.json()).toEqual([{ id: 'u1' }]);
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('[{"id":"u1"}]');
  });

  it('streams the body as it is written', async () => {
    const response = await makeClient().get('/stream');
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    expect(text).toBe('data: one\n\ndata: two\n\n');
  });
});

describe('every framework', () => {
  it('Fastify', async () => {
    const app = Fastify();
    app.get('/hello/:name', (request, reply) => reply.send({ hello: (request.params as { name: string }).name }));
    const client = createClient(app);
    expect(client.kind).toBe('fastify');
    await expect(await client.get('/hello/ada')).toHaveJsonBody({ hello: 'ada' });
    await app.close();
  });

  it('Koa with @koa/router', async () => {
    const app = new Koa();
    const router = new Router();
    router.get('/items', (ctx) => {
      ctx.body = { items: [1, 2] };
    });
    app.use(router.routes());
    const client = createClient(app);
    expect(client.kind).toBe('koa');
    await expect(await client.get('/items')).toHaveJsonBody({ items: [1, 2] });
    expect((await client.get('/missing')).status).toBe(404);
  });

  it('Hono', async () => {
    const app = new Hono();
    app.get('/x', (c) => c.json({ hono: true }));
    const client = createClient(app);
    expect(client.kind).toBe('hono');
    await expect(await client.get('/x')).toHaveJsonBody({ hono: true });
  });

  it('a node:http listener and a Server', async () => {
    const listener = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method ?? ''} ${req.url ?? ''}`);
    };
    expect(await (await createClient(listener).get('/a?b=1')).text()).toBe('GET /a?b=1');
    const server = createServer(listener);
    const client = createClient(server);
    expect(client.kind).toBe('node-server');
    expect(await (await client.delete('/z')).text()).toBe('DELETE /z');
    expect(server.listening).toBe(false);
  });

  it('a fetch handler, whose exception becomes a 500 carrying the error', async () => {
    const client = createClient((request: Request) => {
      if (new URL(request.url).pathname === '/fail') throw new Error('fetch handler failed');
      return Response.json({ method: request.method });
    });
    expect(client.kind).toBe('fetch');
    await expect(await client.put('/ok')).toHaveJsonBody({ method: 'PUT' });
    const failed = await client.get('/fail');
    expect(failed.status).toBe(500);
    expect(failed.error).toBeInstanceOf(Error);
  });

  it('a Next.js route module with params, and 405 for a method it lacks', async () => {
    const route = {
      GET: async (_request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Response.json(await context.params),
    };
    const client = createClient(route, { route: '/api/users/[id]' });
    expect(client.kind).toBe('next-route');
    await expect(await client.get('/api/users/42')).toHaveJsonBody({ id: '42' });
    const post = await client.post('/api/users/42');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const head = await client.head('/api/users/42');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.body).toBeNull();
  });

  it('a Next.js pages API module with query, body and res helpers', async () => {
    const pages = {
      default: (req: { query: Record<string, unknown>; body: unknown; method?: string }, res: { status: (code: number) => { json: (body: unknown) => void } }) => {
        res.status(req.method === 'POST' ? 201 : 200).json({ query: req.query, body: req.body });
      },
    };
    const client = createClient(pages, { route: '/api/accounts/[id]' });
    expect(client.kind).toBe('next-pages');
    const response = await client.post('/api/accounts/9').query({ verbose: 'yes' }).json({ name: 'x' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ query: { verbose: 'yes', id: '9' }, body: { name: 'x' } });
    const malformed = await client.post('/api/accounts/9').set('content-type', 'application/json').send('{"name":');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toBe('Invalid JSON');
  });

  it('lists what it accepts for an unknown app', () => {
    expect(() => createClient({ listen: () => undefined })).toThrow(/is not an app the test kit recognises\. Pass an Express app or Router, a Fastify instance/);
    expect(() => createClient(42)).toThrow(TestKitError);
  });
});

describe('concurrency', () => {
  it('shows blocking and sequential handlers are slower than concurrent ones, as a ratio', async () => {
    upstream(API).get('/slow/:n', ({ params }) => ({ n: params.n }), { delay: 40 });
    const app = express();
    app.get('/sequential', async (_req, res) => {
      const a: unknown = await fetch(`${API}/slow/1`).then((r) => r.json() as Promise<unknown>);
      const b: unknown = await fetch(`${API}/slow/2`).then((r) => r.json() as Promise<unknown>);
      res.json([a, b]);
    });
    app.get('/concurrent', async (_req, res) => {
      res.json(await Promise.all([1, 2].map((n) => fetch(`${API}/slow/${String(n)}`).then((r) => r.json() as Promise<unknown>))));
    });
    const client = createClient(app);
    const sequential = await client.concurrently(5, () => client.get('/sequential'));
    const concurrent = await client.concurrently(5, () => client.get('/concurrent'));
    expect(sequential.maxInFlight).toBe(5);
    expect(sequential.responses.every((response) => response.status === 200)).toBe(true);
    expect(sequential.wallMs / concurrent.wallMs).toBeGreaterThan(1.4);
    const calls = upstream(API).calls;
    const sequentialCalls = calls.filter((call) => call.clientRequest?.path === '/sequential' && call.clientRequest.id === calls[0]?.clientRequest?.id);
    expect(sequentialCalls).toHaveBeenCalledSequentially();
    const firstConcurrent = calls.find((call) => call.clientRequest?.path === '/concurrent')?.clientRequest?.id;
    expect(calls.filter((call) => call.clientRequest?.id === firstConcurrent)).toHaveBeenCalledConcurrently();
  });
});

describe('Express keeps working for later real requests', () => {
  it('serves a real listening request after in-process ones', async () => {
    const app = expressApp(express);
    upstream(API).get('/profiles/:id', { name: 'real' });
    expect((await createClient(app).get('/me')).status).toBe(200);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    const response = await fetch(`http://127.0.0.1:${String(port)}/me`);
    expect(await response.json()).toEqual({ cookie: null });
    await new Promise((resolve) => server.close(resolve));
  });
});
