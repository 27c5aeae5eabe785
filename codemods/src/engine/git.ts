import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Files with uncommitted changes (tracked or untracked) under a directory, or undefined when the
 * directory is not in a git work tree (or git is not installed): then there is nothing to protect.
 *
 * @example
 * const dirty = await uncommittedFiles('/srv/shop');
 */
export async function uncommittedFiles(directory: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['status', '--porcelain', '--', '.'], { cwd: directory, encoding: 'utf8' });
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(3));
  } catch {
    return undefined;
  }
}
