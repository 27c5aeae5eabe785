// bench/test-kit/probes.js: what the runtime probes cost. The same requests through loopguard's
// client with every probe on, and with the probes off (LOOPGUARD_PROBES=off, so they are never even
// installed), each in a fresh process, three interleaved rounds, the median of each.
// Usage: node bench/test-kit/probes.js [requests]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const requests = Number(process.argv.find((arg, index) => index > 1 && /^\d+$/.test(arg)) ?? 3000);
const childIndex = process.argv.indexOf('--child');

/** The apps, each a realistic handler shape: sync JSON, async JSON, a bare listener, a mocked upstream call. */
async function measure() {
  const [{ createServer }, { configureProbes, createClient, startUpstreams, resetUpstreams, upstream }, { default: express }, { default: Fastify }] = await Promise.all([
    import('node:http'),
    import('@loopguard/test-kit'),
    import('express'),
    import('fastify'),
  ]);
  // The opt-in extras too: stacks of CPU-bound stretches (the debugger on) and creation stacks of promises.
  if (process.env.LOOPGUARD_BENCH_EXTRAS === '1') configureProbes({ blockedLoop: { stacks: true }, leftBehindWork: { promises: true } });

  const user = (id) => ({ id, name: `user ${id}`, roles: ['reader'], createdAt: '2026-01-01T00:00:00.000Z' });
  const expressApp = express();
  expressApp.get('/users/:id', (req, res) => {
    res.json(user(req.params.id));
  });
  expressApp.get('/proxy/:id', async (req, res) => {
    res.json(await (await fetch(`https://api.example.test/users/${req.params.id}`)).json());
  });
  const fastify = Fastify();
  fastify.get('/users/:id', async (request) => user(request.params.id));
  await fastify.ready();
  const listener = (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(user(req.url.split('/').pop())));
  };
  startUpstreams();
  upstream('https://api.example.test').get('/users/:id', ({ params }) => user(params.id));

  const apps = {
    'Express 5, sync handler': [createClient(expressApp), '/users/'],
    'Fastify 5, async handler': [createClient(fastify), '/users/'],
    'node:http listener': [createClient(createServer(listener)), '/users/'],
    'Express 5, one mocked upstream call': [createClient(expressApp), '/proxy/'],
  };
  const rows = {};
  // Sequential on purpose: what is measured is the cost of one request after another, app by app.
  for (const [name, [client, prefix]] of Object.entries(apps)) {
    const send = async (index) => {
      const response = await client.get(`${prefix}${String(index)}`);
      await response.text();
      if (response.status !== 200) throw new Error(`${name}: status ${String(response.status)}`);
      if (index % 500 === 0) resetUpstreams();
    };
    for (let index = 0; index < 1500; index += 1) await send(index);
    const started = performance.now();
    for (let index = 0; index < requests; index += 1) await send(index);
    rows[name] = (requests / (performance.now() - started)) * 1000;
  }
  return rows;
}

if (childIndex !== -1) {
  process.stdout.write(`${JSON.stringify(await measure())}\n`);
  process.exit(0);
}

const run = promisify(execFile);
async function child(mode) {
  const env = { ...process.env, LOOPGUARD_PROBES: mode === 'off' ? 'off' : '', LOOPGUARD_BENCH_EXTRAS: mode === 'extras' ? '1' : '' };
  const { stdout } = await run(process.execPath, [fileURLToPath(import.meta.url), '--child', String(requests)], { env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

const samples = { on: [], off: [], extras: [] };
for (let round = 0; round < 3; round += 1) {
  samples.off.push(await child('off'));
  samples.on.push(await child('on'));
  samples.extras.push(await child('extras'));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`\nruntime probes (${String(requests)} sequential requests, fresh process each, median of 3)`);
let worst = 0;
for (const name of Object.keys(samples.on[0])) {
  const on = median(samples.on.map((row) => row[name]));
  const off = median(samples.off.map((row) => row[name]));
  worst = Math.max(worst, off / on);
  const extras = median(samples.extras.map((row) => row[name]));
  console.log(`  ${name.padEnd(36)} probes off ${off.toFixed(0).padStart(6)} req/s, all on ${on.toFixed(0).padStart(6)} req/s: ${(off / on).toFixed(2)}x the time; with the opt-in stacks ${(off / extras).toFixed(2)}x`);
}
console.log(`  dearest with every probe on: ${worst.toFixed(2)}x (target: within 1.3x)`);
