// A user's test with the packed test kit: in-process client, a mocked upstream, the matchers.
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
