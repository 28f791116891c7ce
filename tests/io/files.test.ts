/**
 * Atomic writes and signals: a process ended by SIGINT/SIGTERM/SIGHUP while writes are in flight leaves
 * no `.tmp` files behind, in every command (an Excel-only build has no browser pool to clean up for it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const base = mkdtempSync(path.join(os.tmpdir(), 'jxmb-files-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function run(
  signal: NodeJS.Signals,
  mode = '',
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; dir: string; tmp: string }> {
  const dir = mkdtempSync(path.join(base, 'd-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, '_temp-on-signal.ts'), dir, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let tmp = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (.+)\n/.exec(out);
      if (m && !tmp) {
        tmp = m[1]!;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code, sig) => resolve({ code, signal: sig, out, dir, tmp }));
  });
}

describe.runIf(process.platform !== 'win32')('temporary files and signals', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s: the temporary file is removed and the process ends by that signal',
    async (signal) => {
      const r = await run(signal);
      expect(r.tmp, r.out).not.toBe('');
      expect(r.signal, r.out).toBe(signal);
      expect(existsSync(r.tmp)).toBe(false);
      expect(readdirSync(r.dir)).toEqual([]);
    },
    30_000,
  );

  it('writes the thread pool still has in hand when the signal comes leave no file either', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await run('SIGTERM', 'busy');
      expect(r.signal, r.out).toBe('SIGTERM');
      expect(readdirSync(r.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  }, 60_000);

  it('a program that ends itself with process.exit removes the file too', async () => {
    const dir = mkdtempSync(path.join(base, 'd-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, '_temp-on-signal.ts'), dir, 'exit'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(out).toContain('ready');
    expect(code).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);

  it('a program that listens for the signal itself still decides what happens (the file goes anyway)', async () => {
    const r = await run('SIGINT', 'listen');
    expect(r.out).toContain('handled SIGINT');
    expect(r.code).toBe(0);
    expect(readdirSync(r.dir)).toEqual([]);
  }, 30_000);
});
