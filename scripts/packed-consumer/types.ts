// What a TypeScript user writes against the published packages; `tsc` must accept it unchanged.
import { createCatalog, defaultCatalog, getFramework, type BlockingApi, type FrameworkDefinition } from '@loopguard/core';
import { renderReplacementCall, type Catalog } from '@loopguard/core/catalog';
import { matchHandlerFile, type FrameworkId } from '@loopguard/core/registry';

const catalog: Catalog = createCatalog({ add: [{ module: 'legacy-db', export: 'querySync', kind: 'sqlite', reason: 'Blocks.' }] });
const readFileSync: BlockingApi | undefined = defaultCatalog.findExport('fs', 'readFileSync');
const rendered: string | undefined = readFileSync?.replacement && renderReplacementCall(readFileSync.replacement, 'readFile', ['path']);
const id: FrameworkId = 'express4';
const express: FrameworkDefinition = getFramework(id);
const awaited: boolean = express.promiseHandling.awaitsReturnedPromise;
const routeFiles: number = matchHandlerFile('app/api/route.ts').length;

export { awaited, catalog, rendered, routeFiles };
