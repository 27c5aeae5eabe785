// Packs every publishable workspace package, installs the tarballs into a scratch project outside
// the repository and checks a user's view of them: entry points import, types resolve, internals stay hidden.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const consumerTemplate = join(root, 'scripts', 'packed-consumer');

async function npm(args, cwd) {
  const { stdout } = await run('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function publishablePackages() {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const packages = [];
  for (const workspace of manifest.workspaces) {
    if (workspace.includes('*')) continue;
    const pkg = JSON.parse(await readFile(join(root, workspace, 'package.json'), 'utf8'));
    if (pkg.private !== true) packages.push({ dir: workspace, name: pkg.name });
  }
  return packages;
}

const scratch = await mkdtemp(join(tmpdir(), 'loopguard-packed-'));
try {
  const packages = await publishablePackages();
  if (packages.length === 0) throw new Error('No publishable workspace package found in the root package.json.');
  const tarballDir = join(scratch, 'tarballs');
  await mkdir(tarballDir);
  const tarballs = [];
  for (const pkg of packages) {
    const [packed] = JSON.parse(await npm(['pack', '--json', '--pack-destination', tarballDir, '--workspace', pkg.dir], root));
    const files = packed.files.map((file) => file.path);
    for (const required of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']) {
      if (!files.includes(required)) throw new Error(`${pkg.name}: the tarball lacks ${required}.`);
    }
    const leaked = files.filter((file) => file.startsWith('tests/') || file.endsWith('.tsbuildinfo'));
    if (leaked.length > 0) throw new Error(`${pkg.name}: the tarball ships ${leaked.join(', ')}.`);
    console.log(`packed ${packed.filename}: ${String(packed.entryCount)} files, ${String(packed.size)} bytes`);
    tarballs.push(join(tarballDir, packed.filename));
  }

  const project = join(scratch, 'consumer');
  await cp(consumerTemplate, project, { recursive: true });
  const typescript = JSON.parse(await readFile(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
  const nodeTypes = JSON.parse(await readFile(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'loopguard-packed-consumer', private: true, type: 'module' }, null, 2),
  );
  await npm(['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, `typescript@${typescript}`, `@types/node@${nodeTypes}`], project);
  console.log(`installed ${String(tarballs.length)} tarball(s) into ${project}`);

  await run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: project });
  console.log('tsc: the consumer type-checks against the published declarations');
  const { stdout } = await run(process.execPath, ['consumer.js'], { cwd: project });
  process.stdout.write(stdout);
  console.log('test:packed passed');
} catch (error) {
  const details = error && typeof error === 'object' && 'stdout' in error ? `\n${String(error.stdout)}${String(error.stderr)}` : '';
  console.error(`[loopguard test:packed] Failed to verify the packed packages: ${error instanceof Error ? error.message : String(error)}${details}`);
  process.exitCode = 1;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
