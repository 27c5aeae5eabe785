import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

interface JsonReport {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

let results: Map<string, { status: string; message: string }>;

beforeAll(async () => {
  const run = promisify(execFile);
  const outcome = await run(process.execPath, [vitestBin, 'run', '--config', join(here, 'wiring', 'vitest.config.ts')], { cwd: join(here, 'wiring') }).catch(
    (error: unknown) => error as { stdout: string },
  );
  const report = JSON.parse(outcome.stdout.slice(outcome.stdout.indexOf('{'))) as JsonReport;
  results = new Map(
    report.testResults.flatMap((file) => file.assertionResults.map((test) => [test.title, { status: test.status, message: test.failureMessages.join('\n') }] as const)),
  );
}, 60_000);

describe('the Vitest entry, in a real Vitest run', () => {
  it('fails the test whose app called an unmocked upstream, naming the request', () => {
    const result = results.get('calls an unmocked upstream');
    expect(result?.status).toBe('failed');
    expect(result?.message).toContain('[loopguard test-kit] Failed to answer 1 outbound request(s): no upstream route answers them.');
    expect(result?.message).toContain('GET https://unmocked.example.test/secret (while serving GET /proxy)');
  });

  it('tells a used-up route from a missing one', () => {
    const result = results.get('says the route answered its times already');
    expect(result?.status).toBe('failed');
    expect(result?.message).toContain('GET https://mocked.example.test/once (while serving GET /proxy) — the route GET https://mocked.example.test/once answered its 1 time(s) already');
  });

  it('leaves the other tests alone', () => {
    expect(results.get('calls a mocked upstream')?.status).toBe('passed');
  });

  it('explains a wrong status with the request, the response and the outbound calls', () => {
    const message = results.get('reports a failing status with the request, response and outbound calls')?.message ?? '';
    expect(message).toContain('expected status 200, got 418');
    expect(message).toContain('request:  GET /proxy');
    expect(message).toContain('body: short and stout');
    expect(message).toMatch(/outbound calls:\n\s+GET https:\/\/mocked\.example\.test\/teapot → 418/);
  });

  it('keeps late calls of a finished test out of the next test', () => {
    expect(results.get('starts a mocked call it does not wait for')?.status).toBe('passed');
    expect(results.get("does not see the previous test's late call")?.status).toBe('passed');
  });

  it('reports an unmocked call made after its test ended, on the next test, marked late', () => {
    expect(results.get('starts an unmocked call it does not wait for')?.status).toBe('passed');
    const result = results.get('is told about the unmocked call the previous test left behind');
    expect(result?.status).toBe('failed');
    expect(result?.message).toContain('POST https://nowhere.example.test/audit (while serving POST /x) — made by work an earlier test left running after it ended');
  });

  it('keeps upstream routes per test under it.concurrent', () => {
    for (const name of ['alpha', 'beta', 'gamma']) expect(results.get(`answers ${name} from its own route`)?.status).toBe('passed');
  });
});
