#!/usr/bin/env node
import { runCli } from './program.js';

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  process.stderr.write(`[loopguard] Failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this with the command you ran.\n`);
  process.exitCode = 2;
}
