import { request as httpsRequest } from 'node:https';

import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { createClient, upstream } from '../src/index.js';

const API = 'https://billing.example.test';

function proxyApp() {
  const app = express();
  app.get('/invoice/:id', async (req, res) => {
    try {
      const answer = await fetch(`${API}/invoices/${req.params.id}`, { signal: AbortSignal.timeout(200), headers: { authorization: 'Bearer t' } });
      res.status(answer.status).send(await answer.text());
    } catch (error) {
      res.status(504).json({ error: error instanceof Error ? error.name : 'unknown' });
    }
  });
  app.get('/legacy/:id', (req, res) => {
    // The node:https client, not fetch: also intercepted and attributed.
    httpsRequest(`${API}/invoices/${req.params.id}`, (answer) => {
      let body = '';
      answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
      answer.on('end', () => res.status(answer.statusCode ?? 500).send(body));
    })
      .on('error', () => res.status(502).end())
      .end();
  });
  return app;
}

describe('upstream()', () => {
  const client = createClient(proxyApp());

  it('records each call with method, URL, headers, timing and the client request that made it', async () => {
    const billing = upstream(API).get('/invoices/:id', ({ params }) => ({ id: params.id, total: 12 }));
    const response = await client.get('/invoice/9');
    await expect(response).toHaveJsonBody({ id: '9' });
    const [call] = billing.callsOf(response);
    expect(call).toMatchObject({ method: 'GET', path: '/invoices/9', status: 200, clientRequest: { method: 'GET', path: '/invoice/9' } });
    expect(call?.headers.get('authorization')).toBe('Bearer t');
    expect(call?.endedAt).toBeGreaterThanOrEqual(call?.startedAt ?? Infinity);
  });

  it('intercepts node:http requests too', async () => {
    const billing = upstream(API).get('/invoices/:id', 'plain text invoice');
    const response = await client.get('/legacy/3');
    expect(await response.text()).toBe('plain text invoice');
    expect(billing.callsOf(response)).toHaveLength(1);
  });

  it('answers a status, a delay and a limited number of times', async () => {
    upstream(API).get('/invoices/:id', { fallback: true });
    upstream(API).get('/invoices/:id', { limited: true }, { status: 201, times: 1, delay: 30 });
    const first = await client.get('/invoice/1');
    expect(first.status).toBe(201);
    expect(first.durationMs).toBeGreaterThanOrEqual(25);
    await expect(await client.get('/invoice/1')).toHaveJsonBody({ fallback: true });
  });

  it.each([
    ['network', 504, 'TypeError'],
    ['timeout', 504, 'TimeoutError'],
    [503, 503, undefined],
  ] as const)('fails on request: %s', async (failure, status, errorName) => {
    upstream(API).get('/invoices/:id', { never: 'used' }).fail('/invoices/:id', failure);
    const response = await client.get('/invoice/1');
    expect(response.status).toBe(status);
    if (errorName !== undefined) await expect(response).toHaveJsonBody({ error: errorName });
  });

  it('counts calls with toHaveBeenCalledTimes and tells concurrent from sequential calls', async () => {
    const billing = upstream(API).get('/invoices/:id', { ok: true }, { delay: 20 });
    await client.concurrently(3, (index) => client.get(`/invoice/${String(index)}`));
    expect(billing).toHaveBeenCalledTimes(3);
    expect(billing).toHaveBeenCalledConcurrently();
    expect(() => {
      expect(billing).toHaveBeenCalledSequentially();
    }).toThrow(/expected the calls to run sequentially/);
    expect(() => {
      expect(billing).toHaveBeenCalledTimes(1);
    }).toThrow(/expected upstream https:\/\/billing\.example\.test to have been called 1 times, but it was called 3 times/);
  });

  it('leaves toHaveBeenCalledTimes working on ordinary spies', () => {
    const spy = vi.fn();
    spy();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(() => {
      expect(spy).toHaveBeenCalledTimes(2);
    }).toThrow(/to be called 2 times, but got 1 times/);
  });
});

@Controller('health')
class HealthController {
  @Get(':probe')
  probe(@Param('probe') probe: string) {
    return { probe, ok: true };
  }
}

@Module({ controllers: [HealthController] })
// A Nest module is a decorated class with no body of its own.
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
class AppModule {}

describe('NestJS', () => {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest's documented options literal.
  const appPromise = NestFactory.create(AppModule, { logger: false });
  afterAll(async () => {
    await (await appPromise).close();
  });

  it('serves a controller through the in-process client', async () => {
    const client = createClient(await appPromise);
    expect(client.kind).toBe('nest');
    await expect(await client.get('/health/db')).toHaveJsonBody({ probe: 'db', ok: true });
    expect((await client.get('/nowhere')).status).toBe(404);
  });
});
