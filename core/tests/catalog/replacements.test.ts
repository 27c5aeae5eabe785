import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { defaultCatalog, type BlockingApi } from '../../src/index.js';
import { isNewerThanRunningNode, resolveReplacement } from '../support/real-modules.js';

const withReplacement = defaultCatalog.apis.filter(
  (api): api is BlockingApi & { replacement: NonNullable<BlockingApi['replacement']> } => api.replacement !== undefined,
);
const availableHere = withReplacement.filter(
  (api) =>
    (api.since === undefined || !isNewerThanRunningNode(api.since)) &&
    (api.replacement.platforms === undefined || api.replacement.platforms.includes(process.platform)),
);

describe('every replacement named in the catalog exists in the real module', () => {
  it('covers most of the catalog on this Node', () => {
    expect(availableHere.length).toBeGreaterThan(150);
  });

  it.each(availableHere.map((api) => [api.id, api] as const))('%s', async (_id, api) => {
    const fn = await resolveReplacement(api.replacement);
    expect(typeof fn).toBe('function');
  });

  it('keeps platform-limited replacements explained', () => {
    const limited = withReplacement.filter((api) => api.replacement.platforms !== undefined);
    expect(limited.map((api) => api.id)).toContain('node:fs:lchmodSync');
    for (const api of limited) expect(api.replacement.caveat).toBeTruthy();
  });
});

describe('call templates', () => {
  it('all mention $fn and are expressions a codemod can splice in', () => {
    for (const api of withReplacement) {
      expect(api.replacement.call, api.id).toContain('$fn(');
      const source = `export const rewrite = async ($fn: Function, $args: unknown[]) => ${api.replacement.call.replaceAll('$args', '...$args')};`;
      expect(ts.transpileModule(source, { reportDiagnostics: true }).diagnostics, api.id).toEqual([]);
    }
  });
});
