import type { styleText } from 'node:util';

import { transforms } from '../transforms/registry.js';
import type { CodemodReport } from './run-codemod.js';
import type { TypeError } from './verify.js';

type Style = Parameters<typeof styleText>[0];
type Paint = (style: Style, text: string) => string;

function plural(count: number, word: string, many = `${word}s`): string {
  return `${String(count)} ${count === 1 ? word : many}`;
}

function colourDiff(diff: string, paint: Paint): string {
  return diff
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', line);
      if (line.startsWith('+')) return paint('green', line);
      if (line.startsWith('-')) return paint('red', line);
      if (line.startsWith('@@')) return paint('cyan', line);
      return line;
    })
    .join('\n');
}

/** Does the run leave anything for a person: a boundary, a call with no replacement, a rejected file or rewrite? */
export function needsAttention(report: CodemodReport): boolean {
  return report.boundaries.length > 0 || report.manual.length > 0 || report.rejected.length > 0 || report.dropped.length > 0;
}

/** A rewrite's type errors, one per line under it. */
function formatErrors(errors: readonly TypeError[], paint: Paint): string[] {
  return errors.map((error) => `    ${paint('dim', `${error.file}:${String(error.line)}:${String(error.column)}`)} TS${String(error.code)}: ${error.message.replaceAll('\n', '\n      ')}`);
}

/**
 * The human report: the diff of every file (dry run) or the files written, then what was left for a
 * person (boundaries with their chains, calls with no replacement, rewrites that would not type-check)
 * and a summary line.
 *
 * @example
 * process.stdout.write(formatCodemodPretty(report, painter(process.stdout.isTTY)));
 */
export function formatCodemodPretty(report: CodemodReport, paint: Paint): string {
  const out: string[] = [];
  const kept = report.files.filter((file) => file.status !== 'rejected');
  if (report.dryRun) {
    for (const file of kept) out.push(colourDiff(file.diff, paint));
  } else {
    for (const file of kept) out.push(`${paint('green', 'wrote')} ${file.file} ${paint('dim', `(${plural(file.rewrites, 'rewrite')})`)}`);
    if (kept.length > 0) out.push('');
  }
  if (report.boundaries.length > 0) {
    out.push(paint('bold', `Stopped at ${plural(report.boundaries.length, 'boundary', 'boundaries')} (left as they were):`));
    for (const boundary of report.boundaries) {
      out.push(`  ${paint('yellow', `${boundary.file}:${String(boundary.line)}:${String(boundary.column)}`)} ${boundary.message}`);
      out.push(`    ${paint('dim', `${boundary.reason}: ${boundary.chain.join(' → ')}`)}`);
    }
    out.push('');
  }
  if (report.manual.length > 0) {
    const [one, many] = transforms.find((transform) => transform.slug === report.transform)?.leftForAPerson ?? ['site', 'sites'];
    out.push(paint('bold', `${plural(report.manual.length, one, many)} (convert by hand):`));
    for (const site of report.manual) {
      out.push(`  ${paint('yellow', `${site.file}:${String(site.line)}:${String(site.column)}`)} \`${site.api}\` in ${site.chain[0] ?? 'a function'}: ${site.message}`);
    }
    out.push('');
  }
  if (report.rejected.length > 0) {
    out.push(paint('bold', `${plural(report.rejected.length, 'file')} not rewritten:`));
    for (const file of report.rejected) {
      out.push(`  ${paint('red', file.file)} ${file.message}`);
      out.push(...formatErrors(file.errors, paint));
    }
    out.push('');
  }
  if (report.dropped.length > 0) {
    out.push(paint('bold', `${plural(report.dropped.length, 'rewrite')} left out (${report.dropped.length === 1 ? 'it' : 'each'} would add type errors; the rest of ${report.dropped.length === 1 ? 'its file is' : 'their files are'} rewritten):`));
    for (const rewrite of report.dropped) {
      out.push(`  ${paint('red', `${rewrite.file}:${String(rewrite.line)}:${String(rewrite.column)}`)} ${rewrite.message}`);
      out.push(...formatErrors(rewrite.errors, paint));
    }
    out.push('');
  }
  const changed = kept.length;
  const rewrites = report.rewrites.length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const tail = `${plural(report.filesAnalysed, 'file')} analysed in ${seconds}s.`;
  if (changed === 0) {
    out.push(paint(needsAttention(report) ? 'yellow' : 'green', `${needsAttention(report) ? '!' : '✔'} Nothing to change. ${tail}`));
  } else if (report.dryRun) {
    out.push(paint('cyan', `Dry run: ${plural(changed, 'file')} would change (${plural(rewrites, 'rewrite')}), type-checked. ${tail} Run again with --write to apply.`));
  } else {
    out.push(paint('green', `✔ ${plural(changed, 'file')} written (${plural(rewrites, 'rewrite')}), type-checked. ${tail}`));
  }
  return `${out.join('\n')}\n`;
}

/** The machine-readable report (`--json`): every rewrite, boundary, rejected file and left-out rewrite, and each file's diff. */
export function formatCodemodJson(report: CodemodReport): string {
  return `${JSON.stringify(
    {
      transform: report.transform,
      root: report.root,
      tsconfig: report.tsconfig,
      dryRun: report.dryRun,
      filesAnalysed: report.filesAnalysed,
      summary: {
        changedFiles: report.files.filter((file) => file.status !== 'rejected').length,
        rewrites: report.rewrites.length,
        boundaries: report.boundaries.length,
        manual: report.manual.length,
        rejectedFiles: report.rejected.length,
        droppedRewrites: report.dropped.length,
      },
      files: report.files.map(({ file, status, rewrites, diff }) => ({ file, status, rewrites, diff })),
      rewrites: report.rewrites,
      boundaries: report.boundaries,
      manual: report.manual,
      rejected: report.rejected,
      dropped: report.dropped,
      durationMs: Math.round(report.durationMs),
    },
    null,
    2,
  )}\n`;
}
