// bench/test-kit: requests per second for the same apps through loopguard's in-process client,
// supertest, light-my-request and a direct call of the handler, in one process, as ratios.
// Usage: node bench/test-kit/run.js [requests]
import { createServer } from 'node:http';

import { createClient, resetUpstreams, startUpstreams, stopUpstreams, upstream } from '@loopguard/test-kit';
import express from 'express';
import Fastify from 'fastify';
import inject from 'light-my-request';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import supertest from 'supertest';

const requests = Number(process.argv[2] ?? 2000);

function user(id) {
  return { id, name: `user ${id}`, roles: ['reader'], createdAt: '2026-01-01T00:00:00.000Z' };
}

function expressApp() {
  const app = express();
  app.get('/users/:id', (req, res) => {
    res.json(user(req.params.id));
  });
  return app;
}

async function fastifyApp() {
  const app = Fastify();
  app.get('/users/:id', async (request) => user(request.params.id));
  await app.ready();
  return app;
}

const listener = (req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(user(req.url.split('/').pop())));
};

async function time(label, send) {
  // Long enough for the JIT to settle, so the first row measured is not penalised. Sequential on
  // purpose: the rows compare the cost of one request after another.
  for (let index = 0; index < 1500; index += 1) await send(index);
  const started = performance.now();
  for (let index = 0; index < requests; index += 1) await send(index);
  const ms = performance.now() - started;
  return { label, perSecond: (requests / ms) * 1000 };
}

function report(app, rows) {
  const loopguard = rows.find((row) => row.label === 'loopguard');
  console.log(`\n${app} (${String(requests)} sequential requests)`);
  for (const row of rows) {
    const ratio = loopguard === undefined ? '' : ` (loopguard ${(loopguard.perSecond / row.perSecond).toFixed(2)}x of this)`;
    console.log(`  ${row.label.padEnd(18)} ${row.perSecond.toFixed(0).padStart(7)} req/s${row === loopguard ? '' : ratio}`);
  }
}

async function check(response, status = 200) {
  const got = response.status ?? response.statusCode;
  if (got !== status) throw new Error(`unexpected status ${String(got)}`);
}

const exp = expressApp();
const expClient = createClient(exp);
const expAgent = supertest(exp);
const expressRows = [
  await time('loopguard', async (i) => {
    const response = await expClient.get(`/users/${String(i)}`);
    await response.text();
    await check(response);
  }),
  await time('supertest', async (i) => check(await expAgent.get(`/users/${String(i)}`))),
];

const fastify = await fastifyApp();
const fastifyClient = createClient(fastify);
const fastifyAgent = supertest(fastify.server);
report('Fastify 5', [
  await time('loopguard', async (i) => {
    const response = await fastifyClient.get(`/users/${String(i)}`);
    await response.text();
    await check(response);
  }),
  await time('supertest', async (i) => check(await fastifyAgent.get(`/users/${String(i)}`))),
  await time('fastify.inject', async (i) => check(await fastify.inject({ method: 'GET', url: `/users/${String(i)}` }))),
]);
await fastify.close();

const nodeClient = createClient(listener);
const nodeAgent = supertest(createServer(listener));
// The direct call: the listener with the smallest req/res stand-ins that satisfy it, no HTTP at all.
const directCall = (i) =>
  new Promise((resolve) => {
    const res = { statusCode: 200, headers: {}, setHeader(name, value) { res.headers[name] = value; }, end: (body) => resolve(body) };
    listener({ url: `/users/${String(i)}`, method: 'GET', headers: {} }, res);
  });
report('node:http listener', [
  await time('loopguard', async (i) => {
    const response = await nodeClient.get(`/users/${String(i)}`);
    await response.text();
    await check(response);
  }),
  await time('supertest', async (i) => check(await nodeAgent.get(`/users/${String(i)}`))),
  await time('light-my-request', async (i) => check(await inject(listener, { method: 'GET', url: `/users/${String(i)}` }))),
  await time('direct call', async (i) => directCall(i)),
]);

// The cost of mocking one upstream call per request: loopguard's upstream() against a plain msw handler.
const proxy = express();
proxy.get('/proxy/:id', async (req, res) => {
  res.json(await (await fetch(`https://api.example.test/users/${req.params.id}`)).json());
});
const proxyClient = createClient(proxy);
const plainMsw = setupServer(http.get('https://api.example.test/users/:id', ({ params }) => HttpResponse.json(user(params.id))));
plainMsw.listen({ onUnhandledRequest: 'error' });
const withMsw = await time('plain msw', async (i) => {
  const response = await proxyClient.get(`/proxy/${String(i)}`);
  await response.text();
});
plainMsw.close();
startUpstreams();
upstream('https://api.example.test').get('/users/:id', ({ params }) => user(params.id));
const withUpstream = await time('loopguard upstream', async (i) => {
  const response = await proxyClient.get(`/proxy/${String(i)}`);
  await response.text();
  if (i % 500 === 0) resetUpstreams();
});
stopUpstreams();

// light-my-request last on Express: its fake objects change Express's shared response prototype.
expressRows.push(await time('light-my-request', async (i) => check(await inject(exp, { method: 'GET', url: `/users/${String(i)}` }))));
report('Express 5', expressRows);
// The failure surfaces as an uncaught exception inside Express, so listen for that too.
const broken = await new Promise((resolve) => {
  process.once('uncaughtException', (error) => resolve(error.message));
  createClient(expressApp())
    .get('/users/1')
    .timeout(1000)
    .then(async (response) => {
      await response.text();
      resolve(undefined);
    }, (error) => resolve(error.message));
});
console.log(`  Express serves a new app's requests after light-my-request ran: ${broken === undefined ? 'yes' : `no (${broken})`}`);
console.log(`\nupstream mocking (one mocked call per request)\n  plain msw          ${withMsw.perSecond.toFixed(0).padStart(7)} req/s\n  loopguard upstream ${withUpstream.perSecond.toFixed(0).padStart(7)} req/s (${(withMsw.perSecond / withUpstream.perSecond).toFixed(2)}x the cost of msw alone)`);

// light-my-request's leftovers fail again when Express tears down the sockets it no longer owns;
// the measurements are done, so end here rather than report that noise.
process.exit(0);
