import { awaitedOperands, findSequentialAwaits, planConcurrentRewrite, type ConcurrencyFinding } from '@loopguard/core/analysis';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import ts from 'typescript';

import { createRule } from '../util/create-rule.js';
import { locationOf, typeScriptView, type ParserServicesLike } from '../util/source-file.js';

export type Options = [
  {
    /** Callees whose awaits are left alone, with `*` for any run of characters: `db.*`, `*.lock`, `sendEmail`. */
    ignore?: string[];
    /** Report loops whose iterations could run together (default true). */
    loops?: boolean;
  },
];

export type MessageIds = 'sequence' | 'loop' | 'promiseAll' | 'promiseAllMap';

/** How an await is named in messages: its call, shortened. */
function described(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export default createRule<Options, MessageIds>({
  name: 'prefer-concurrent-awaits',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Prefer running independent awaits together (`Promise.all`) over awaiting them one after another, in sequences and loops',
      recommended: true,
    },
    hasSuggestions: true,
    defaultOptions: [{ ignore: [], loops: true }],
    messages: {
      sequence:
        '`{{later}}` waits for {{earlier}} to finish, though it uses nothing it produces: these {{count}} awaits ({{list}}) take the sum of their latencies instead of the longest. Start them together with `Promise.all`.',
      loop: 'Each iteration awaits `{{call}}` before the next one starts, though no iteration uses what another produced: the loop takes the sum of every latency. Run the iterations together with `Promise.all` (bounding how many run at once for large inputs).',
      promiseAll: 'Await them together: `{{preview}}`.',
      promiseAllMap: 'Run the iterations together: `await Promise.all(… .map(async (…) => …))`.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          ignore: { type: 'array', items: { type: 'string' }, description: 'Callees whose awaits are left alone (`db.*`, `*.lock`).' },
          loops: { type: 'boolean', description: 'Report loops whose iterations could run together.' },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context, [options]) {
    const analysisOptions = { ignore: options.ignore ?? [], loops: options.loops ?? true };
    const services = context.sourceCode.parserServices as ParserServicesLike | undefined;
    const toTypeScript = services?.esTreeNodeToTSNodeMap;
    const toESTree = services?.tsNodeToESTreeNodeMap;
    // Another parser (espree on .js files): the analysis finds the awaits in its own parse.
    if (toTypeScript === undefined || toESTree === undefined) {
      return {
        'Program:exit'() {
          const { sourceFile, program } = typeScriptView(context);
          const at = (node: ts.Node): TSESTree.SourceLocation => locationOf(context, node.getStart(sourceFile), node.getEnd());
          for (const finding of findSequentialAwaits(sourceFile, program, undefined, analysisOptions)) report(context, sourceFile, finding, at);
        },
      };
    }
    // ESLint walks the file anyway: the rule collects the awaits on the way and analyses only the
    // blocks and loops that hold one, instead of walking the TypeScript tree again. A file without
    // an await costs nothing more.
    const awaits: ts.AwaitExpression[] = [];
    return {
      AwaitExpression(node: TSESTree.AwaitExpression) {
        awaits.push(toTypeScript.get(node) as ts.AwaitExpression);
      },
      'Program:exit'() {
        const [first] = awaits;
        if (first === undefined) return;
        // The program is the parser's (the analysis asks it for a checker only after checking it
        // holds the file); findings are placed where ESLint has its nodes.
        const root = toTypeScript.get(context.sourceCode.ast);
        const sourceFile = root !== undefined && ts.isSourceFile(root) ? root : first.getSourceFile();
        const at = (node: ts.Node): TSESTree.SourceLocation => toESTree.get(node)?.loc ?? locationOf(context, node.getStart(sourceFile), node.getEnd());
        // Which handler an await is in changes nothing here: the rule runs without the handler index.
        for (const finding of findSequentialAwaits(sourceFile, services?.program ?? undefined, undefined, { ...analysisOptions, awaits })) report(context, sourceFile, finding, at);
      },
    };
  },
});

function report(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, sourceFile: ts.SourceFile, finding: ConcurrencyFinding, at: (node: ts.Node) => TSESTree.SourceLocation): void {
  const rewrite = planConcurrentRewrite(finding, sourceFile);
  const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
  if (finding.kind !== 'loop') {
    // A sequence's steps, or the awaited members of one literal or argument list.
    const awaited = awaitedOperands(finding);
    const [first, second] = awaited;
    if (first === undefined || second === undefined) return;
    const operands = awaited.map((operand) => `\`${described(operand, sourceFile)}\``);
    if (rewrite !== undefined) {
      const names = (finding.kind === 'sequence' ? finding.steps.map((step) => step.target) : finding.awaits.map((node) => (node.parent as ts.PropertyAssignment).name)).map((name) => name.getText(sourceFile)).join(', ');
      suggest.push({ messageId: 'promiseAll', data: { preview: `[${names}] = await Promise.all([…])` }, fix: (fixer) => fixer.replaceTextRange([rewrite.start, rewrite.end], rewrite.text) });
    }
    // On the second await: the first one to wait for no reason.
    context.report({
      loc: at(second.parent),
      messageId: 'sequence',
      data: {
        later: described(second, sourceFile),
        earlier: `\`${described(first, sourceFile)}\``,
        count: String(awaited.length),
        list: operands.join(', '),
      },
      suggest,
    });
    return;
  }
  const [firstAwait] = finding.awaits;
  if (firstAwait === undefined) return;
  if (rewrite !== undefined) suggest.push({ messageId: 'promiseAllMap', fix: (fixer) => fixer.replaceTextRange([rewrite.start, rewrite.end], rewrite.text) });
  context.report({
    loc: at(firstAwait),
    messageId: 'loop',
    data: { call: described(firstAwait.expression, sourceFile) },
    suggest,
  });
}
