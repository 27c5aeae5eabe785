import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file atomically: the text goes to a temporary file in the same directory, which then
 * replaces the original in one `rename`, so a crash or a full disk never leaves half a file. The
 * original's permissions are kept.
 *
 * @example
 * await writeFileAtomic('src/app.ts', output);
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const { mode } = await stat(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.loopguard-${String(process.pid)}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** True when the file on disk still holds `expected` (nobody edited it while the codemod ran). */
export async function unchangedOnDisk(file: string, expected: string): Promise<boolean> {
  try {
    return (await readFile(file, 'utf8')) === expected;
  } catch {
    return false;
  }
}
