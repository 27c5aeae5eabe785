/* eslint-disable loopguard/no-blocking-calls, loopguard/no-floating-promises -- the handlers here block the loop and leave work running on purpose: the probes must catch exactly that. */
import { exec, execSync, spawn } from 'node:child_process';
import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';

import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SyncIOError, configureProbes, createClient, resetProbes, upstream, type TestResponse } from '../src/index.js';

const API = 'https://probe-api.example.test';
let dir = '';
let largeFile = '';
// A buffer large enough that compressing it synchronously takes a visible while.
const largeBuffer = Buffer.alloc(24 * 1024 * 1024, 'loopguard probes compress this buffer ');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loopguard-probes-'));
  largeFile = join(dir, 'large.json');
  writeFileSync(largeFile, JSON.stringify(Array.from({ length: 1_500_000 }, (_unused, index) => ({ id: index, name: `user ${String(index)}` }))));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function busy(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins += 1;
  return spins;
}

/** An in-memory "database" whose queries take a timer's while, as a driver's round trip does. */
const db = {
  query(sql: string): Promise<{ sql: string; rows: number }> {
    return new Promise((resolve) => {
      setTimeout(() => {
        resolve({ sql, rows: 1 });
      }, 150);
    });
  },
};

function blockingApp() {
  const app = express();
  app.get('/read-sync', (_req, res) => {
    res.json({ bytes: readFileSync(largeFile).length });
  });
  app.get('/read-async', async (_req, res) => {
    res.json({ bytes: (await readFile(largeFile)).length });
  });
  app.get('/exec-sync', (_req, res) => {
    res.json({ out: execSync('sleep 0.2; echo done', { encoding: 'utf8' }).trim() });
  });
  app.get('/exec-async', async (_req, res) => {
    const { stdout } = await promisify(exec)('sleep 0.2; echo done', { encoding: 'utf8' });
    res.json({ out: stdout.trim() });
  });
  app.get('/hash-sync', (_req, res) => {
    res.json({ hash: pbkdf2Sync('secret', 'salt', 300_000, 32, 'sha256').toString('hex') });
  });
  app.get('/hash-async', async (_req, res) => {
    const hash = await promisify(pbkdf2)('secret', 'salt', 300_000, 32, 'sha256');
    res.json({ hash: hash.toString('hex') });
  });
  app.get('/gzip-sync', (_req, res) => {
    res.json({ bytes: gzipSync(largeBuffer).length });
  });
  app.get('/gzip-async', async (_req, res) => {
    res.json({ bytes: (await promisify(gzip)(largeBuffer)).length });
  });
  app.get('/atomics-wait', (_req, res) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    res.json({ waited: true });
  });
  app.get('/sleep-async', async (_req, res) => {
    await sleep(150);
    res.json({ waited: true });
  });
  app.get('/busy', (_req, res) => {
    res.json({ spins: busy(150) > 0 });
  });
  return app;
}

describe('blocked event loop', () => {
  // Stretches from 20 ms are listed; the matcher's threshold defaults to the same.
  const client = createClient(blockingApp(), { probes: { blockedLoop: { thresholdMs: 20 } } });

  it.each([
    ['/read-sync', 'fs.readFileSync'],
    ['/exec-sync', 'child_process.execSync'],
    ['/hash-sync', 'crypto.pbkdf2Sync'],
    ['/gzip-sync', 'zlib.gzipSync'],
    ['/atomics-wait', 'Atomics.wait'],
  ])('catches GET %s blocking the loop in %s, with its call site', async (path, api) => {
    const response = await client.get(path);
    expect(response.status).toBe(200);
    await expect(response).toBlockEventLoop({ thresholdMs: 20 });
    const report = await response.probeReport();
    // The call's own stretch, measured around it (on a busy machine the loop may stall longer elsewhere too).
    const stretch = report?.blockedLoop?.stretches.find((candidate) => candidate.api === api);
    expect(stretch?.durationMs).toBeGreaterThanOrEqual(20);
    expect(stretch?.stack?.[0]?.file).toBe(import.meta.filename);
    await expect(expect(response).not.toBlockEventLoop({ thresholdMs: 20 })).rejects.toThrow(
      new RegExp(`to block the event loop for 20 ms or more; the longest stretch was \\d+\\.\\d ms\\n[\\s\\S]*blocked .* by ${api.replace('.', '\\.')}\\n      at .*probes\\.test\\.ts`),
    );
  });

  it('catches a busy loop, which calls no blocking API, and shows the code that spun', async () => {
    // The watchdog thread starts with the first request that asks for stacks, and is ready a moment later.
    await client.get('/read-async').probes({ blockedLoop: { stacks: true } });
    await sleep(200);
    const response = await client.get('/busy').probes({ blockedLoop: { stacks: true } });
    await expect(response).toBlockEventLoop({ thresholdMs: 100 });
    const report = await response.probeReport();
    expect(report?.blockedLoop?.longestMs).toBeGreaterThanOrEqual(100);
    expect(report?.blockedLoop?.longest?.api).toBeUndefined();
    expect(report?.syncIO).toEqual([]);
    // The watchdog thread paused the loop while it spun: the stack shows `busy`, called by the handler.
    expect(report?.blockedLoop?.longest?.stack?.map((frame) => frame.name)).toContain('busy');
  });

  it.each(['/read-async', '/exec-async', '/hash-async', '/gzip-async', '/sleep-async'])('stays quiet on the async equivalent, GET %s', async (path) => {
    const response = await client.get(path);
    expect(response.status).toBe(200);
    await expect(response).not.toUseSyncIO();
    // Not a stall worth a test: a garbage collection after a 40 MB read can still pause the loop for
    // tens of milliseconds on a busy machine, which is real but not the handler's doing.
    await expect(response).not.toBlockEventLoop({ thresholdMs: 100 });
  });

  it('does not blame the app for time the process spent off the CPU (another process had the cores)', async () => {
    const app = express();
    app.get('/stopped', (_req, res) => {
      // Stops this whole process for 150 ms, as an overloaded machine's scheduler can: a child
      // process (started first) sends SIGCONT. No code of the app runs meanwhile, blocking or not.
      spawn('sh', ['-c', `sleep 0.15; kill -CONT ${String(process.pid)}`], { stdio: 'ignore' }).unref();
      process.kill(process.pid, 'SIGSTOP');
      res.json({ resumed: true });
    });
    const response = await createClient(app).get('/stopped');
    expect(response.durationMs).toBeGreaterThanOrEqual(140);
    await expect(response).not.toBlockEventLoop({ thresholdMs: 50 });
  });

  it('uses the configured threshold when the matcher names none', async () => {
    const busyFor = await client.get('/busy').probes({ blockedLoop: { thresholdMs: 400 } });
    await expect(busyFor).not.toBlockEventLoop();
    const strict = await client.get('/busy').probes({ blockedLoop: { thresholdMs: 30 } });
    await expect(strict).toBlockEventLoop();
    expect((await strict.probeReport())?.blockedLoop?.thresholdMs).toBe(30);
  });
});

describe('sync I/O', () => {
  const client = createClient(blockingApp());

  it('records every blocking call made while serving, with the app frames of its call site', async () => {
    const response = await client.get('/read-sync');
    await expect(response).toUseSyncIO();
    await expect(response).toUseSyncIO('readFileSync');
    await expect(response).not.toUseSyncIO(/^zlib\./);
    const calls = (await response.probeReport())?.syncIO ?? [];
    expect(calls.map((call) => call.api)).toEqual(['fs.readFileSync']);
    expect(calls[0]?.kind).toBe('fs');
    expect(calls[0]?.advice).toMatch(/readFile/);
    expect(calls[0]?.stack.every((frame) => !frame.file.includes('node_modules') && !frame.file.startsWith('node:'))).toBe(true);
    expect(calls[0]?.stack[0]?.file).toBe(import.meta.filename);
  });

  it('does not count set-up: blocking calls of the test itself are not the request\'s', async () => {
    readFileSync(largeFile);
    const response = await client.get('/read-async');
    await expect(response).not.toUseSyncIO();
  });

  it('names the call in the failure message', async () => {
    const response = await client.get('/hash-sync');
    await expect(expect(response).not.toUseSyncIO()).rejects.toThrow(/not to call a blocking API while serving it; it made 1 blocking call\(s\)\n {2}crypto\.pbkdf2Sync \(crypto, \d+\.\d ms\)/);
  });

  it('can throw at the call site instead, as blockbuster does', async () => {
    const app = express();
    let thrown: unknown;
    app.get('/', (_req, res) => {
      try {
        readFileSync(largeFile);
      } catch (error) {
        thrown = error;
      }
      res.end();
    });
    await createClient(app, { probes: { syncIO: { throw: true } } }).get('/');
    expect(thrown).toBeInstanceOf(SyncIOError);
    expect((thrown as SyncIOError).message).toMatch(/fs\.readFileSync blocked the event loop while serving GET \/: the sync-I\/O probe is set to throw/);
  });
});

describe('left-behind work', () => {
  const notifications = upstream(API);

  function workApp() {
    const app = express();
    app.post('/orders', (_req, res) => {
      // Fire and forget: nobody waits for the notification.
      void fetch(`${API}/notify`, { method: 'POST' });
      res.status(201).json({ ok: true });
    });
    app.post('/orders-awaited', async (_req, res) => {
      await fetch(`${API}/notify`, { method: 'POST' });
      res.status(201).json({ ok: true });
    });
    app.get('/timer', (_req, res) => {
      setTimeout(() => {
        // Cleanup that outlives the response.
      }, 200);
      res.json({ ok: true });
    });
    app.get('/timer-cleared', (_req, res) => {
      const timer = setTimeout(() => undefined, 200);
      clearTimeout(timer);
      res.json({ ok: true });
    });
    app.get('/query', (_req, res) => {
      void db.query('update visits set n = n + 1');
      res.json({ ok: true });
    });
    app.get('/query-awaited', async (_req, res) => {
      await db.query('update visits set n = n + 1');
      res.json({ ok: true });
    });
    return app;
  }

  const client = createClient(workApp());

  it('reports a fire-and-forget fetch as an outbound request still in flight', async () => {
    notifications.post('/notify', { sent: true }, { delay: 100 });
    const response = await client.post('/orders');
    expect(response.status).toBe(201);
    await expect(response).toLeaveWorkBehind();
    const left = (await response.probeReport())?.leftBehind ?? [];
    expect(left.map((work) => work.kind)).toContain('outbound-request');
    expect(left.find((work) => work.kind === 'outbound-request')?.description).toBe(`POST ${API}/notify`);
    await expect(expect(response).not.toLeaveWorkBehind()).rejects.toThrow(/outbound-request: POST https:\/\/probe-api\.example\.test\/notify, started \d+\.\d ms after the request, (still pending|settled \d+\.\d ms after the response)/);
  });

  it('reports a timer with its creation site, and when it fired', async () => {
    const response = await client.get('/timer');
    await expect(response).toLeaveWorkBehind();
    const timer = (await response.probeReport())?.leftBehind?.find((work) => work.kind === 'timer');
    expect(timer?.description).toBe('setTimeout(…, 200)');
    expect(timer?.stack[0]?.file).toBe(import.meta.filename);
    await sleep(250);
    expect(response.probes?.leftBehind?.find((work) => work.kind === 'timer')?.settledAfterMs).toBeGreaterThan(100);
  });

  it('reports an un-awaited query: the timer its round trip waits on, and with promises on, the query itself', async () => {
    const response = await client.get('/query');
    await expect(response).toLeaveWorkBehind();
    expect((await response.probeReport())?.leftBehind?.map((work) => work.kind)).toEqual(['timer']);
    const withPromises = await client.get('/query').probes({ leftBehindWork: { promises: true } });
    const left = (await withPromises.probeReport())?.leftBehind ?? [];
    expect(left.map((work) => work.kind).sort()).toEqual(['promise', 'timer']);
    // The promise the app's own code made, where it made it: `db.query`, called by the handler.
    expect(left.find((work) => work.kind === 'promise')?.stack.map((frame) => frame.name)).toEqual(expect.arrayContaining(['Object.query']));
  });

  it('tracks only the promises the app itself makes: a library\'s inner promises are its business', async () => {
    notifications.post('/notify', { sent: true }, { delay: 10 });
    const response = await client.post('/orders-awaited').probes({ leftBehindWork: { promises: true } });
    await expect(response).not.toLeaveWorkBehind();
  });

  it.each(['/orders-awaited', '/timer-cleared', '/query-awaited'])('stays quiet when the work is done before the response, %s', async (path) => {
    notifications.post('/notify', { sent: true }, { delay: 20 });
    const response = await client.request(path === '/orders-awaited' ? 'POST' : 'GET', path);
    expect(response.ok).toBe(true);
    await expect(response).not.toLeaveWorkBehind();
  });

  it('counts work handed to waitUntil as kept alive, not left behind (Hono executionCtx)', async () => {
    notifications.post('/notify', { sent: true }, { delay: 50 });
    const app = new Hono();
    app.post('/orders', (c) => {
      c.executionCtx.waitUntil(fetch(`${API}/notify`, { method: 'POST' }));
      return c.json({ ok: true }, 201);
    });
    app.post('/forgotten', (c) => {
      void fetch(`${API}/notify`, { method: 'POST' });
      return c.json({ ok: true }, 201);
    });
    // As on Workers: an execution context, which Node's server adapters do not provide.
    const hono = createClient(app, { executionContext: true });
    const handed = await hono.post('/orders');
    await expect(handed).not.toLeaveWorkBehind();
    const report = await handed.probeReport();
    expect(report?.handedOff?.map((work) => work.handedTo)).toContain('executionCtx.waitUntil');
    notifications.post('/notify', { sent: true }, { delay: 50 });
    await expect(await hono.post('/forgotten')).toLeaveWorkBehind();
  });
});

describe('upstream timeline', () => {
  const social = upstream(`${API}/social`);

  function dashboardApp() {
    const app = Fastify();
    app.get('/sequential/:id', async (request) => {
      const { id } = request.params as { id: string };
      const profile: unknown = await (await fetch(`${API}/social/profiles/${id}`)).json();
      const posts: unknown = await (await fetch(`${API}/social/posts?user=${id}`)).json();
      return { profile, posts };
    });
    app.get('/concurrent/:id', async (request) => {
      const { id } = request.params as { id: string };
      const [profile, posts] = await Promise.all([fetch(`${API}/social/profiles/${id}`).then((r): Promise<unknown> => r.json()), fetch(`${API}/social/posts?user=${id}`).then((r): Promise<unknown> => r.json())]);
      return { profile, posts };
    });
    app.get('/dependent/:id', async (request) => {
      const { id } = request.params as { id: string };
      const session = (await (await fetch(`${API}/social/sessions/${id}`, { method: 'POST' })).json()) as { token: string };
      const posts: unknown = await (await fetch(`${API}/social/posts?user=${id}`, { headers: { authorization: `Bearer ${session.token}` } })).json();
      return { posts };
    });
    return app;
  }

  const client = createClient(dashboardApp());

  beforeAll(() => {
    social.get('/profiles/:id', ({ params }) => ({ id: params.id, name: 'Ada' }), { delay: 40 });
    social.get('/posts', [{ id: 'p1' }], { delay: 40 });
    social.post('/sessions/:id', { token: 'tok_8f2a91' }, { delay: 40 });
  });

  it('fails for independent calls made one after another, and draws the timeline', async () => {
    const response = await client.get('/sequential/u1');
    expect(response.status).toBe(200);
    await expect(response).not.toCallUpstreamsConcurrently();
    await expect(expect(response).toCallUpstreamsConcurrently()).rejects.toThrow(
      /2 call\(s\), 1 of them waited for an earlier call they did not need\n {2}timeline:\n {4}GET https:\/\/probe-api\.example\.test\/social\/profiles\/u1 +200 {2}\|█+·+\| {2}0–\d+ ms\n {4}GET https:\/\/probe-api\.example\.test\/social\/posts +200 {2}\|·+█+\|/,
    );
  });

  it('passes when they overlap', async () => {
    await expect(await client.get('/concurrent/u1')).toCallUpstreamsConcurrently();
  });

  it('passes when the later call used what the earlier one answered', async () => {
    await expect(await client.get('/dependent/u1')).toCallUpstreamsConcurrently();
  });
});

describe('turning probes off', () => {
  it('per request, per client and for the whole process', async () => {
    const client = createClient(blockingApp());
    const off = await client.get('/read-sync').probes(false);
    expect(off.probes).toBeUndefined();
    await expect(expect(off).toUseSyncIO()).rejects.toThrow(/needs the syncIO probe, which was off for this request/);
    const noSyncIO = await createClient(blockingApp(), { probes: { syncIO: false } }).get('/read-sync');
    expect(noSyncIO.probes?.syncIO).toBeUndefined();
    await expect(noSyncIO).toBlockEventLoop({ thresholdMs: 1 });
    configureProbes(false);
    try {
      expect((await client.get('/read-sync')).probes).toBeUndefined();
      const backOn = await client.get('/read-sync').probes(true);
      await expect(backOn).toUseSyncIO();
    } finally {
      resetProbes();
    }
  });

  it('rejects a bad threshold with a message that says what to pass', () => {
    expect(() => {
      configureProbes({ blockedLoop: { thresholdMs: -1 } });
    }).toThrow(/blockedLoop\.thresholdMs is -1, not a number of milliseconds ≥ 0\. Pass e\.g\. \{ blockedLoop: \{ thresholdMs: 50 \} \}/);
  });
});

describe('every framework', () => {
  const handlerFor = (): string => readFileSync(largeFile, 'utf8').slice(0, 1);
  const apps: [string, () => Parameters<typeof createClient>[0]][] = [
    ['node:http', () => createServer((_req, res) => res.end(handlerFor()))],
    [
      'fastify',
      () => {
        const app = Fastify();
        app.get('/', () => handlerFor());
        return app;
      },
    ],
    [
      'hono',
      () => {
        const app = new Hono();
        app.get('/', (c) => c.text(handlerFor()));
        return app;
      },
    ],
    [
      'koa',
      () => {
        const app = new Koa();
        app.use((ctx) => {
          ctx.body = handlerFor();
        });
        return app;
      },
    ],
  ];
  it.each(apps)('attributes sync I/O to the request in %s', async (_name, make) => {
    const response: TestResponse = await createClient(make()).get('/');
    expect(response.status).toBe(200);
    await expect(response).toUseSyncIO('fs.readFileSync');
  });
});
