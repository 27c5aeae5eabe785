import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One frame of a stack, as the probes report it. */
export interface StackFrame {
  /** The function name, or `<anonymous>`. */
  readonly name: string;
  /** Absolute file path (or URL for non-file code). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

// The test kit's own files (src/ in the repository, dist/ when installed) are never the app's code.
const kitRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

const framePattern = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/**
 * Parses a V8 stack (`error.stack`) into frames, dropping the message line and frames without a
 * location (`native`, `<anonymous>`).
 *
 * @example
 * parseStack(new Error().stack ?? '')[0]?.file;
 */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = framePattern.exec(line);
    if (match === null) continue;
    const [, name, location, lineNumber, column] = match;
    if (location === undefined || lineNumber === undefined || column === undefined) continue;
    const file = location.startsWith('file://') ? safeFilePath(location) : location;
    frames.push({ name: name === undefined || name === '' ? '<anonymous>' : name.replace(/^async /, ''), file, line: Number(lineNumber), column: Number(column) });
  }
  return frames;
}

function safeFilePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/**
 * Is this frame the app's own code: not Node's internals, not a dependency under `node_modules`,
 * not the test kit itself?
 *
 * @example
 * isAppFrame({ name: 'loadUser', file: '/app/src/users.ts', line: 3, column: 9 }); // true
 */
export function isAppFrame(frame: StackFrame): boolean {
  const { file } = frame;
  if (file.startsWith('node:') || file.startsWith('internal/') || file.startsWith('eval at ') || file.includes('<anonymous>') || !/[\\/]/.test(file)) return false;
  if (file.includes(`${sep}node_modules${sep}`) || file.includes('/node_modules/')) return false;
  return !isKitFrame(frame);
}

// Node's promise and async hooks call the kit's hooks: their frames sit between the kit and the creator.
const hookInternals = /^node:internal\/(?:promise_hooks|async_hooks)/;

/** Is the frame the test kit's own code? */
export function isKitFrame(frame: StackFrame): boolean {
  return frame.file.startsWith(`${kitRoot}${sep}src${sep}`) || frame.file.startsWith(`${kitRoot}${sep}dist${sep}`);
}

/**
 * Was this stack's innermost frame (past the kit's own) the app's code: a promise the app's code made
 * (an async function of the app, its `new Promise`), not one a library made inside a call?
 */
export function madeByApp(holder: { stack?: string }): boolean {
  const creator = parseStack(holder.stack ?? '').find((frame) => !isKitFrame(frame) && !hookInternals.test(frame.file));
  return creator !== undefined && isAppFrame(creator);
}

/** Frames that show module loading (`require`, `import`): reading a module's file is not the app's I/O. */
export function isModuleLoading(frames: readonly StackFrame[]): boolean {
  return frames.some((frame) => frame.file.startsWith('node:internal/modules/') || frame.name.startsWith('Module._load') || frame.name === 'Module.require');
}

/**
 * Captures the current stack without formatting it: V8 formats `stack` only when it is read, so a
 * probe can keep the holder and pay for the text only for what it reports.
 *
 * @example
 * const holder = captureStack(30, someFunction);
 * const frames = appFrames(holder);
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- captureStackTrace takes any function.
export function captureStack(limit: number, above?: Function): { stack?: string } {
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.captureStackTrace(holder, above);
  Error.stackTraceLimit = previous;
  return holder;
}

/**
 * The file of the code that called into Node's hooks, from a few structured frames (no text is
 * formatted): a cheap first look before a full stack is worth taking. Skips the hook machinery,
 * the kit, Node's timer functions and native frames (`new Promise`).
 *
 * @example
 * creatorFile(onInit); // '/app/src/jobs.ts', 'node:_http_outgoing', '/app/node_modules/msw/…'
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- captureStackTrace takes any function.
export function creatorFile(above: Function): string | undefined {
  const previousLimit = Error.stackTraceLimit;
  // Restored as it was (Vitest installs its own for source maps); never called through this reference.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const previousPrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 8;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, above);
  const sites = holder.stack as NodeJS.CallSite[] | undefined;
  Error.stackTraceLimit = previousLimit;
  Error.prepareStackTrace = previousPrepare;
  for (const site of sites ?? []) {
    // Native frames (`new Promise`) have no file, typed or not.
    const name = site.getFileName() as string | null | undefined;
    if (name === undefined || name === null || hookInternals.test(name) || creatorSkips.test(name)) continue;
    const file = name.startsWith('file://') ? safeFilePath(name) : name;
    if (isKitFrame({ name: '', file, line: 0, column: 0 })) continue;
    return file;
  }
  return undefined;
}

const creatorSkips = /^(?:node:)?(?:internal\/)?timers(?:\.js)?$/;

/** The app's frames of a captured stack, innermost first. */
export function appFrames(holder: { stack?: string }): StackFrame[] {
  return parseStack(holder.stack ?? '').filter(isAppFrame);
}

/** `  at name (file:line:column)` lines for messages, paths relative to the working directory. */
export function formatFrames(frames: readonly StackFrame[], indent = '      '): string {
  const cwd = `${process.cwd()}${sep}`;
  return frames.map((frame) => `${indent}at ${frame.name} (${frame.file.startsWith(cwd) ? frame.file.slice(cwd.length) : frame.file}:${String(frame.line)}:${String(frame.column)})`).join('\n');
}
