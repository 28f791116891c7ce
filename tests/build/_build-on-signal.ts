/**
 * Run as a child process by tests/commands/build-integrity.test.ts: `jxmb build` in the project folder
 * given, with the renames that put outputs in place watched. Right after the first output of a
 * department is in place it says `ready` and holds on for a while — asynchronously if that rename was
 * asynchronous (a signal is handled meanwhile, between that department's formats), by blocking if it
 * was synchronous (a signal waits until the step is done) — so the parent's SIGINT lands between two
 * formats of one department as far as the clock is concerned.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { main } from '../../scripts/cli.ts';

const [dir, ...argv] = process.argv.slice(2);
const OUTPUT = /[/\\]\d{4}[/\\][^/\\]+\.(pdf|html|xlsx)$/;
let said = false;

const first = (to: unknown): boolean => {
  if (said || !OUTPUT.test(String(to))) return false;
  said = true;
  process.stdout.write(`ready ${String(to)}\n`);
  return true;
};

const renameSync = fs.renameSync;
fs.renameSync = (from: fs.PathLike, to: fs.PathLike): void => {
  renameSync(from, to);
  if (first(to)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
};
const rename = fs.promises.rename;
fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike): Promise<void> => {
  await rename(from, to);
  if (first(to)) await new Promise((r) => setTimeout(r, 5000));
};
// The named imports of node:fs (files.ts imports renameSync by name) follow the patched object.
syncBuiltinESMExports();

process.exitCode = await main(['build', ...argv], { cwd: dir!, isTTY: false });
