// bench/codemods: runs each transform (a dry run: analysis, rewrite and in-memory type-check) on
// synthetic projects of 500, 2000 and 5000 files and `tsc --noEmit` on the same projects, each in a
// fresh Node process, and reports each transform's time as a ratio to tsc's, peak memory, and how
// `sync-to-async`'s time grows from 2000 to 5000 files. Usage: node bench/codemods/run.js [sizes…]
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { generateProject } from './generate.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((size) => size > 0);
const runSizes = sizes.length > 0 ? sizes : [500, 2000, 5000];

const transforms = ['sync-to-async', 'then-to-await', 'callbacks-to-async', 'concurrent-awaits'];

async function measure(job, dir, transform) {
  const outcome = await run(process.execPath, [join(here, 'measure.js'), job, dir, ...(transform === undefined ? [] : [transform])], { cwd: here, maxBuffer: 256 * 1024 * 1024 }).catch((error) => error);
  const lines = String(outcome.stdout).trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (!last.startsWith('{')) throw new Error(`[loopguard bench] Failed to measure ${job} on ${dir}: ${String(outcome.stderr ?? outcome.message)}`);
  return JSON.parse(last);
}

const rows = [];
for (const size of runSizes) {
  // Inside the repository, so the generated code resolves express and @types/node.
  const dir = join(here, '..', '.generated', `codemods-${String(size)}`);
  await mkdir(dirname(dir), { recursive: true });
  const shape = await generateProject(dir, size);
  const tsc = await measure('tsc', dir);
  console.log(`${String(size).padStart(5)} files: tsc --noEmit ${(tsc.ms / 1000).toFixed(2)}s (peak ${tsc.peakMb.toFixed(0)} MB)`);
  for (const transform of transforms) {
    // One after another, each in its own process: they never run at once and never share a warm cache.
    const codemod = await measure('codemod', dir, transform);
    if (transform === 'sync-to-async') rows.push({ size, shape, tsc, codemod });
    console.log(
      `  ${transform.padEnd(19)} ${(codemod.ms / 1000).toFixed(2)}s (peak ${codemod.peakMb.toFixed(0)} MB), ${String(codemod.files)} files rewritten, ` +
        `${String(codemod.rewrites)} rewrites, ${String(codemod.rejected)} rejected · ratio ${(codemod.ms / tsc.ms).toFixed(2)}x tsc (target ≤ 3x)`,
    );
  }
}
const at = (size) => rows.find((row) => row.size === size);
if (at(2000) !== undefined && at(5000) !== undefined) {
  const growth = at(5000).codemod.ms / at(2000).codemod.ms;
  console.log(`growth 2000 → 5000 files: ${growth.toFixed(2)}x (target ≤ 2.8x; 2.5x is linear)`);
}
