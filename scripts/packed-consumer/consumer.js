// What a JavaScript user runs against the published packages.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const core = await import('@loopguard/core');
const catalogEntry = await import('@loopguard/core/catalog');
const registryEntry = await import('@loopguard/core/registry');

assert.equal(core.defaultCatalog.findExport('node:fs', 'readFileSync')?.replacement?.export, 'readFile');
assert.equal(catalogEntry.defaultCatalog, core.defaultCatalog);
assert.equal(registryEntry.getFramework('express5').promiseHandling.forwardsRejection, true);
assert.equal(createRequire(import.meta.url)('@loopguard/core/package.json').name, '@loopguard/core');
await assert.rejects(import('@loopguard/core/dist/catalog/catalog.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
const plugin = (await import('@loopguard/eslint-plugin')).default;
assert.equal(plugin.configs.recommended.rules['loopguard/no-blocking-calls'], 'error');
const { runCodemod, scanProject, transforms } = await import('@loopguard/codemods');
assert.equal(typeof scanProject, 'function');
assert.equal(typeof runCodemod, 'function');
assert.deepEqual(transforms.map((transform) => transform.slug), ['sync-to-async', 'then-to-await', 'callbacks-to-async', 'concurrent-awaits']);
console.log(`@loopguard/core: ${String(core.defaultCatalog.apis.length)} blocking APIs, ${String(core.frameworks.length)} frameworks`);
