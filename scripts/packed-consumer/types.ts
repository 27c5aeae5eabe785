// What a TypeScript user writes against the published packages; `tsc` must accept it unchanged.
import { createCatalog, defaultCatalog, getFramework, type BlockingApi, type FrameworkDefinition } from '@loopguard/core';
import { renderReplacementCall, type Catalog } from '@loopguard/core/catalog';
import { matchHandlerFile, type FrameworkId } from '@loopguard/core/registry';
import { BlockingAnalysis, type BlockingFinding } from '@loopguard/core/analysis';
import { runCodemod, scanProject, type CodemodReport, type ScanResult } from '@loopguard/codemods';
import loopguard, { type NoBlockingCallsOptions } from '@loopguard/eslint-plugin';
import { createClient, upstream, type Client, type TestResponse } from '@loopguard/test-kit';
import '@loopguard/test-kit/vitest';

const catalog: Catalog = createCatalog({ add: [{ module: 'legacy-db', export: 'querySync', kind: 'sqlite', reason: 'Blocks.' }] });
const readFileSync: BlockingApi | undefined = defaultCatalog.findExport('fs', 'readFileSync');
const rendered: string | undefined = readFileSync?.replacement && renderReplacementCall(readFileSync.replacement, 'readFile', ['path']);
const id: FrameworkId = 'express4';
const express: FrameworkDefinition = getFramework(id);
const awaited: boolean = express.promiseHandling.awaitsReturnedPromise;
const routeFiles: number = matchHandlerFile('app/api/route.ts').length;

const options: NoBlockingCallsOptions = [{ scope: 'handlers', allow: ['fs.existsSync'] }];
const recommendedRules = loopguard.configs.recommended.rules;
const analysis = new BlockingAnalysis({ scope: 'handlers' });
const findings: (file: import('typescript').SourceFile) => BlockingFinding[] = (file) => analysis.findingsFor(file);
const scan: (dir: string) => Promise<ScanResult> = scanProject;
const codemod: Promise<CodemodReport> = runCodemod({ transform: 'sync-to-async', cwd: 'codemod-target' });

const client: Client = createClient((request: Request) => Response.json({ url: request.url }));
const pending: PromiseLike<TestResponse> = client.get('/x').query({ a: 1 });
const mocked = upstream('https://api.example.test').get('/users/:id', ({ params }) => ({ id: params.id }));

export { awaited, catalog, client, codemod, mocked, pending, findings, options, recommendedRules, rendered, routeFiles, scan };
