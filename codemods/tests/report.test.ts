import { describe, expect, it } from 'vitest';

import { formatCodemodJson, formatCodemodPretty, needsAttention } from '../src/engine/report.js';
import type { CodemodReport } from '../src/index.js';

// A run whose file kept one rewrite and lost another to the type-check: how the report says so.
const report: CodemodReport = {
  transform: 'concurrent-awaits',
  root: '/srv/shop',
  tsconfig: 'tsconfig.json',
  dryRun: false,
  filesAnalysed: 12,
  files: [{ file: 'src/jobs.ts', status: 'written', before: 'a', after: 'b', diff: '', rewrites: 1 }],
  rewrites: [{ file: 'src/jobs.ts', line: 4, column: 3, kind: 'run-concurrently', message: 'awaited `load(id)`, `load(team)` together' }],
  boundaries: [],
  manual: [],
  rejected: [],
  dropped: [
    {
      file: 'src/jobs.ts',
      line: 9,
      column: 3,
      kind: 'run-concurrently',
      message: 'ran the iterations of the loop over `ids` together',
      errors: [{ file: 'src/jobs.ts', line: 8, column: 28, code: 2345, message: "Argument of type 'string | undefined' is not assignable to parameter of type 'string'.\n  Type 'undefined' is not assignable to type 'string'." }],
    },
  ],
  durationMs: 1234,
};

const plain = (_style: unknown, text: string): string => text;

describe('the codemod report', () => {
  it('lists a rewrite left out of a file that keeps its others, with its errors, and asks for attention', () => {
    const text = formatCodemodPretty(report, plain);
    expect(text).toContain('wrote src/jobs.ts (1 rewrite)');
    expect(text).toContain(
      "1 rewrite left out (it would add type errors; the rest of its file is rewritten):\n  src/jobs.ts:9:3 ran the iterations of the loop over `ids` together\n    src/jobs.ts:8:28 TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.\n        Type 'undefined' is not assignable to type 'string'.\n",
    );
    expect(text).toContain('✔ 1 file written (1 rewrite), type-checked.');
    expect(needsAttention(report)).toBe(true);
    expect(needsAttention({ ...report, dropped: [] })).toBe(false);
  });

  it('counts and lists left-out rewrites in the JSON report', () => {
    const json = JSON.parse(formatCodemodJson(report)) as { summary: Record<string, number>; dropped: unknown[] };
    expect(json.summary).toEqual({ changedFiles: 1, rewrites: 1, boundaries: 0, manual: 0, rejectedFiles: 0, droppedRewrites: 1 });
    expect(json.dropped).toEqual([expect.objectContaining({ file: 'src/jobs.ts', line: 9, errors: [expect.objectContaining({ code: 2345 })] })]);
  });
});
