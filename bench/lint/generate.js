// Writes a synthetic TypeScript service of `size` files: Express routers whose handlers call
// services, which call repositories and helpers; some helpers block (fs, crypto, zlib, child
// process) a few calls deep, most do not; a share of the code is correct async code.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The blocking calls the synthetic helpers make: an import line and a call expression of `name`. */
export const kinds = [
  ["import { readFileSync } from 'node:fs';", "readFileSync(`data/${name}.json`, 'utf8')"],
  ["import * as crypto from 'node:crypto';", "crypto.pbkdf2Sync(name, 'salt', 1000, 32, 'sha256').toString('hex')"],
  ["import zlib from 'node:zlib';", 'zlib.gzipSync(name).toString(\'base64\')'],
  ["import { execSync } from 'node:child_process';", 'execSync(`echo ${name}`).toString()'],
];

function helperFile(index) {
  const [importLine, call] = kinds[index % kinds.length];
  const blocking = index % 3 === 0;
  return `${blocking ? importLine : "import { readFile } from 'node:fs/promises';"}

export interface Record${index} {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
}

export function normalize${index}(input: string): string {
  return input.trim().toLowerCase().replace(/\\s+/g, '-');
}

export function load${index}(name: string): string {
  ${blocking ? `return ${call};` : 'return normalize' + index + '(name);'}
}

export async function loadAsync${index}(name: string): Promise<string> {
  return readFile(\`data/\${normalize${index}(name)}.json\`, 'utf8').catch(() => '{}');
}

export function toRecord${index}(id: string, raw: string): Record${index} {
  const parsed = JSON.parse(raw) as { name?: string; tags?: string[] };
  return { id, name: parsed.name ?? id, tags: parsed.tags ?? [] };
}
`;
}

function serviceFile(index, helpers) {
  const helper = index % helpers;
  return `import { load${helper}, loadAsync${helper}, toRecord${helper}, type Record${helper} } from '../lib/helper-${helper}.js';

export class Service${index} {
  readonly #cache = new Map<string, Record${helper}>();

  find(id: string): Record${helper} {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const record = toRecord${helper}(id, load${helper}(id));
    this.#cache.set(id, record);
    return record;
  }

  async findAsync(id: string): Promise<Record${helper}> {
    return toRecord${helper}(id, await loadAsync${helper}(id));
  }

  async list(ids: readonly string[]): Promise<Record${helper}[]> {
    return Promise.all(ids.map((id) => this.findAsync(id)));
  }
}

export const service${index} = new Service${index}();
`;
}

function routeFile(index, services) {
  const service = index % services;
  return `import { Router, type Request, type Response } from 'express';

import { service${service} } from '../services/service-${service}.js';

export const router${index} = Router();

router${index}.get('/items/:id', (req: Request, res: Response) => {
  res.json(service${service}.find(String(req.params.id)));
});

router${index}.get('/items', async (req: Request, res: Response) => {
  const ids = String(req.query.ids ?? '').split(',').filter((id) => id !== '');
  res.json(await service${service}.list(ids));
});

router${index}.post('/items/:id/refresh', async (req: Request, res: Response) => {
  const record = await service${service}.findAsync(String(req.params.id));
  res.status(202).json({ refreshed: record.id });
});

router${index}.get('/items/:id/overview', async (req: Request, res: Response) => {
  const id = String(req.params.id);
  ${index % 4 === 0
    ? `// Independent awaits one after another, and a loop of independent iterations.
  const record = await service${service}.findAsync(id);
  const related = await service${service}.findAsync(\`\${id}-related\`);
  const tags: string[] = [];
  for (const tag of record.tags) tags.push((await service${service}.findAsync(tag)).name);
  res.json({ record, related, tags });`
    : `// A dependent chain and an accumulator: nothing to run together.
  const record = await service${service}.findAsync(id);
  const parent = await service${service}.findAsync(record.name);
  let names = '';
  for (const tag of parent.tags) names += (await service${service}.findAsync(tag)).name;
  res.json({ record, parent, names });`}
});

router${index}.get('/items/:id/remote', async (req: Request, res: Response) => {
  const response = await fetch(\`https://upstream.test/items/\${String(req.params.id)}\`${index % 5 === 0 ? '' : ', { signal: AbortSignal.timeout(2000) }'});
  res.json(await response.json());
});

export function describe${index}(): string {
  return 'router ${index}';
}
`;
}

/**
 * @param {string} dir
 * @param {number} size total files
 */
export async function generateProject(dir, size) {
  await rm(dir, { recursive: true, force: true });
  const helpers = Math.max(1, Math.floor(size * 0.3));
  const services = Math.max(1, Math.floor(size * 0.3));
  const routes = size - helpers - services;
  await mkdir(join(dir, 'src', 'lib'), { recursive: true });
  await mkdir(join(dir, 'src', 'services'), { recursive: true });
  await mkdir(join(dir, 'src', 'routes'), { recursive: true });
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }, null, 2),
  );
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `bench-${String(size)}`, private: true, type: 'module' }, null, 2));
  const writes = [];
  for (let index = 0; index < helpers; index += 1) writes.push(writeFile(join(dir, 'src', 'lib', `helper-${String(index)}.ts`), helperFile(index)));
  for (let index = 0; index < services; index += 1) writes.push(writeFile(join(dir, 'src', 'services', `service-${String(index)}.ts`), serviceFile(index, helpers)));
  for (let index = 0; index < routes; index += 1) writes.push(writeFile(join(dir, 'src', 'routes', `route-${String(index)}.ts`), routeFile(index, services)));
  await Promise.all(writes);
  return { helpers, services, routes };
}
