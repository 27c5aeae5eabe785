/**
 * Code as a report names it: on one line, cut at 80 characters.
 *
 * @example
 * shorten('readFileSync(\n  path,\n)'); // 'readFileSync( path, )'
 */
export function shorten(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
