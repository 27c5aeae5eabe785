import { describe, expect, it } from 'vitest';

import { createClient, upstream } from '../../src/index.js';

const app = createClient(async (request: Request) => {
  const target = new URL(request.url).searchParams.get('target') ?? '';
  try {
    const answer = await fetch(target);
    return new Response(await answer.text(), { status: answer.status });
  } catch {
    return new Response('upstream unreachable', { status: 502 });
  }
});

describe('outbound requests', () => {
  it('calls an unmocked upstream', async () => {
    const response = await app.get('/proxy').query({ target: 'https://unmocked.example.test/secret' });
    // The app sees a network error: no real traffic leaves the process.
    expect(response.status).toBe(502);
  });

  it('calls a mocked upstream', async () => {
    upstream('https://mocked.example.test').get('/ok', 'fine');
    expect(await (await app.get('/proxy').query({ target: 'https://mocked.example.test/ok' })).text()).toBe('fine');
  });

  it('reports a failing status with the request, response and outbound calls', async () => {
    upstream('https://mocked.example.test').get('/teapot', 'short and stout', { status: 418 });
    const response = await app.get('/proxy').query({ target: 'https://mocked.example.test/teapot' });
    await response.text();
    await expect(response).toHaveStatus(200);
  });
});

describe('a route used up', () => {
  it('says the route answered its times already', async () => {
    upstream('https://mocked.example.test').get('/once', 'first', { times: 1 });
    expect(await (await app.get('/proxy').query({ target: 'https://mocked.example.test/once' })).text()).toBe('first');
    expect((await app.get('/proxy').query({ target: 'https://mocked.example.test/once' })).status).toBe(502);
  });
});

describe('concurrent tests keep their own upstream routes', () => {
  for (const name of ['alpha', 'beta', 'gamma']) {
    it.concurrent(`answers ${name} from its own route`, async ({ expect: localExpect }) => {
      const api = upstream('https://shared.example.test').get('/whoami', name, { delay: 20 });
      const response = await app.get('/proxy').query({ target: 'https://shared.example.test/whoami' });
      localExpect(await response.text()).toBe(name);
      localExpect(api.calls.filter((call) => call.clientRequest?.id === response.request.id)).toHaveLength(1);
    });
  }
});

describe('work a test leaves running', () => {
  const late = upstream('https://late.example.test').post('/audit', { ok: true });
  const fireAndForget = createClient((request: Request) => {
    const target = new URL(request.url).searchParams.get('target') ?? '';
    setTimeout(() => {
      void fetch(target, { method: 'POST' }).catch(() => undefined);
    }, 20);
    return new Response('accepted', { status: 202 });
  });

  it('starts a mocked call it does not wait for', async () => {
    expect((await fireAndForget.post('/x').query({ target: 'https://late.example.test/audit' })).status).toBe(202);
  });

  it('does not see the previous test\'s late call', async () => {
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(late.calls).toHaveLength(0);
  });

  it('starts an unmocked call it does not wait for', async () => {
    expect((await fireAndForget.post('/x').query({ target: 'https://nowhere.example.test/audit' })).status).toBe(202);
  });

  it('is told about the unmocked call the previous test left behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 60));
  });
});
