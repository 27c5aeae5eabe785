// A user's test with the packed test kit: in-process client, a mocked upstream, the matchers, the runtime probes.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import { createClient, upstream } from '@loopguard/test-kit';
import { expect, it } from 'vitest';

const app = createServer((request, response) => {
  void fetch('https://weather.example.test/today')
    .then((answer) => answer.json() as Promise<{ sky: string }>)
    .then((weather) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ path: request.url, sky: weather.sky }));
    });
});

it('serves a request in-process with its upstream mocked', async () => {
  const weather = upstream('https://weather.example.test').get('/today', { sky: 'clear' });
  const response = await createClient(app).get('/forecast');
  await expect(response).toHaveStatus(200);
  await expect(response).toHaveJsonBody({ path: '/forecast', sky: 'clear' });
  expect(weather).toHaveBeenCalledTimes(1);
});

it('catches sync I/O while serving, at the app\'s call site', async () => {
  const blocking = createServer((_request, response) => {
    response.end(readFileSync(new URL(import.meta.url)).subarray(0, 10));
  });
  const response = await createClient(blocking).get('/');
  await expect(response).toUseSyncIO('fs.readFileSync');
  await expect(response).not.toLeaveWorkBehind();
  expect(response.probes?.syncIO?.[0]?.stack[0]?.file).toMatch(/kit\.test\.ts$/);
});
