import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { frameworks as allFrameworks } from './registry.js';
import type { FrameworkDefinition } from './types.js';

function installedVersion(resolveFrom: NodeJS.Require, packageName: string): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(resolveFrom.resolve(`${packageName}/package.json`), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    // Not installed, or a package whose exports map hides its package.json: the version is unknown.
    return undefined;
  }
}

/**
 * The frameworks as installed in a project: a framework whose package is installed in another
 * major version is left out (Express 4 and Express 5 treat a rejected promise differently), one
 * whose package cannot be found is kept, since its version is unknown.
 *
 * @example
 * installedFrameworks('/srv/shop').some((framework) => framework.id === 'express4'); // true on Express 4.x
 */
export function installedFrameworks(projectDir: string, candidates: readonly FrameworkDefinition[] = allFrameworks): readonly FrameworkDefinition[] {
  // Asked once per file by every rule: resolving packages is file-system work, done once per folder.
  const cached = candidates === allFrameworks ? cache.get(projectDir) : undefined;
  if (cached !== undefined) return cached;
  const found = findInstalled(projectDir, candidates);
  if (candidates === allFrameworks) cache.set(projectDir, found);
  return found;
}

const cache = new Map<string, readonly FrameworkDefinition[]>();

function findInstalled(projectDir: string, candidates: readonly FrameworkDefinition[]): readonly FrameworkDefinition[] {
  const resolveFrom = createRequire(path.join(path.resolve(projectDir), 'package.json'));
  const versions = new Map<string, number | undefined>();
  const majorOf = (name: string): number | undefined => {
    if (!versions.has(name)) {
      const version = installedVersion(resolveFrom, name);
      versions.set(name, version === undefined ? undefined : Number(/^(\d+)/.exec(version)?.[1]));
    }
    return versions.get(name);
  };
  return candidates.filter(
    (framework) =>
      framework.packages.length === 0 ||
      framework.packages.some((pkg) => {
        const major = majorOf(pkg.name);
        return major === undefined || (major >= pkg.majors.min && (pkg.majors.max === undefined || major <= pkg.majors.max));
      }),
  );
}
