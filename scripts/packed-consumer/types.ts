// What a TypeScript user writes against the published packages; `tsc` must accept it unchanged.
import { createCatalog, defaultCatalog, getFramework, type BlockingApi, type FrameworkDefinition } from '@loopguard/core';
import { renderReplacementCall, type Catalog } from '@loopguard/core/catalog';
import { matchHandlerFile, type FrameworkId } from '@loopguard/core/registry';
import { BlockingAnalysis, type BlockingFinding } from '@loopguard/core/analysis';
import { scanProject, type ScanResult } from '@loopguard/codemods';
import loopguard, { type NoBlockingCallsOptions } from '@loopguard/eslint-plugin';

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

export { awaited, catalog, findings, options, recommendedRules, rendered, routeFiles, scan };
