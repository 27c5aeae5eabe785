// Runs one measured job in this process and prints its wall time and peak memory as JSON on the
// last line of stdout: `tsc <dir>` (the real tsc, `--noEmit -p <dir>`) or `codemod <dir> [transform]`
// (a dry run of the transform, `sync-to-async` by default: analysis and in-memory type-check
// included, nothing written).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const [job, dir, transform = 'sync-to-async'] = process.argv.slice(2);
const started = performance.now();
const report = (extra) => {
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`\n${JSON.stringify({ job, ms: performance.now() - started, peakMb, ...extra })}\n`);
};

if (job === 'tsc') {
  // tsc ends the process itself; the measurement is taken as it exits.
  process.on('exit', () => report({}));
  process.argv = [process.argv[0], 'tsc', '--noEmit', '-p', dir];
  createRequire(import.meta.url)('typescript/lib/tsc.js');
} else if (job === 'codemod') {
  const { runCodemod } = await import('@loopguard/codemods');
  const result = await runCodemod({ transform, cwd: dir });
  report({ files: result.files.length, rewrites: result.rewrites.length, boundaries: result.boundaries.length, rejected: result.rejected.length });
} else {
  throw new Error(`[loopguard bench] Failed to measure '${String(job)}': unknown job. Use 'tsc' or 'codemod'.`);
}
