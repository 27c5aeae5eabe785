// Legacy code for the packed codemod to convert: a sync helper behind an async route handler.
import { readFileSync } from 'node:fs';

export function loadTemplate(name: string): string {
  return readFileSync(`templates/${name}.html`, 'utf8');
}
