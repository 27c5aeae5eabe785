import { styleText } from 'node:util';

import type { ScanResult } from './scan.js';

type Style = Parameters<typeof styleText>[0];

/** Colours only where the reader is a terminal that wants them. */
export function painter(enabled: boolean): (style: Style, text: string) => string {
  return (style, text) => (enabled ? styleText(style, text) : text);
}

/**
 * Renders findings grouped by file, the chain of transitive ones, and a summary line.
 *
 * @example
 * process.stdout.write(formatPretty(result, painter(process.stdout.isTTY)));
 */
export function formatPretty(result: ScanResult, paint: (style: Style, text: string) => string): string {
  const lines: string[] = [];
  let currentFile = '';
  for (const finding of result.findings) {
    if (finding.file !== currentFile) {
      if (currentFile !== '') lines.push('');
      currentFile = finding.file;
      lines.push(paint('underline', finding.file));
    }
    const position = `${String(finding.line)}:${String(finding.column)}`.padEnd(8);
    const [headline = finding.message, ...rest] = finding.message.split(/(?<=\.) (?=[`A-Z])/);
    lines.push(`  ${paint('dim', position)}${paint('red', headline)}  ${paint('dim', finding.rule)}`);
    if (rest.length > 0) lines.push(`  ${' '.repeat(8)}${rest.join(' ')}`);
  }
  for (const error of result.parseErrors) {
    lines.push('', paint('underline', error.file), `  ${paint('red', `could not be parsed: ${error.message}`)}`);
  }
  if (lines.length > 0) lines.push('');
  const files = new Set(result.findings.map((finding) => finding.file)).size;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const scanned = `${String(result.filesScanned)} files scanned (${String(result.typedFiles)} with type information) in ${seconds}s`;
  if (result.findings.length === 0) {
    lines.push(paint('green', `✔ No problems found. ${scanned}.`));
  } else {
    lines.push(
      paint(
        'red',
        `✖ ${String(result.findings.length)} problem${result.findings.length === 1 ? '' : 's'} in ${String(files)} file${files === 1 ? '' : 's'} (${breakdown(result)}). ${scanned}.`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

const ruleNouns: Readonly<Record<string, readonly [string, string]>> = {
  'loopguard/no-blocking-calls': ['blocking call', 'blocking calls'],
  'loopguard/no-floating-promises': ['floating promise', 'floating promises'],
  'loopguard/no-missing-await': ['missing await', 'missing awaits'],
  'loopguard/no-dropped-rejections': ['dropped rejection', 'dropped rejections'],
  'loopguard/prefer-concurrent-awaits': ['sequence of independent awaits', 'sequences of independent awaits'],
  'loopguard/require-upstream-timeout': ['upstream call without a timeout', 'upstream calls without a timeout'],
};

/** `25 blocking calls, 23 of them through helper functions; 1 floating promise`. */
function breakdown(result: ScanResult): string {
  const parts: string[] = [];
  for (const rule of [...new Set(result.findings.map((finding) => finding.rule))].sort()) {
    const mine = result.findings.filter((finding) => finding.rule === rule);
    const [one, many] = ruleNouns[rule] ?? [rule, rule];
    const transitive = mine.filter((finding) => finding.chain !== undefined).length;
    parts.push(`${String(mine.length)} ${mine.length === 1 ? one : many}${transitive > 0 ? `, ${String(transitive)} of them through helper functions` : ''}`);
  }
  return parts.join('; ');
}

/** Findings per rule, for the JSON summary. */
function byRule(result: ScanResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of result.findings) counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
  return counts;
}

/** The machine-readable report (`--format json`). */
export function formatJson(result: ScanResult): string {
  const files = new Set(result.findings.map((finding) => finding.file)).size;
  return `${JSON.stringify(
    {
      root: result.root,
      filesScanned: result.filesScanned,
      typedFiles: result.typedFiles,
      summary: {
        problems: result.findings.length,
        files,
        direct: result.findings.filter((finding) => finding.chain === undefined).length,
        transitive: result.findings.filter((finding) => finding.chain !== undefined).length,
        parseErrors: result.parseErrors.length,
        byRule: byRule(result),
      },
      findings: result.findings,
      parseErrors: result.parseErrors,
      durationMs: Math.round(result.durationMs),
    },
    null,
    2,
  )}\n`;
}
