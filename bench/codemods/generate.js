// Writes a synthetic Express 5 service of `size` files for the codemod benchmark: route handlers call
// services, services call repositories, repositories call helpers, and a third of the helpers block
// (fs, crypto, zlib, child process), so the rewrite propagates three levels up to each handler. Each
// route file also holds a `.then` chain, a Node-style callback and two sequential awaits, for the
// other transforms.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { kinds } from '../lint/generate.js';

function helperFile(index) {
  const [importLine, call] = kinds[index % kinds.length];
  const blocking = index % 3 === 0;
  return `${blocking ? `${importLine}\n` : ''}
/** Loads one named entry. */
export function load${index}(name: string): string {
  ${blocking ? `return ${call};` : `return name.trim().toLowerCase();`}
}

export function label${index}(name: string): string {
  return \`helper ${index}: \${name}\`;
}
`;
}

function repositoryFile(index, helpers) {
  const helper = index % helpers;
  return `import { label${helper}, load${helper} } from '../lib/helper-${helper}.js';

export interface Row${index} {
  readonly id: string;
  readonly body: string;
}

export class Repository${index} {
  byId(id: string): Row${index} {
    return { id, body: load${helper}(id) };
  }

  describe(id: string): string {
    return label${helper}(id);
  }
}
`;
}

function serviceFile(index, repositories) {
  const repository = index % repositories;
  return `import { Repository${repository}, type Row${repository} } from '../repositories/repository-${repository}.js';

const repository = new Repository${repository}();

export function find${index}(id: string): Row${repository} & { readonly size: number } {
  const row = repository.byId(id);
  return { ...row, size: row.body.length };
}

export function title${index}(id: string): string {
  return repository.describe(id).toUpperCase();
}
`;
}

function routeFile(index, services) {
  const service = index % services;
  return `import { readFile } from 'node:fs';
import { join } from 'node:path';

import { Router, type NextFunction, type Request, type Response } from 'express';

import { find${service}, title${service} } from '../services/service-${service}.js';

export const router${index} = Router();

async function lookup${index}(id: string): Promise<string> {
  return id.toUpperCase();
}

// For then-to-await: a chain ending the handler.
router${index}.get('/names/:id', (req: Request, res: Response, next: NextFunction) => {
  lookup${index}(String(req.params.id))
    .then((name) => res.json({ name }))
    .catch(next);
});

// For callbacks-to-async: a Node-style callback, its error checked first.
router${index}.get('/files/:name', (req: Request, res: Response, next: NextFunction) => {
  readFile(join('data', String(req.params.name)), 'utf8', (err, text) => {
    if (err) return next(err);
    res.type('text').send(text);
  });
});

// For concurrent-awaits: two independent awaits, one after the other.
router${index}.get('/pairs/:id', async (req: Request, res: Response) => {
  const first = await lookup${index}(String(req.params.id));
  const second = await lookup${index}(\`\${String(req.params.id)}-2\`);
  res.json({ first, second });
});

router${index}.get('/items/:id', (req: Request, res: Response) => {
  const item = find${service}(String(req.params.id));
  res.json({ item, title: title${service}(item.id) });
});

router${index}.get('/titles/:id', (req: Request, res: Response) => {
  res.send(title${service}(String(req.params.id)));
});
`;
}

/**
 * @param {string} dir
 * @param {number} size total files
 */
export async function generateProject(dir, size) {
  await rm(dir, { recursive: true, force: true });
  const helpers = Math.max(1, Math.floor(size * 0.25));
  const repositories = Math.max(1, Math.floor(size * 0.25));
  const services = Math.max(1, Math.floor(size * 0.25));
  const routes = size - helpers - repositories - services;
  await Promise.all(['lib', 'repositories', 'services', 'routes'].map((folder) => mkdir(join(dir, 'src', folder), { recursive: true })));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }, null, 2),
  );
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `bench-codemods-${String(size)}`, private: true, type: 'module' }, null, 2));
  const writes = [];
  for (let index = 0; index < helpers; index += 1) writes.push(writeFile(join(dir, 'src', 'lib', `helper-${String(index)}.ts`), helperFile(index)));
  for (let index = 0; index < repositories; index += 1) writes.push(writeFile(join(dir, 'src', 'repositories', `repository-${String(index)}.ts`), repositoryFile(index, helpers)));
  for (let index = 0; index < services; index += 1) writes.push(writeFile(join(dir, 'src', 'services', `service-${String(index)}.ts`), serviceFile(index, repositories)));
  for (let index = 0; index < routes; index += 1) writes.push(writeFile(join(dir, 'src', 'routes', `route-${String(index)}.ts`), routeFile(index, services)));
  await Promise.all(writes);
  return { helpers, repositories, services, routes };
}
