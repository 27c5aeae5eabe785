import picomatch from 'picomatch';
import { glob } from 'tinyglobby';

/** Source files a scan lints. */
export const sourcePatterns = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/** Never scanned: dependencies, build output, declaration files. */
export const ignoredPatterns = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/coverage/**',
  '**/.next/**',
  '**/.git/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
];

/** Test code does not serve requests; scanned only with `--include-tests`. */
export const testPatterns = ['**/*.{test,spec}.*', '**/test/**', '**/tests/**', '**/__tests__/**', '**/__mocks__/**'];

const matchesTest = picomatch(testPatterns, { dot: true });

/**
 * Is this path (relative to the project root, `/`-separated) test code?
 *
 * @example
 * isTestPath('src/users.test.ts'); // true
 */
export function isTestPath(relativePath: string): boolean {
  return matchesTest(relativePath);
}

/**
 * Lists the project's source files, relative to `root`, in a stable order.
 *
 * @example
 * await projectFiles('/repo/app'); // ['src/app.ts', 'src/routes/users.ts', …]
 */
export async function projectFiles(root: string, options: { includeTests?: boolean } = {}): Promise<string[]> {
  const ignore = options.includeTests === true ? ignoredPatterns : [...ignoredPatterns, ...testPatterns];
  const files = await glob(sourcePatterns, { cwd: root, ignore, dot: false });
  return files.sort();
}
