import {
  apiDisplayName,
  blockingKinds,
  createCatalog,
  defaultCatalog,
  type BlockingApi,
  type BlockingApiDefinition,
  type Catalog,
} from '@loopguard/core';
import {
  BlockingAnalysis,
  blockingAnalysisFor,
  planReplacement,
  unsupportedOptionUse,
  type BlockingAnalysisOptions,
  type BlockingFinding,
  type BlockingScope,
} from '@loopguard/core/analysis';
import type { TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { chainData, directCallData } from '../util/blocking-messages.js';
import { createRule } from '../util/create-rule.js';
import { locationOf, typeScriptView } from '../util/source-file.js';

export type Options = [
  {
    scope?: BlockingScope;
    transitive?: boolean;
    maxDepth?: number;
    allow?: string[];
    blockingApis?: BlockingApiDefinition[];
  },
];

export type MessageIds = 'blockingCall' | 'blockingChain' | 'busyWait' | 'replaceWithAsync';

export default createRule<Options, MessageIds>({
  name: 'no-blocking-calls',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow calls that block the event loop in request handlers, async functions and the helpers they call',
      recommended: true,
    },
    hasSuggestions: true,
    defaultOptions: [{ scope: 'handlers-and-async', transitive: true, maxDepth: 10, allow: [], blockingApis: [] }],
    messages: {
      blockingCall:
        '`{{api}}` blocks the event loop: {{reason}} Every request this process is serving waits until it returns. {{advice}}',
      blockingChain:
        '`{{callee}}()` blocks the event loop: {{chain}}. {{reason}} Every request this process is serving waits until it returns. {{advice}}',
      busyWait: 'This loop blocks the event loop: {{reason}} {{advice}}',
      replaceWithAsync: 'Replace with `{{expression}}`.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          scope: {
            type: 'string',
            enum: ['handlers', 'handlers-and-async', 'all-functions'],
            description:
              'Which functions serve requests: framework handlers only, handlers and every async function (default), or every function.',
          },
          transitive: {
            type: 'boolean',
            description: 'Follow calls into project functions, in any file of the program, and report the chain at the call site (default true).',
          },
          maxDepth: {
            type: 'integer',
            minimum: 1,
            description: 'The most project functions a reported chain may pass through (default 10).',
          },
          allow: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description:
              "Accepted blocking calls: catalog ids (`node:fs:existsSync`), API names (`fs.existsSync`), kinds (`kind:sqlite`), or project functions whose calls are accepted (`loadConfigOnce()`).",
          },
          blockingApis: {
            type: 'array',
            description: 'Extra blocking APIs in the catalog entry shape: `{ module, export, kind, reason, replacement? }` or `{ global, kind, reason }`.',
            items: {
              type: 'object',
              required: ['kind', 'reason'],
              additionalProperties: false,
              properties: {
                module: { type: 'string', description: 'Module specifier that exports the API.' },
                global: { type: 'string', description: 'Global path, instead of `module`.' },
                export: { type: 'string', description: 'Export path: `querySync`, `Client#querySync`, `default`.' },
                invocation: { type: 'string', enum: ['call', 'construct'], description: 'Whether `new X()` is the blocking form.' },
                kind: { type: 'string', enum: [...blockingKinds], description: 'What kind of work blocks.' },
                reason: { type: 'string', description: 'One line shown to users: why it hurts a server.' },
                advice: { type: 'string', description: 'What to do instead when there is no async replacement.' },
                replacement: {
                  type: 'object',
                  required: ['module', 'export'],
                  additionalProperties: false,
                  description: 'The async replacement, for the suggestion.',
                  properties: {
                    module: { type: 'string', description: 'Module that exports the replacement.' },
                    export: { type: 'string', description: 'Its export path.' },
                    viaDefault: { type: 'boolean', description: 'Reach it through the default import.' },
                    promisify: { type: 'boolean', description: 'Wrap it in `util.promisify`.' },
                    call: { type: 'string', description: 'Call template with `$fn` and `$args` (default `await $fn($args)`).' },
                    caveat: { type: 'string', description: 'A behaviour difference to mention.' },
                    automatic: { type: 'boolean', description: 'Offer the rewrite as a suggestion (default true).' },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
  create(context, [options]) {
    return {
      Program() {
        const settings = resolveSettings(options, context.cwd);
        const { sourceFile, program } = typeScriptView(context);
        const analysis =
          program === undefined
            ? new BlockingAnalysis(settings.analysis)
            : blockingAnalysisFor(program, settings.analysis, settings.key);
        for (const finding of analysis.findingsFor(sourceFile)) {
          if (finding.target.kind === 'api' && settings.isAllowed(finding.target.api)) continue;
          report(context, sourceFile, finding);
        }
      },
    };
  },
});

interface Settings {
  readonly analysis: BlockingAnalysisOptions;
  readonly key: string;
  isAllowed(api: BlockingApi): boolean;
}

// Options objects are the same for every file of a run; build the catalog once per distinct value.
const settingsCache = new Map<string, Settings>();

function resolveSettings(options: Options[0], cwd: string): Settings {
  const key = JSON.stringify([options, cwd]);
  const cached = settingsCache.get(key);
  if (cached !== undefined) return cached;
  const allow = options.allow ?? [];
  const allowFunctions = allow.filter((entry) => entry.endsWith('()')).map((entry) => entry.slice(0, -2));
  const add = options.blockingApis ?? [];
  const allowed = new Set(allow);
  const isAllowed = (api: BlockingApi): boolean =>
    allowed.has(api.id) || allowed.has(apiDisplayName(api)) || allowed.has(`kind:${api.kind}`);
  const withAdditions: Catalog = add.length === 0 ? defaultCatalog : createCatalog({ add });
  // Allowed APIs leave the catalog, so transitive chains do not end in them either.
  const catalog: Catalog =
    allowed.size === 0 ? withAdditions : createCatalog({ add, ignore: withAdditions.apis.filter(isAllowed).map((api) => api.id) });
  const settings: Settings = {
    key,
    isAllowed,
    analysis: {
      catalog,
      scope: options.scope ?? 'handlers-and-async',
      transitive: options.transitive ?? true,
      maxDepth: options.maxDepth ?? 10,
      allowFunctions,
      projectRoot: cwd,
    },
  };
  settingsCache.set(key, settings);
  return settings;
}

function report(
  context: Readonly<TSESLint.RuleContext<MessageIds, Options>>,
  sourceFile: ts.SourceFile,
  finding: BlockingFinding,
): void {
  const node = finding.node;
  const start = node.getStart(sourceFile);
  const end = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.getEnd() : loopHeadEnd(node);
  const loc = locationOf(context, start, end);
  const target = finding.target;
  if (finding.chain.length > 0) {
    context.report({
      loc,
      messageId: 'blockingChain',
      data: chainData(BlockingAnalysis.chainNames(finding), target.kind === 'api' ? target.api : target.pattern),
    });
    return;
  }
  if (target.kind === 'busy-wait') {
    context.report({ loc, messageId: 'busyWait', data: { reason: target.pattern.reason, advice: target.pattern.advice } });
    return;
  }
  const api = target.api;
  const replacement = api.replacement;
  const plan =
    replacement?.automatic === true && finding.canAwait && (ts.isCallExpression(node) || ts.isNewExpression(node)) && unsupportedOptionUse(node, replacement) === undefined
      ? planReplacement(sourceFile, node, replacement)
      : undefined;
  context.report({
    loc,
    messageId: 'blockingCall',
    data: directCallData(api),
    suggest:
      plan === undefined
        ? []
        : [
            {
              messageId: 'replaceWithAsync',
              data: { expression: plan.expression },
              fix: (fixer) => plan.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text)),
            },
          ],
  });
}

/** Reports a loop on its head (`while (Date.now() < until)`), not its whole body. */
function loopHeadEnd(node: ts.Node): number {
  if (ts.isWhileStatement(node) || ts.isForStatement(node)) return node.statement.getFullStart();
  return node.getEnd();
}
