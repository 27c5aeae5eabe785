import { awaitedOperands, findSequentialAwaits, planConcurrentRewrite, type ConcurrencyFinding } from '@loopguard/core/analysis';
import ts from 'typescript';

import { FileEdits } from '../engine/file-edits.js';
import type { ManualSite, Rewrite, Transform, TransformContext, TransformResult } from './types.js';

/**
 * `concurrent-awaits`: applies the rewrite `loopguard/prefer-concurrent-awaits` suggests, from the
 * same analysis and the same planner, to every independent sequence it finds: consecutive awaits
 * become one `Promise.all` with destructuring, independent `for…of` loops `Promise.all` over `map`
 * (in slices of N with `--max-concurrency N`). What it cannot rewrite (a counting `for` loop,
 * declarations of different kinds) is reported for a person. Test files are left alone.
 */
export const concurrentAwaits: Transform = {
  slug: 'concurrent-awaits',
  description: 'Run independent awaits together: consecutive ones as one Promise.all, independent loops as Promise.all over map (bounded with --max-concurrency).',
  leftForAPerson: ['loop or sequence with no mechanical rewrite', 'loops or sequences with no mechanical rewrite'],
  run,
};

function run(context: TransformContext): TransformResult {
  const edits = new Map<ts.SourceFile, FileEdits>();
  const rewrites: Rewrite[] = [];
  const parts = new Map<Rewrite, number>();
  const manual: ManualSite[] = [];
  for (const sourceFile of context.selectedFiles) {
    if (context.isTestFile(sourceFile)) continue;
    const findings = findSequentialAwaits(sourceFile, context.program, undefined);
    const taken: { start: number; end: number }[] = [];
    for (const finding of findings) {
      const plan = planConcurrentRewrite(finding, sourceFile, context.maxConcurrency === undefined ? {} : { maxConcurrency: context.maxConcurrency });
      const anchor = anchorOf(finding);
      // A sequence inside a loop that is rewritten whole moves with it, unchanged (the loop comes first).
      if (taken.some((range) => range.start <= anchor.getStart(sourceFile) && anchor.getEnd() <= range.end)) continue;
      if (plan === undefined) {
        manual.push({ ...context.location(anchor), api: apiOf(finding), message: manualMessage(finding), chain: [] });
        continue;
      }
      taken.push({ start: plan.start, end: plan.end });
      let fileEdits = edits.get(sourceFile);
      if (fileEdits === undefined) {
        fileEdits = new FileEdits(sourceFile.text);
        edits.set(sourceFile, fileEdits);
      }
      // Each rewrite replaces its own statements: one that would not type-check is left out alone.
      const part = fileEdits.startPart();
      fileEdits.replace(plan.start, plan.end, plan.text);
      const rewrite: Rewrite = { ...context.location(anchor), kind: 'run-concurrently', message: rewriteMessage(finding, sourceFile) };
      rewrites.push(rewrite);
      parts.set(rewrite, part);
    }
  }
  // Each file's rewrite stands alone: nothing outside the file changes with it.
  return { edits, groups: [...edits.keys()].map((sourceFile) => [sourceFile]), rewrites, parts, boundaries: [], manual };
}

function anchorOf(finding: ConcurrencyFinding): ts.Node {
  if (finding.kind === 'operands') return finding.awaits[0] ?? finding.list;
  return finding.kind === 'loop' ? finding.loop : (finding.steps[0]?.statement ?? finding.fn);
}

function apiOf(finding: ConcurrencyFinding): string {
  if (finding.kind === 'operands') return 'awaits in one expression';
  return finding.kind === 'loop' ? 'for loop' : 'await sequence';
}

function rewriteMessage(finding: ConcurrencyFinding, sourceFile: ts.SourceFile): string {
  if (finding.kind === 'loop') return `ran the iterations of the loop over \`${ts.isForOfStatement(finding.loop) ? finding.loop.expression.getText(sourceFile) : 'its counter'}\` together`;
  return `awaited ${awaitedOperands(finding).map((operand) => `\`${operand.getText(sourceFile).replace(/\s+/g, ' ')}\``).join(', ')} together`;
}

function manualMessage(finding: ConcurrencyFinding): string {
  if (finding.kind === 'sequence') {
    if (finding.typedByTarget && finding.steps.every((step) => step.typeAnnotation === undefined)) {
      return 'independent awaits assigned to variables whose types decide what a generic call returns: combine them with `Promise.all` by hand, giving each call its type arguments.';
    }
    if (finding.narrowedByValue) {
      return 'independent awaits beside a generic call typed by its declaration, one of them declared with a union its value narrows: combine them with `Promise.all` by hand, giving the generic call its type arguments.';
    }
    return 'independent awaits whose declarations cannot share one destructuring (kinds, type annotations): combine them with `Promise.all` by hand.';
  }
  if (finding.kind === 'operands') {
    if (finding.typedByContext) return 'independent awaits in one object literal, one of them a generic call that may take its type from where the literal goes: combine them with `Promise.all` before the statement by hand, giving the call its type arguments.';
    return 'independent awaits in one object literal, array or argument list: combine them with `Promise.all` before the statement by hand (a rewrite needs named properties whose names the function uses nowhere else, and nothing with an effect evaluated before them).';
  }
  if (finding.losesNarrowing !== undefined) {
    const read = finding.losesNarrowing.getText().replace(/\s+/g, ' ');
    return `a loop whose body reads \`${read}\`, which is narrowed before the loop but would not be inside a callback: copy it to a \`const\` before the loop, then run the iterations together.`;
  }
  if (finding.orderedEffects) return 'a loop that writes output or fills a collection in order: await the results together with `Promise.all` over `map`, then write or collect them in order.';
  return 'a counting `for` loop whose iterations are independent: run them together with `Promise.all` over the indexes.';
}
